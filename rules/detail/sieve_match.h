// postdesk::rules::detail — Sieve match types and comparators (RFC 5228 §2.7).
//
// :matches is a linear-memory, O(value × pattern) wildcard matcher (backtracking only to the
// last '*', never exponential). '?' takes one UTF-8 character, '*' any run; "\\*" and "\\?" are
// literal. Captures are ${0} = the whole value, then one per wildcard (RFC 5229 §3.2): earlier
// '*' match as little as possible, as in the RFC 5229 "[*] *" example. :regex goes through
// sieve_regex.h and its guard. Never throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rules/sieve_ast.h"

namespace postdesk::rules::detail {

using rules::SieveComparator;
using rules::SieveMatchType;

// `captures` (may be null) is filled only on a successful :matches or :regex.
bool sieveMatch(SieveMatchType type, SieveComparator comparator, std::string_view value, std::string_view key,
                std::vector<std::string>* captures);

// The same decision for a key compiled at parse time (sieve_compile.h; not `expands`), from the
// key's folded text and :matches shape.
bool sieveMatchKey(SieveMatchType type, SieveComparator comparator, std::string_view value, const SieveCompiledString& key,
                   std::vector<std::string>* captures);

// The shape of :matches `pattern` (already folded for i;ascii-casemap), and into `literal` the
// text between its stars for every shape but General.
SieveWildcardShape sieveWildcardShape(std::string_view pattern, std::string& literal);

}  // namespace postdesk::rules::detail
