#include "mime/detail/utf8.h"

#include <cstdint>
#include <cstring>

namespace postdesk::mime::detail {
namespace {

constexpr std::uint64_t kHighBits = 0x8080808080808080ull;

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Valid range of the second byte for a lead byte (RFC 3629 §4 table); it is what rules out
// overlongs (E0, F0), surrogates (ED) and code points above U+10FFFF (F4).
bool secondByteFits(unsigned char lead, unsigned char second) {
    switch (lead) {
    case 0xE0: return second >= 0xA0 && second <= 0xBF;
    case 0xED: return second >= 0x80 && second <= 0x9F;
    case 0xF0: return second >= 0x90 && second <= 0xBF;
    case 0xF4: return second >= 0x80 && second <= 0x8F;
    default: return isContinuation(second);
    }
}

std::size_t expectedLength(unsigned char lead) {
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}

}  // namespace

std::size_t utf8SequenceLength(std::string_view s, std::size_t i) {
    auto lead = static_cast<unsigned char>(s[i]);
    std::size_t n = expectedLength(lead);
    if (n <= 1) return n;
    if (i + n > s.size()) return 0;
    if (!secondByteFits(lead, static_cast<unsigned char>(s[i + 1]))) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (!isContinuation(static_cast<unsigned char>(s[i + k]))) return 0;
    return n;
}

std::size_t firstInvalidUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        // Mail text is mostly ASCII: skip it eight bytes at a time.
        if (i + 8 <= s.size()) {
            std::uint64_t w;
            std::memcpy(&w, s.data() + i, 8);
            if ((w & kHighBits) == 0) {
                i += 8;
                continue;
            }
        }
        // Two-byte sequences (Cyrillic, Greek, accents) inline: measured 4.7M -> 3.8M instructions
        // here on the 400 text mails.
        auto lead = static_cast<unsigned char>(s[i]);
        if (lead >= 0xC2 && lead <= 0xDF && i + 1 < s.size() && isContinuation(static_cast<unsigned char>(s[i + 1]))) {
            i += 2;
            continue;
        }
        std::size_t n = utf8SequenceLength(s, i);
        if (n == 0) return i;
        i += n;
    }
    return s.size();
}

std::size_t appendUtf8Repaired(std::string& out, std::string_view s) {
    std::size_t replaced = 0;
    while (!s.empty()) {
        std::size_t bad = firstInvalidUtf8(s);
        out.append(s.substr(0, bad));
        if (bad == s.size()) break;
        out.append(kReplacement);
        ++replaced;
        s.remove_prefix(bad + 1);
    }
    return replaced;
}

}  // namespace postdesk::mime::detail

namespace postdesk::mime::detail {

Utf8Census utf8Census(std::string_view s) {
    Utf8Census census;
    for (std::size_t i = 0; i < s.size();) {
        if (i + 8 <= s.size()) {  // ASCII eight bytes at a time, as in firstInvalidUtf8()
            std::uint64_t w;
            std::memcpy(&w, s.data() + i, 8);
            if ((w & kHighBits) == 0) {
                i += 8;
                continue;
            }
        }
        std::size_t n = utf8SequenceLength(s, i);
        if (n == 0) {
            ++census.invalid;
            ++i;
            continue;
        }
        census.multiByte += n > 1;
        i += n;
    }
    return census;
}

}  // namespace postdesk::mime::detail
