// postdesk::replies::detail — the little UTF-8 the reply code needs, without ICU.
//
// Case mapping covers ASCII, Latin-1, Latin Extended-A and the basic Cyrillic block: enough for
// the names and phrases we meet (English, German, Polish, Czech, Russian, Ukrainian). Every
// mapping in these blocks keeps the encoded length, so a folded copy of a string has the same
// byte offsets as the original (lint relies on that to report columns).
// Invalid bytes decode as U+FFFD one byte at a time; nothing here throws.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace postdesk::replies::detail {

// Decodes the code point at `pos` and advances `pos` past it (by at least one byte).
char32_t decodeUtf8(std::string_view s, std::size_t& pos);
void appendUtf8(std::string& out, char32_t cp);

char32_t toLowerCp(char32_t cp);
char32_t toUpperCp(char32_t cp);
bool isLetterCp(char32_t cp);
bool isCyrillicCp(char32_t cp);

std::string toLowerUtf8(std::string_view s);
// "ANNA" / "anna" → "Anna"; each part of "anna-lena" too. Mixed case ("McKay") is kept as written.
std::string capitaliseName(std::string_view word);
// Number of code points in s[0, bytes): a 1-based column is that plus one.
std::size_t countCodePoints(std::string_view s);

}  // namespace postdesk::replies::detail
