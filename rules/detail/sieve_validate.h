// postdesk::rules::detail — checks a parsed Sieve tree against the supported set
// (sieve_parser.h): known commands and tests, required extensions, argument types and tags,
// if/elsif/else order, require before anything else, and the regex guard for :regex keys.
// Fills script.extensions. Appends one SieveError per problem; never throws.
#pragma once

#include <vector>

#include "rules/sieve_ast.h"

namespace postdesk::rules::detail {

void validateSieve(SieveScript& script, std::vector<SieveError>& errors);

}  // namespace postdesk::rules::detail
