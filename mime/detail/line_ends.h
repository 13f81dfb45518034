// postdesk::mime::detail — CRLF -> LF for text bodies, with the 8-bit/ESC check in the same pass.
//
// A CR is dropped only when the next byte is LF; a lone CR stays. Linear, no allocation beyond the
// output's own. Uses AVX2 where the CPU has it (cpu_features.h), SSE2 otherwise; the result is
// the same at every vector level.
#pragma once

#include <string>
#include <string_view>


namespace postdesk::mime::detail {

// What a text holds, for the charset code's fast paths.
struct TextScan {
    bool high = false;  // a byte >= 0x80
    bool esc = false;   // an ESC (ISO-2022 escape sequences)
};

// Drops each CR that a LF follows, in place; `scan` tells what `s` holds.
void crlfToLf(std::string& s, TextScan& scan);

// Appends `in` with each CR that a LF follows dropped.
void appendCrlfToLf(std::string& out, std::string_view in, TextScan& scan);

}  // namespace postdesk::mime::detail
