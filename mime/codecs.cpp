#include "mime/codecs.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace postdesk::mime {
namespace {

constexpr std::uint8_t kSkip = 0x80;  // not in the alphabet
constexpr std::uint8_t kPad = 0x81;   // '='

constexpr std::array<std::uint8_t, 256> makeBase64Table() {
    std::array<std::uint8_t, 256> t{};
    for (auto& v : t) v = kSkip;
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
    // URL-safe variants appear in the wild (and cost nothing to accept).
    t['-'] = 62;
    t['_'] = 63;
    t['='] = kPad;
    return t;
}
constexpr auto kBase64 = makeBase64Table();

bool isBlankOrEol(unsigned char c) { return c == '\r' || c == '\n' || c == ' ' || c == '\t'; }

int hexValue(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;  // lower case is invalid QP but common
    return -1;
}

// Decodes full 4-char groups of clean alphabet quickly; returns bytes consumed.
std::size_t decodeCleanRun(const unsigned char* p, std::size_t n, char*& w) {
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        std::uint32_t a = kBase64[p[i]], b = kBase64[p[i + 1]], c = kBase64[p[i + 2]], d = kBase64[p[i + 3]];
        if ((a | b | c | d) & 0x80) break;
        std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
        w[0] = static_cast<char>(v >> 16);
        w[1] = static_cast<char>(v >> 8);
        w[2] = static_cast<char>(v);
        w += 3;
    }
    return i;
}

}  // namespace

std::size_t decodeBase64(std::string_view in, std::string& out) {
    const std::size_t start = out.size();
    out.resize(start + in.size() / 4 * 3 + 3);
    char* w = out.data() + start;
    const auto* p = reinterpret_cast<const unsigned char*>(in.data());
    const std::size_t n = in.size();
    std::size_t garbage = 0;
    std::uint32_t acc = 0;
    int have = 0;
    for (std::size_t i = 0; i < n;) {
        if (have == 0) {
            i += decodeCleanRun(p + i, n - i, w);  // the common case: whole 76-char lines
            if (i >= n) break;
        }
        std::uint8_t v = kBase64[p[i]];
        if (v == kPad) break;  // padding ends the data; what follows is ignored
        ++i;
        if (v == kSkip) {
            if (!isBlankOrEol(p[i - 1])) ++garbage;
            continue;
        }
        acc = (acc << 6) | v;
        if (++have == 4) {
            w[0] = static_cast<char>(acc >> 16);
            w[1] = static_cast<char>(acc >> 8);
            w[2] = static_cast<char>(acc);
            w += 3;
            acc = 0;
            have = 0;
        }
    }
    if (have == 2) *w++ = static_cast<char>(acc >> 4);
    if (have == 3) {
        *w++ = static_cast<char>(acc >> 10);
        *w++ = static_cast<char>(acc >> 2);
    }
    if (have == 1) ++garbage;  // six lone bits cannot form a byte
    out.resize(static_cast<std::size_t>(w - out.data()));
    return garbage;
}

std::size_t decodeQuotedPrintable(std::string_view in, std::string& out) {
    const std::size_t start = out.size();
    out.resize(start + in.size());
    char* w = out.data() + start;
    const char* p = in.data();
    const char* end = p + in.size();
    std::size_t bad = 0;
    while (p < end) {
        const char* eq = static_cast<const char*>(std::memchr(p, '=', static_cast<std::size_t>(end - p)));
        const char* stop = eq ? eq : end;
        std::memcpy(w, p, static_cast<std::size_t>(stop - p));
        w += stop - p;
        if (!eq) break;
        p = eq + 1;
        // Soft line break: '=' then optional blanks then CRLF/LF (or the end of the body).
        const char* q = p;
        while (q < end && (*q == ' ' || *q == '\t')) ++q;
        if (q == end || *q == '\n' || (*q == '\r' && q + 1 < end && q[1] == '\n')) {
            p = q == end ? end : q + (*q == '\r' ? 2 : 1);
            continue;
        }
        int hi = p < end ? hexValue(static_cast<unsigned char>(p[0])) : -1;
        int lo = p + 1 < end ? hexValue(static_cast<unsigned char>(p[1])) : -1;
        if (hi < 0 || lo < 0) {
            *w++ = '=';  // keep a malformed escape literally: losing text is worse
            ++bad;
            continue;
        }
        *w++ = static_cast<char>(hi << 4 | lo);
        p += 2;
    }
    out.resize(static_cast<std::size_t>(w - out.data()));
    return bad;
}

std::size_t decodeQEncoding(std::string_view in, std::string& out) {
    std::size_t bad = 0;
    out.reserve(out.size() + in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '_') {
            out.push_back(' ');
        } else if (c == '=' && i + 2 < in.size() && hexValue(static_cast<unsigned char>(in[i + 1])) >= 0 &&
                   hexValue(static_cast<unsigned char>(in[i + 2])) >= 0) {
            out.push_back(static_cast<char>(hexValue(static_cast<unsigned char>(in[i + 1])) << 4 |
                                            hexValue(static_cast<unsigned char>(in[i + 2]))));
            i += 2;
        } else {
            if (c == '=') ++bad;
            out.push_back(c);
        }
    }
    return bad;
}

}  // namespace postdesk::mime
