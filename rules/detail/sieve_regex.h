// postdesk::rules::detail — the :regex match type (draft-ietf-sieve-regex: POSIX extended
// regular expressions), behind a guard, because a rule file must not be able to stall ingest.
//
// THE GUARD (all three apply, at parse time for literal keys and again at match time):
//   1. patterns longer than kSieveMaxRegexPattern (1,000) bytes are refused;
//   2. a repeated group that itself contains a quantifier or an alternation — "(a+)+",
//      "(a|aa)*", "(x*){2,}" — is refused, and so are back-references ("\1"): these are the
//      shapes that backtrack exponentially;
//   3. values are cut to kSieveMaxRegexValue bytes before matching.
// Why glibc <regex.h> and not std::regex: measured on this machine (g++ 12), std::regex_search
// of "a*b" over a 64 KiB value overflows the stack (libstdc++ recurses per character) and takes
// 1 s over 4 KiB; glibc regexec keeps its state on the heap and is what Pigeonhole uses, so the
// two agree on syntax. Even glibc is quadratic for some guarded-in shapes ("a.*b.*c": 13 s over
// 64 KiB, 0.05 s over 4 KiB), hence the value cap of 4 KiB rather than 64 KiB.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace postdesk::rules::detail {

inline constexpr std::size_t kSieveMaxRegexPattern = 1000;
inline constexpr std::size_t kSieveMaxRegexValue = 4 * 1024;

// Empty when the pattern passes the guard and compiles; otherwise why not, in plain words.
std::string checkSieveRegex(std::string_view pattern);

// True when `pattern` matches somewhere in `value` (cut to kSieveMaxRegexValue). A refused or
// broken pattern matches nothing. `captures` receives ${0}..${9} on a match (RFC 5229 §3.2).
bool matchSieveRegex(std::string_view pattern, std::string_view value, bool ignoreCase, std::vector<std::string>* captures);

}  // namespace postdesk::rules::detail
