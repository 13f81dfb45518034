#include "rules/detail/sieve_match.h"

#include <cctype>

#include "rules/detail/sieve_regex.h"

namespace postdesk::rules::detail {
namespace {

char fold(char c, SieveComparator cmp) {
    // i;ascii-casemap folds A-Z only (RFC 4790 §9.2); other bytes compare as octets.
    if (cmp == SieveComparator::AsciiCasemap && c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
    return c;
}

bool equalFolded(std::string_view a, std::string_view b, SieveComparator cmp) {
    if (a.size() != b.size()) return false;
    if (cmp == SieveComparator::Octet) return a == b;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (fold(a[i], cmp) != fold(b[i], cmp)) return false;
    }
    return true;
}

bool containsFolded(std::string_view value, std::string_view key, SieveComparator cmp) {
    if (cmp == SieveComparator::Octet) return value.find(key) != std::string_view::npos;
    if (key.empty()) return true;
    const char first = fold(key[0], cmp);
    for (std::size_t i = 0; i + key.size() <= value.size(); ++i) {
        if (fold(value[i], cmp) == first && equalFolded(value.substr(i + 1, key.size() - 1), key.substr(1), cmp)) return true;
    }
    return false;
}

std::size_t utf8Length(std::string_view s, std::size_t i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    return i + len <= s.size() ? len : 1;
}

struct Token {
    enum class Kind { Literal, One, Star } kind;
    char c = 0;
    int wildcard = -1;  // capture index - 1 for One/Star
};

std::vector<Token> compile(std::string_view pattern, SieveComparator cmp) {
    std::vector<Token> out;
    out.reserve(pattern.size());
    int wildcards = 0;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            out.push_back({Token::Kind::Literal, fold(pattern[++i], cmp)});
        } else if (c == '*') {
            // Consecutive stars are one wildcard for matching but each still owns a capture.
            out.push_back({Token::Kind::Star, 0, wildcards++});
        } else if (c == '?') {
            out.push_back({Token::Kind::One, 0, wildcards++});
        } else {
            out.push_back({Token::Kind::Literal, fold(c, cmp)});
        }
    }
    return out;
}

struct Span {
    std::size_t begin = 0, end = 0;
};

bool wildcardMatch(std::string_view value, std::string_view pattern, SieveComparator cmp, std::vector<std::string>* captures) {
    const std::vector<Token> toks = compile(pattern, cmp);
    std::vector<Span> spans(toks.size());
    std::size_t p = 0, s = 0;
    std::size_t star = toks.size(), starBegin = 0, starEnd = 0;
    while (s < value.size()) {
        if (p < toks.size() && toks[p].kind == Token::Kind::Star) {
            star = p;
            starBegin = starEnd = s;
            spans[p] = {s, s};
            ++p;
        } else if (p < toks.size() && toks[p].kind == Token::Kind::One) {
            std::size_t len = utf8Length(value, s);
            spans[p] = {s, s + len};
            s += len;
            ++p;
        } else if (p < toks.size() && toks[p].c == fold(value[s], cmp)) {
            ++s;
            ++p;
        } else if (star < toks.size()) {
            // Give the last '*' one more character and retry what follows it.
            starEnd += utf8Length(value, starEnd);
            spans[star] = {starBegin, starEnd};
            s = starEnd;
            p = star + 1;
        } else {
            return false;
        }
    }
    for (; p < toks.size() && toks[p].kind == Token::Kind::Star; ++p) spans[p] = {s, s};
    if (p != toks.size()) return false;
    if (captures) {
        captures->assign(1, std::string(value));
        for (std::size_t i = 0; i < toks.size(); ++i) {
            if (toks[i].wildcard >= 0) captures->emplace_back(value.substr(spans[i].begin, spans[i].end - spans[i].begin));
        }
    }
    return true;
}

