// postdesk::mime — bytes in any charset to UTF-8.
//
// Guarantees: the result is valid UTF-8; no input byte is silently dropped (a byte that cannot be
// decoded becomes U+FFFD and a warning). Every charset glibc's iconv knows is accepted, plus the
// usual mislabels (gb2312 that is really GBK -> GB18030, ks_c_5601-1987 -> CP949, iso-8859-8-i,
// unicode-1-1-utf-7, "utf8", "latin1", x-user-defined...). Undeclared or wrongly declared 8-bit
// text is identified with uchardet (Russian windows-1251/koi8-r, GBK, Shift_JIS, ISO-2022-JP
// escape sequences in "us-ascii" text). Thread-safe: converters are cached per thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mime/warnings.h"

namespace postdesk::mime {

// Converts `bytes`, declared as `charset` (may be empty = undeclared), to UTF-8.
// Warnings: unknown-charset, charset-mismatch, undeclared-8bit, invalid-bytes.
std::string toUtf8(std::string_view bytes, std::string_view charset, Warnings& warnings);

// Same, taking the bytes: text that is already UTF-8 (plain ASCII, or valid UTF-8 declared as
// UTF-8, us-ascii or nothing) is returned as it came, without a copy.
std::string intoUtf8(std::string bytes, std::string_view charset, Warnings& warnings);

// intoUtf8() for bytes whose CRLFs have already become LFs (the text path does that while it
// transfer-decodes), `high`/`esc` telling whether they hold a byte >= 0x80 / an ESC. Gives what
// intoUtf8() and then CRLF -> LF would give where the conversion cannot depend on the CRs (plain
// ASCII, valid UTF-8, a byte-table charset that takes every byte); elsewhere (sniffing, iconv's
// stateful and multi-byte charsets) nullopt, having added no warning, and the caller converts
// the original bytes.
std::optional<std::string> intoUtf8FromLf(std::string bytes, std::string_view charset, bool high, bool esc,
                                          Warnings& warnings);

// Same, appending to `out` (avoids a copy on the hot path).
void appendUtf8(std::string& out, std::string_view bytes, std::string_view charset, Warnings& warnings);

// True when `s` is valid UTF-8 (strict: no overlongs, no surrogates).
bool isValidUtf8(std::string_view s);

// True when every byte is < 0x80 and there is no ISO-2022 escape (ESC).
bool isPlainAscii(std::string_view s);

}  // namespace postdesk::mime
