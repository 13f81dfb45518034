#include "mime/detail/iconv_convert.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iconv.h>
#include <memory>
#include <unordered_map>

#include "mime/detail/utf8.h"

namespace postdesk::mime::detail {
namespace {

const iconv_t kNoConverter = reinterpret_cast<iconv_t>(-1);
constexpr std::uint64_t kHighBits = 0x8080808080808080ull;

// glibc's stateless one-byte-one-character charsets (the 8bit-gap/8bit-generic gconv modules).
// Not CP1255/CP1258: their modules compose base letters with following combining marks, so a
// byte's output depends on its neighbours.
bool isTableCharset(const std::string& cs) {
    static constexpr std::array<std::string_view, 25> kNames = {
        "CP1250", "CP1251", "CP1252", "CP1253", "CP1254", "CP1256", "CP1257",
        "ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5", "ISO-8859-6",
        "ISO-8859-7", "ISO-8859-8", "ISO-8859-9", "ISO-8859-10", "ISO-8859-11", "ISO-8859-13",
        "ISO-8859-14", "ISO-8859-15", "ISO-8859-16", "KOI8-R", "KOI8-U", "MACINTOSH"};
    return std::find(kNames.begin(), kNames.end(), cs) != kNames.end();
}

// What iconv makes of each single byte: a table lookup per byte instead of a trip through
// __gconv (measured: 3.5x fewer instructions for KOI8-R/CP1251 bodies, ~11% of a text mail).
struct ByteTable {
    std::array<std::array<char, 4>, 256> utf8{};  // padded to 4 so a copy is one store
    std::array<std::uint8_t, 256> length{};       // 0: iconv rejects the byte
};

// Bytes below 0x80 must read as themselves (true of every name in isTableCharset()): runTable()
// copies ASCII eight bytes at a time and sizes its output as one byte per ASCII byte.
bool keepsAscii(const ByteTable& t) {
    for (int b = 0; b < 0x80; ++b)
        if (t.length[static_cast<std::size_t>(b)] != 1 || t.utf8[static_cast<std::size_t>(b)][0] != static_cast<char>(b))
            return false;
    return true;
}

// nullptr when some byte does not convert to exactly one character of at most 3 UTF-8 bytes, so
// that only charsets the table can reproduce exactly use it.
std::unique_ptr<ByteTable> buildByteTable(iconv_t cd) {
    auto t = std::make_unique<ByteTable>();
    for (int b = 0; b < 256; ++b) {
        char in = static_cast<char>(b), outBuf[8];
        char* src = &in;
        char* dst = outBuf;
        std::size_t srcLeft = 1, dstLeft = sizeof outBuf;
        iconv(cd, nullptr, nullptr, nullptr, nullptr);
        if (iconv(cd, &src, &srcLeft, &dst, &dstLeft) == static_cast<std::size_t>(-1)) {
            if (errno != EILSEQ) return nullptr;
            continue;  // undefined in this charset
        }
        if (iconv(cd, nullptr, nullptr, &dst, &dstLeft) == static_cast<std::size_t>(-1)) return nullptr;
        std::string_view got(outBuf, static_cast<std::size_t>(dst - outBuf));
        if (got.empty() || got.size() > 3 || utf8SequenceLength(got, 0) != got.size()) return nullptr;
        std::memcpy(t->utf8[static_cast<std::size_t>(b)].data(), got.data(), got.size());
        t->length[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(got.size());
    }
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    if (!keepsAscii(*t)) return nullptr;
    return t;
}

struct Converter {
    iconv_t cd = kNoConverter;
    std::unique_ptr<ByteTable> table;  // set for isTableCharset() names
};

// Per-thread cache: iconv_t is stateful and not shareable, and opening one costs a gconv module
// lookup. A failed open is cached too, so a mail full of bogus labels does not retry it.
class ConverterCache {
public:
    ConverterCache() = default;
    ConverterCache(const ConverterCache&) = delete;
    ConverterCache& operator=(const ConverterCache&) = delete;
    ~ConverterCache() {
        for (auto& [name, c] : open_)
            if (c.cd != kNoConverter) iconv_close(c.cd);
    }
    // The descriptor is not reset here: only run() uses it, and resets it first. A mail asks for
    // the same charset several times in a row (iconvKnows, then convertStrict, per part), so the
    // last answer is kept (unordered_map never moves its elements).
    const Converter& get(const std::string& charset) {
        if (last_ && lastName_ == charset) return *last_;
        auto it = open_.find(charset);
        if (it == open_.end()) it = open_.emplace(charset, open(charset)).first;
        lastName_ = charset;
        last_ = &it->second;
        return it->second;
    }

private:
    static Converter open(const std::string& charset) {
        Converter c;
        c.cd = iconv_open("UTF-8", charset.c_str());
        // "X-FOO" private names are often just FOO with a prefix.
        if (c.cd == kNoConverter && charset.starts_with("X-"))
            c.cd = iconv_open("UTF-8", charset.c_str() + 2);
        if (c.cd != kNoConverter && isTableCharset(charset)) c.table = buildByteTable(c.cd);
        return c;
    }
    std::unordered_map<std::string, Converter> open_;
    std::string lastName_;
    const Converter* last_ = nullptr;
};

const Converter& converterFor(const std::string& charset) {
    thread_local ConverterCache cache;
    return cache.get(charset);
}

// The table twin of run() below, with the same results. Returns the number of replacements, or
// kFailed (and `out` unchanged) in strict mode when a byte is undefined.
constexpr std::size_t kFailed = static_cast<std::size_t>(-1);

std::size_t countHigh(std::string_view in) {
    std::size_t n = 0, i = 0;
    for (; i + 8 <= in.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, in.data() + i, 8);
        n += static_cast<std::size_t>((((w & kHighBits) >> 7) * 0x0101010101010101ull) >> 56);  // sum of 0/1 bytes
    }
    for (; i < in.size(); ++i) n += static_cast<unsigned char>(in[i]) >= 0x80;
    return n;
}

// ASCII is copied eight bytes at a time (Latin-1 text is nearly all ASCII, Cyrillic text has its
// spaces and punctuation), and the output is sized by what it can really need (one byte per ASCII
// byte, at most three per other byte, U+FFFD included) instead of three per byte: measured
// convertStrict 7.3M -> 4.6M instructions on 300 text mails of the bench corpus.
std::size_t runTable(const ByteTable& t, std::string& out, std::string_view in, bool lossy) {
    std::size_t start = out.size(), replaced = 0;
    // +3: each byte is written with a 4-byte store, so the last one (an ASCII byte after high bytes
    // of three UTF-8 bytes each) reaches three bytes past its own (found by the fuzzer: +1 was short).
    out.resize(start + in.size() + 2 * countHigh(in) + 3);
    char* w = out.data() + start;
    const char* p = in.data();
    const char* end = p + in.size();
    while (p < end) {
        if (end - p >= 8) {
            std::uint64_t v;
            std::memcpy(&v, p, 8);
            if ((v & kHighBits) == 0) {
                std::memcpy(w, p, 8);
                w += 8;
                p += 8;
                continue;
            }
        }
        auto b = static_cast<unsigned char>(*p++);
        std::size_t n = t.length[b];
        if (n == 0) {
            if (!lossy) {
                out.resize(start);
                return kFailed;
            }
            std::memcpy(w, kReplacement.data(), 3);
            w += 3;
            ++replaced;
            continue;
        }
        std::memcpy(w, t.utf8[b].data(), 4);
        w += n;
    }
    out.resize(static_cast<std::size_t>(w - out.data()));
    return replaced;
}

// Runs iconv over all of `in`. On a rejected byte: strict mode stops (returns npos), lossy mode
// writes U+FFFD and skips one byte. Returns the number of replacements.

std::size_t run(iconv_t cd, std::string& out, std::string_view in, bool lossy) {
    std::size_t start = out.size(), replaced = 0;
    char* src = const_cast<char*>(in.data());
    std::size_t srcLeft = in.size();
    out.resize(start + in.size() * 2 + 16);
    std::size_t used = start;
    for (bool flushing = false;;) {
        char* dst = out.data() + used;
        std::size_t dstLeft = out.size() - used;
        std::size_t rc = flushing ? iconv(cd, nullptr, nullptr, &dst, &dstLeft)
                                  : iconv(cd, &src, &srcLeft, &dst, &dstLeft);
        used = out.size() - dstLeft;
        if (rc != static_cast<std::size_t>(-1)) {
            if (flushing) break;
            flushing = true;  // emit the shift-back sequence of stateful charsets
            continue;
        }
        if (errno == E2BIG) {
            out.resize(out.size() * 2);
            continue;
        }
        if (!lossy) {
            out.resize(start);
            return kFailed;
        }
        out.resize(std::max(out.size(), used + 3 + srcLeft * 2 + 16));
        out.replace(used, 3, kReplacement);
        used += 3;
        ++replaced;
        ++src;
        --srcLeft;
    }
    out.resize(used);
    return replaced;
}

// iconv should only ever produce valid UTF-8, but a gconv module bug must not break the
// "every string is UTF-8" promise; this is off the fast path, so check.
std::size_t ensureValid(std::string& out, std::size_t start) {
    std::string_view added(out.data() + start, out.size() - start);
    if (firstInvalidUtf8(added) == added.size()) return 0;
    std::string copy(added);
    out.resize(start);
    return appendUtf8Repaired(out, copy);
}

}  // namespace

bool iconvKnows(const std::string& charset) { return converterFor(charset).cd != kNoConverter; }

bool convertStrict(std::string& out, std::string_view bytes, const std::string& charset) {
    const Converter& c = converterFor(charset);
    if (c.cd == kNoConverter) return false;
    if (c.table) return runTable(*c.table, out, bytes, false) != kFailed;  // valid by construction
    std::size_t start = out.size();
    iconv(c.cd, nullptr, nullptr, nullptr, nullptr);
    if (run(c.cd, out, bytes, false) == kFailed) return false;
    ensureValid(out, start);
    return true;
}

std::optional<std::size_t> convertLossy(std::string& out, std::string_view bytes, const std::string& charset) {
    const Converter& c = converterFor(charset);
    if (c.cd == kNoConverter) return std::nullopt;
    if (c.table) return runTable(*c.table, out, bytes, true);
    std::size_t start = out.size();
    iconv(c.cd, nullptr, nullptr, nullptr, nullptr);
    std::size_t replaced = run(c.cd, out, bytes, true);
    return replaced + ensureValid(out, start);
}

bool usesByteTable(const std::string& charset) { return converterFor(charset).table != nullptr; }

}  // namespace postdesk::mime::detail