// The same match as wildcardMatch without captures, straight off the pattern: no allocation.
bool wildcardMatchNoCaptures(std::string_view value, std::string_view pattern, SieveComparator cmp) {
    constexpr std::size_t kNone = std::string_view::npos;
    std::size_t p = 0, s = 0, starP = kNone, starS = 0;
    while (s < value.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            starP = ++p;
            starS = s;
            continue;
        }
        if (p < pattern.size() && pattern[p] == '?') {
            s += utf8Length(value, s);
            ++p;
            continue;
        }
        if (p < pattern.size()) {
            bool escaped = pattern[p] == '\\' && p + 1 < pattern.size();
            if (fold(pattern[escaped ? p + 1 : p], cmp) == fold(value[s], cmp)) {
                ++s;
                p += escaped ? 2 : 1;
                continue;
            }
        }
        if (starP == kNone) return false;
        // Give the last '*' one more character and retry what follows it.
        starS += utf8Length(value, starS);
        s = starS;
        p = starP;
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

// Is byte `k` where a '*' can end? '*' grows one UTF-8 character at a time from the start of the
// value (utf8Length), so in a malformed value some bytes are skipped; the shapes below check the
// same positions the general matcher would try.
bool onCharacterBoundary(std::string_view value, std::size_t k) {
    std::size_t i = 0;
    while (i < k) i += utf8Length(value, i);
    return i == k;
}

// What wildcardMatchNoCaptures decides, for the shapes most keys have: one compare (Exact,
// Prefix, Suffix) or one scan (Infix) instead of matching the pattern byte by byte.
bool wildcardMatchShape(std::string_view value, const SieveCompiledString& key, SieveComparator cmp) {
    const std::string_view lit = key.literal;
    switch (key.shape) {
        case SieveWildcardShape::Any: return true;
        case SieveWildcardShape::Exact: return equalFolded(value, lit, cmp);
        case SieveWildcardShape::Prefix: return value.size() >= lit.size() && equalFolded(value.substr(0, lit.size()), lit, cmp);
        case SieveWildcardShape::Suffix: {
            if (value.size() < lit.size()) return false;
            const std::size_t k = value.size() - lit.size();
            return equalFolded(value.substr(k), lit, cmp) && onCharacterBoundary(value, k);
        }
        case SieveWildcardShape::Infix:
            for (std::size_t k = 0; k + lit.size() <= value.size(); k += utf8Length(value, k)) {
                if (equalFolded(value.substr(k, lit.size()), lit, cmp)) return true;
            }
            return false;
        case SieveWildcardShape::General: break;
    }
    return wildcardMatchNoCaptures(value, key.text, cmp);
}

// After a hit, the captures wildcardMatch gives, straight from the shape when each end has at
// most one '*': ${0} the value, then what each '*' took. For Infix the first '*' ends at the
// first position (on a character boundary) where the literal fits. Other keys take wildcardMatch.
void shapeCaptures(std::string_view value, const SieveCompiledString& key, SieveComparator cmp, std::vector<std::string>& captures) {
    const std::string_view lit = key.literal;
    const std::size_t stars = key.text.size() - lit.size();
    auto set = [&](std::string_view first, std::string_view second, int count) {
        captures.assign(1, std::string(value));
        if (count > 0) captures.emplace_back(first);
        if (count > 1) captures.emplace_back(second);
    };
    switch (key.shape) {
        case SieveWildcardShape::Exact: return set({}, {}, 0);
        case SieveWildcardShape::Any:
            if (stars == 1) return set(value, {}, 1);
            break;
        case SieveWildcardShape::Prefix:
            if (stars == 1) return set(value.substr(lit.size()), {}, 1);
            break;
        case SieveWildcardShape::Suffix:
            if (stars == 1) return set(value.substr(0, value.size() - lit.size()), {}, 1);
            break;
        case SieveWildcardShape::Infix:
            if (stars != 2) break;
            for (std::size_t k = 0; k + lit.size() <= value.size(); k += utf8Length(value, k)) {
                if (equalFolded(value.substr(k, lit.size()), lit, cmp)) return set(value.substr(0, k), value.substr(k + lit.size()), 2);
            }
            break;
        case SieveWildcardShape::General: break;
    }
    wildcardMatch(value, key.text, cmp, &captures);
}

}  // namespace

SieveWildcardShape sieveWildcardShape(std::string_view pattern, std::string& literal) {
    literal.clear();
    if (pattern.find_first_of("?\\") != std::string_view::npos) return SieveWildcardShape::General;
    const std::size_t begin = pattern.find_first_not_of('*');
    if (begin == std::string_view::npos) return pattern.empty() ? SieveWildcardShape::Exact : SieveWildcardShape::Any;
    const std::size_t end = pattern.find_last_not_of('*') + 1;
    std::string_view middle = pattern.substr(begin, end - begin);
    if (middle.find('*') != std::string_view::npos) return SieveWildcardShape::General;
    literal = std::string(middle);
    const bool lead = begin > 0, trail = end < pattern.size();
    return lead && trail ? SieveWildcardShape::Infix : lead ? SieveWildcardShape::Suffix : trail ? SieveWildcardShape::Prefix : SieveWildcardShape::Exact;
}

bool sieveMatchKey(SieveMatchType type, SieveComparator comparator, std::string_view value, const SieveCompiledString& key,
                   std::vector<std::string>* captures) {
    const bool casemap = comparator == SieveComparator::AsciiCasemap;
    const std::string_view k = casemap ? key.folded : key.text;
    switch (type) {
        case SieveMatchType::Is: return equalFolded(value, k, comparator);
        case SieveMatchType::Contains: return containsFolded(value, k, comparator);
        case SieveMatchType::Matches:
            // Decide from the shape, and capture (the general matcher) only after a hit.
            if (!wildcardMatchShape(value, key, comparator)) return false;
            if (captures) shapeCaptures(value, key, comparator, *captures);
            return true;
        case SieveMatchType::Regex: return matchSieveRegex(key.text, value, casemap, captures);
    }
    return false;
}

bool sieveMatch(SieveMatchType type, SieveComparator comparator, std::string_view value, std::string_view key,
                std::vector<std::string>* captures) {
    switch (type) {
        case SieveMatchType::Is: return equalFolded(value, key, comparator);
        case SieveMatchType::Contains: return containsFolded(value, key, comparator);
        case SieveMatchType::Matches:
            // Most keys do not match: decide without allocating, and capture only after a hit.
            if (!wildcardMatchNoCaptures(value, key, comparator)) return false;
            return captures ? wildcardMatch(value, key, comparator, captures) : true;
        case SieveMatchType::Regex: return matchSieveRegex(key, value, comparator == SieveComparator::AsciiCasemap, captures);
    }
    return false;
}

}  // namespace postdesk::rules::detail
