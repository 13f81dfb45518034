#include "mime/detail/word_decode.h"

#include <array>
#include <cstdint>

namespace postdesk::mime::detail {
namespace {

// RFC 2045 §6.8 alphabet values; 64 for any other byte. '-' and '_' are not accepted here.
constexpr std::array<std::uint8_t, 256> kBase64Value = [] {
    std::array<std::uint8_t, 256> t{};
    for (auto& v : t) v = 64;
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
    return t;
}();

// Hex digit values (either case); 16 for any other byte.
constexpr std::array<std::uint8_t, 256> kHexValue = [] {
    std::array<std::uint8_t, 256> t{};
    for (auto& v : t) v = 16;
    for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - '0');
    for (int c = 'A'; c <= 'F'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - 'A' + 10);
    for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - 'a' + 10);
    return t;
}();

}  // namespace

// Both write into a buffer sized once, through a table per character (a push_back and a chain
// of range tests per character were ~1,000-1,600 instructions per word).
std::optional<std::string> decodeWordB(std::string_view text) {
    std::string out(text.size() / 4 * 3 + 3, '\0');
    char* w = out.data();
    unsigned bits = 0;
    int count = 0;
    for (char c : text) {
        if (c == '=') break;  // padding: whatever follows is not data
        unsigned v = kBase64Value[static_cast<unsigned char>(c)];
        if (v == 64) return std::nullopt;
        bits = (bits << 6) | v;
        count += 6;
        if (count >= 8) {
            count -= 8;
            *w++ = static_cast<char>((bits >> count) & 0xFF);
        }
    }
    out.resize(static_cast<std::size_t>(w - out.data()));
    return out;
}

std::string decodeWordQ(std::string_view text) {
    std::string out(text.size(), '\0');
    char* w = out.data();
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '=' && i + 2 < text.size()) {
            unsigned hi = kHexValue[static_cast<unsigned char>(text[i + 1])];
            unsigned lo = kHexValue[static_cast<unsigned char>(text[i + 2])];
            if ((hi | lo) < 16) {
                *w++ = static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        *w++ = c == '_' ? ' ' : c;
    }
    out.resize(static_cast<std::size_t>(w - out.data()));
    return out;
}

}  // namespace postdesk::mime::detail
