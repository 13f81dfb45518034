// postdesk::rules::detail — fills the compiled form of a validated Sieve script (sieve_ast.h):
// test and command kinds as enums, match options resolved from the tags, i;ascii-casemap keys
// folded, :matches keys reduced to a shape (sieve_match.h), strings that need ${...} expansion
// flagged, action properties looked up. parseSieve calls it once the script validated, so the
// evaluator decides all of this once per rule file instead of once per mail. Never throws.
#pragma once

#include "rules/sieve_ast.h"

namespace postdesk::rules::detail {

// `script` must have validated without errors (script.extensions filled).
void compileSieve(SieveScript& script);

}  // namespace postdesk::rules::detail
