// postdesk::rules — parse and validate one Sieve rule file (RFC 5228).
//
// Supported set: require; if/elsif/else; stop; allof/anyof/not; true/false; header; address
// (:all/:localpart/:domain); envelope (require "envelope"); exists; size :over/:under; match
// types :is/:contains/:matches and :regex (require "regex"); comparators i;ascii-casemap
// (default) and i;octet; keep, discard, fileinto (require "fileinto"); set and ${...}
// (require "variables", RFC 5229); and `require "vnd.postdesk.ticket"` for the actions queue,
// priority, tag, assign, noack, ack, sla, quarantine, ignore and the tests auto, customer, ticket.
//
// Fails by appending SieveErrors (file, line, column, plain message) and returning what it
// could parse; a script with errors must not be evaluated. Never throws for bad input. Limits
// (sieve_ast.h): scripts over kSieveMaxScriptBytes are refused before lexing; nesting over
// kSieveMaxDepth stops the parse (the recursion is depth-counted, so no stack overflow).
#pragma once

#include <string_view>
#include <vector>

#include "rules/sieve_ast.h"

namespace postdesk::rules {

SieveScript parseSieve(std::string_view source, std::string_view fileName, std::vector<SieveError>& errors);

}  // namespace postdesk::rules
