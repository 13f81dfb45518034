// postdesk::rules::detail — RFC 5229 variables: named variables set by `set`, and the match
// variables ${0}..${N} from the last successful :matches or :regex.
//
// Names are case-insensitive (§3). An unset variable expands to "" (§3); text that is not a
// well-formed reference ("${", "${a b}") stays as written. Expansion never grows a string past
// kSieveMaxString bytes (the rest is cut), so a chain of `set`s cannot blow up memory.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace postdesk::rules::detail {

struct SieveVariables {
    std::map<std::string, std::string> named;  // lower-case name -> value
    std::vector<std::string> matched;          // ${0}, ${1}, ...
};

std::string expandSieveVariables(std::string_view text, const SieveVariables& vars);

// A valid name for `set` (RFC 5229 §3: identifier, not a number).
bool isSieveVariableName(std::string_view name);

}  // namespace postdesk::rules::detail
