// postdesk::mime::detail — UTF-8 validation and repair shared by the charset code.
//
// The validator is strict (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF) so that
// every string postdesk stores can be handed to SQLite, JSON and HTML without a second check.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace postdesk::mime::detail {

inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one.
std::size_t utf8SequenceLength(std::string_view s, std::size_t i);

// Index of the first byte that is not part of valid UTF-8 (s.size() when all is valid). Uses
// AVX2 where the CPU has it (cpu_features.h); the answer is the same at every vector level.
std::size_t firstInvalidUtf8(std::string_view s);

// Appends `s`, replacing each invalid byte with U+FFFD. Returns the number replaced.
std::size_t appendUtf8Repaired(std::string& out, std::string_view s);

}  // namespace postdesk::mime::detail

namespace postdesk::mime::detail {

// How much of `s` reads as UTF-8: valid multi-byte sequences vs bytes that fit nothing.
struct Utf8Census {
    std::size_t multiByte = 0;
    std::size_t invalid = 0;
};
Utf8Census utf8Census(std::string_view s);

}  // namespace postdesk::mime::detail
