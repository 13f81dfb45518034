// postdesk::mime::detail — conversion to UTF-8 through glibc iconv, without iconv's lossy modes.
//
// iconv's //TRANSLIT and //IGNORE lose text silently, so neither is used: a strict conversion
// reports failure, and a lossy one writes U+FFFD for each byte iconv rejects and carries on.
// Descriptors are opened once per thread and charset and reset before each use.
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

}  // namespace postdesk::mime::detail
