// postdesk::mime::detail — conversion to UTF-8 through glibc iconv, without iconv's lossy modes.
//
// iconv's //TRANSLIT and //IGNORE lose text silently, so neither is used: a strict conversion
// reports failure, and a lossy one writes U+FFFD for each byte iconv rejects and carries on.
// Descriptors are opened once per thread and charset and reset before each use. Stateless
// single-byte charsets are converted through a 256-entry table read off iconv once per thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace postdesk::mime::detail {

// True when iconv can convert from `charset` (an iconv name) to UTF-8.
bool iconvKnows(const std::string& charset);

// Appends `bytes` converted from `charset`; returns false and leaves `out` unchanged on the first
// invalid or incomplete sequence (or when the charset is unknown).
bool convertStrict(std::string& out, std::string_view bytes, const std::string& charset);

// Appends `bytes` converted from `charset`, each rejected byte becoming U+FFFD; returns the number
// of replacements, or nullopt (and `out` unchanged) when the charset is unknown.
std::optional<std::size_t> convertLossy(std::string& out, std::string_view bytes, const std::string& charset);

// True when `charset` is converted through a per-thread byte table built from iconv's own answers
// (windows-125x, iso-8859-*, koi8-r/u, macintosh) rather than by calling iconv; for tests.
bool usesByteTable(const std::string& charset);

}  // namespace postdesk::mime::detail
