#include "mime/charset.h"

#include <cstdint>
#include <cstring>

#include "mime/detail/charset_names.h"
#include "mime/detail/iconv_convert.h"
#include "mime/detail/sniff.h"
#include "mime/detail/utf8.h"

namespace postdesk::mime {
namespace {

using namespace detail;

bool isSingleByteLegacy(std::string_view cs) {
    for (std::string_view p : {"CP125", "ISO-8859-", "ISO8859-", "KOI8", "MACINTOSH"})
        if (cs.starts_with(p)) return true;
    return false;
}

bool hasHighByte(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return true;
    return false;
}

void warnIf(Warnings& w, const char* code, std::string_view detail) {
    if (code) w.add(code, detail);
}

// Text declared UTF-8 that holds valid multi-byte sequences is UTF-8 with damage (a cut-off
// character, stray bytes) unless the broken bytes swamp them: legacy single-byte text forms a
// valid UTF-8 sequence only by accident ("Ã©"), so even one "€" (E2 82 AC) beside two stray
// bytes is evidence enough. Repairing keeps the good part readable, where re-reading the whole
// text in a sniffed charset would garble it ("â‚¬").
bool isDamagedUtf8(std::string_view bytes) {
    constexpr std::size_t kStrayPerSequence = 4;
    Utf8Census c = utf8Census(bytes);
    return c.multiByte > 0 && c.invalid <= kStrayPerSequence * c.multiByte;
}

void appendRepaired(std::string& out, std::string_view bytes, Warnings& w) {
    if (std::size_t n = appendUtf8Repaired(out, bytes); n > 0)
        w.add(warn::kInvalidBytes, std::to_string(n) + " byte(s) not UTF-8");
}

bool trySniffed(std::string& out, std::string_view bytes, const char* code, Warnings& w) {
    std::string guess = sniffCharset(bytes);
    if (!convertStrict(out, bytes, guess)) return false;
    warnIf(w, code, "read as " + guess);
    return true;
}

bool tryIso2022(std::string& out, std::string_view bytes, const char* code, Warnings& w) {
    if (bytes.find('\x1B') == std::string_view::npos) return false;
    std::string iso = sniffIso2022(bytes);
    if (iso.empty() || !convertStrict(out, bytes, iso)) return false;
    warnIf(w, code, "read as " + iso);
    return true;
}

// Undeclared, us-ascii or utf-8 text that is not plain ASCII. RFC 6532 allows raw UTF-8
// anywhere, so valid UTF-8 is taken as is, without a warning; ISO-2022 escapes are honoured
// (zammad#6144: ISO-2022-JP mail without a charset); anything else is sniffed.
void appendUtf8Family(std::string& out, std::string_view bytes, bool declaredUtf8, const char* code,
                      Warnings& w) {
    if (tryIso2022(out, bytes, code, w)) return;
    if (firstInvalidUtf8(bytes) == bytes.size()) {
        out.append(bytes);
        return;
    }
    if (declaredUtf8 && isDamagedUtf8(bytes)) return appendRepaired(out, bytes, w);
    if (trySniffed(out, bytes, code, w)) return;
    appendRepaired(out, bytes, w);
}

// A charset iconv knows. When the bytes do not fit it, the label is taken to be wrong: valid
// UTF-8 first (the commonest mislabel), then the sniffed charset; if neither fits cleanly the
// declared charset is used with U+FFFD for what it rejects.
void appendDeclared(std::string& out, std::string_view bytes, const std::string& cs, Warnings& w) {
    // 7-bit text is "valid UTF-8" trivially, so only multi-byte sequences count as evidence. Stops
    // at the first invalid byte, where a census would read all of a legacy text (6% of a mail).
    bool utf8 = firstInvalidUtf8(bytes) == bytes.size() && hasHighByte(bytes);
    // Valid multi-byte UTF-8 is almost never legacy single-byte text by accident ("Ã©" would be
    // needed), while UTF-8 labelled iso-8859-1 is everyday mail: trust the bytes over the label.
    if (utf8 && isSingleByteLegacy(cs)) {
        w.add(warn::kCharsetMismatch, "declared " + cs + ", read as UTF-8");
        out.append(bytes);
        return;
    }
    if (convertStrict(out, bytes, cs)) return;
    if (utf8) {
        w.add(warn::kCharsetMismatch, "declared " + cs + ", read as UTF-8");
        out.append(bytes);
        return;
    }
    if (trySniffed(out, bytes, warn::kCharsetMismatch, w)) return;
    std::size_t n = convertLossy(out, bytes, cs).value_or(0);
    w.add(warn::kInvalidBytes, std::to_string(n) + " byte(s) not " + cs);
}

}  // namespace

bool isPlainAscii(std::string_view s) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    constexpr std::uint64_t kEsc = 0x1B * kOnes;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        std::uint64_t x = w ^ kEsc;  // a zero byte in x is an ESC in w
        if (((w | ((x - kOnes) & ~x)) & kHigh) != 0) return false;
    }
    for (; i < s.size(); ++i)
        if (static_cast<unsigned char>(s[i]) >= 0x80 || s[i] == '\x1B') return false;
    return true;
}

