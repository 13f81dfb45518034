// postdesk::mime::detail — from the charset a mail declares to the name glibc's iconv should use.
//
// Mail software mislabels charsets in a few well-known ways; each is mapped to the superset that
// decodes what was really sent (gb2312 -> GB18030, ks_c_5601-1987 -> CP949, shift_jis -> CP932...).
#pragma once

#include <string>
#include <string_view>

namespace postdesk::mime::detail {

inline constexpr std::string_view kUtf8 = "UTF-8";
inline constexpr std::string_view kAscii = "US-ASCII";

// Upper-case iconv name for `declared`; "" when the declaration carries no information (empty,
// "unknown-8bit", "x-user-defined"...). Unknown names are returned upper-cased for iconv to judge.
std::string canonicalCharset(std::string_view declared);

// False for charsets in which ASCII bytes do not stand for ASCII text (UTF-7, UTF-16, HZ, EBCDIC):
// only those may not take the plain-ASCII fast path.
bool isAsciiCompatible(std::string_view canonical);

}  // namespace postdesk::mime::detail
