#include "replies/detail/utf8.h"

namespace postdesk::replies::detail {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Latin Extended-A pairs upper/lower by parity, but the parity flips at U+0139 and U+0179, and a
// few letters (ı, ĸ, ŉ, ſ, İ, Ÿ) have no partner of the same length: they are left alone.
bool extAIsUpper(char32_t cp) {
    if (cp >= 0x0139 && cp <= 0x0148) return cp % 2 == 1;
    if (cp >= 0x0179 && cp <= 0x017E) return cp % 2 == 1;
    return cp % 2 == 0;
}

bool extAHasPair(char32_t cp) {
    return cp >= 0x0100 && cp <= 0x017E && cp != 0x0130 && cp != 0x0131 && cp != 0x0138 && cp != 0x0149 &&
           cp != 0x017F && cp != 0x0178;
}

}  // namespace

char32_t decodeUtf8(std::string_view s, std::size_t& pos) {
    const auto c = static_cast<unsigned char>(s[pos]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
    if (extra < 0 || pos + extra >= s.size()) {
        ++pos;
        return kReplacement;
    }
    char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    for (int i = 1; i <= extra; ++i) {
        const auto next = static_cast<unsigned char>(s[pos + i]);
        if (!isContinuation(next)) {
            ++pos;
            return kReplacement;
        }
        cp = (cp << 6) | (next & 0x3F);
    }
    pos += extra + 1;
    return cp;
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

char32_t toLowerCp(char32_t cp) {
    if (cp >= 'A' && cp <= 'Z') return cp + 0x20;
    if (cp >= 0x00C0 && cp <= 0x00DE && cp != 0x00D7) return cp + 0x20;
    if (extAHasPair(cp) && extAIsUpper(cp)) return cp + 1;
    if (cp >= 0x0410 && cp <= 0x042F) return cp + 0x20;
    if (cp >= 0x0400 && cp <= 0x040F) return cp + 0x50;
    return cp;
}

char32_t toUpperCp(char32_t cp) {
    if (cp >= 'a' && cp <= 'z') return cp - 0x20;
    if (cp >= 0x00E0 && cp <= 0x00FE && cp != 0x00F7) return cp - 0x20;
    if (extAHasPair(cp) && !extAIsUpper(cp)) return cp - 1;
    if (cp >= 0x0430 && cp <= 0x044F) return cp - 0x20;
    if (cp >= 0x0450 && cp <= 0x045F) return cp - 0x50;
    return cp;
}

bool isCyrillicCp(char32_t cp) { return cp >= 0x0400 && cp <= 0x04FF; }

bool isLetterCp(char32_t cp) {
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) return true;
    if (cp >= 0x00C0 && cp <= 0x024F) return cp != 0x00D7 && cp != 0x00F7;
    return isCyrillicCp(cp);
}

std::string toLowerUtf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t pos = 0; pos < s.size();) {
        const std::size_t start = pos;
        const char32_t cp = decodeUtf8(s, pos);
        if (cp == kReplacement) {
            out.append(s.substr(start, pos - start));  // keep bad bytes so offsets still line up
        } else {
            appendUtf8(out, toLowerCp(cp));
        }
    }
    return out;
}

std::string capitaliseName(std::string_view word) {
    bool hasUpper = false;
    bool hasLower = false;
    for (std::size_t pos = 0; pos < word.size();) {
        const char32_t cp = decodeUtf8(word, pos);
        hasUpper |= toLowerCp(cp) != cp;
        hasLower |= toUpperCp(cp) != cp;
    }
    if (hasUpper && hasLower) return std::string(word);
    std::string out;
    bool startOfPart = true;
    for (std::size_t pos = 0; pos < word.size();) {
        const char32_t cp = decodeUtf8(word, pos);
        appendUtf8(out, startOfPart ? toUpperCp(cp) : toLowerCp(cp));
        startOfPart = cp == '-';
    }
    return out;
}

std::size_t countCodePoints(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t pos = 0; pos < s.size(); ++n) decodeUtf8(s, pos);
    return n;
}

}  // namespace postdesk::replies::detail