bool isValidUtf8(std::string_view s) { return firstInvalidUtf8(s) == s.size(); }

void appendUtf8(std::string& out, std::string_view bytes, std::string_view charset, Warnings& warnings) {
    std::string cs = canonicalCharset(charset);
    if (isPlainAscii(bytes) && isAsciiCompatible(cs)) {
        out.append(bytes);
        return;
    }
    if (cs.empty())
        return appendUtf8Family(out, bytes, false, warn::kUndeclared8bit, warnings);
    if (cs == kAscii || cs == kUtf8)
        return appendUtf8Family(out, bytes, cs == kUtf8, warn::kCharsetMismatch, warnings);
    if (iconvKnows(cs)) return appendDeclared(out, bytes, cs, warnings);
    warnings.add(warn::kUnknownCharset, std::string(charset.substr(0, 64)));
    appendUtf8Family(out, bytes, false, nullptr, warnings);
}

std::string intoUtf8(std::string bytes, std::string_view charset, Warnings& warnings) {
    // The two ways appendUtf8() appends the bytes unchanged and without a warning.
    std::string cs = canonicalCharset(charset);
    if (isPlainAscii(bytes) && isAsciiCompatible(cs)) return bytes;
    if ((cs.empty() || cs == kAscii || cs == kUtf8) && bytes.find('\x1B') == std::string::npos && isValidUtf8(bytes))
        return bytes;
    return toUtf8(bytes, charset, warnings);
}

std::optional<std::string> intoUtf8FromLf(std::string bytes, std::string_view charset, bool high, bool esc,
                                          Warnings& warnings) {
    std::string cs = canonicalCharset(charset);
    if (!high && !esc && isAsciiCompatible(cs)) return bytes;
    if (cs.empty() || cs == kAscii || cs == kUtf8) {
        if (!esc && isValidUtf8(bytes)) return bytes;
        return std::nullopt;  // ISO-2022 or sniffing: they read the bytes as sent
    }
    // appendDeclared()'s steps for a byte-table charset, where CR and LF stand for themselves.
    if (!usesByteTable(cs)) return std::nullopt;
    if (high && isValidUtf8(bytes) && isSingleByteLegacy(cs)) {
        warnings.add(warn::kCharsetMismatch, "declared " + cs + ", read as UTF-8");
        return bytes;
    }
    std::string out;
    out.reserve(bytes.size());
    if (convertStrict(out, bytes, cs)) return out;
    return std::nullopt;
}

std::string toUtf8(std::string_view bytes, std::string_view charset, Warnings& warnings) {
    std::string out;
    out.reserve(bytes.size());
    appendUtf8(out, bytes, charset, warnings);
    return out;
}

}  // namespace postdesk::mime
