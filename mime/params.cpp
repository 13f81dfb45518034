#include "mime/params.h"

#include <algorithm>

#include "mime/charset.h"
#include "mime/detail/header_lex.h"
#include "mime/detail/rfc2231.h"
#include "mime/encoded_word.h"

namespace postdesk::mime {
namespace {

using namespace detail;

struct RawParam {
    std::string name;  // lower-case, as written (still with RFC 2231 stars)
    std::string value;
};

bool isTokenChar(char c) {
    return !isWsp(c) && c != ';' && c != '=' && c != '(' && c != ')' && c != '"' && c != ',';
}

// True when `s` at `i` reads `token=`: the start of a parameter whose `;` was forgotten
// (`text/plain charset=utf-8`).
bool startsParam(std::string_view s, std::size_t i) {
    std::size_t j = i;
    while (j < s.size() && isTokenChar(s[j])) ++j;
    while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
    return j > i && j < s.size() && s[j] == '=';
}

void skipToSemicolon(std::string_view s, std::size_t& i) {
    while (i < s.size() && s[i] != ';') {
        if (s[i] == '"')
            readQuoted(s, i);
        else
            ++i;
    }
}

// An unquoted value runs to `;` or a comment; spaces inside are kept (`name=my file.pdf`)
// unless what follows them starts another parameter.
std::string readBareValue(std::string_view s, std::size_t& i) {
    std::size_t start = i;
    while (i < s.size() && s[i] != ';' && s[i] != '(') {
        if (!isWsp(s[i])) {
            ++i;
            continue;
        }
        std::size_t next = std::min(s.find_first_not_of(" \t\r\n", i), s.size());
        if (startsParam(s, next)) break;
        i = next;  // past the whole run, so long runs of spaces stay linear
    }
    return std::string(trimWsp(s.substr(start, i - start)));
}

std::string readValue(std::string_view s, std::size_t& i) {
    if (i < s.size() && s[i] == '"') return readQuoted(s, i);
    return readBareValue(s, i);
}

std::optional<RawParam> readParam(std::string_view s, std::size_t& i, Warnings& w) {
    std::size_t start = i;
    while (i < s.size() && isTokenChar(s[i])) ++i;
    RawParam p{lowerAscii(s.substr(start, i - start)), {}};
    skipCfws(s, i);
    if (p.name.empty() || i >= s.size() || s[i] != '=') {
        w.add(warn::kBadParam, s.substr(start, 80));
        skipToSemicolon(s, i);
        return std::nullopt;
    }
    ++i;
    skipCfws(s, i);
    p.value = readValue(s, i);
    skipCfws(s, i);
    if (i < s.size() && s[i] != ';' && !startsParam(s, i)) skipToSemicolon(s, i);  // junk after a value
    return p;
}

std::vector<RawParam> readParams(std::string_view s, std::size_t i, Warnings& w) {
    std::vector<RawParam> out;
    while (true) {
        skipCfws(s, i);
        if (i >= s.size()) break;
        if (s[i] == ';') {
            ++i;
            continue;
        }
        if (auto p = readParam(s, i, w)) out.push_back(std::move(*p));
    }
    return out;
}

// Everything before the first `;` (or the first parameter, when the `;` is missing).
std::string readMainValue(std::string_view s, std::size_t& i) {
    skipCfws(s, i);
    std::string out;
    while (i < s.size() && s[i] != ';') {
        if (s[i] == '(') {
            readComment(s, i);
        } else if (isWsp(s[i])) {
            std::size_t next = std::min(s.find_first_not_of(" \t\r\n", i), s.size());
            if (startsParam(s, next)) break;
            i = next;
        } else {
            if (s[i] != '"') out.push_back(s[i]);
            ++i;
        }
    }
    return lowerAscii(trimWsp(out));
}

// Type and parameter names are ASCII tokens by RFC; junk bytes in them must still come out UTF-8.
std::string ensureUtf8(std::string s, Warnings& w) {
    if (isValidUtf8(s)) return s;  // moved; `valid ? s : toUtf8(...)` copied it
    return toUtf8(s, "", w);
}

// A boundary is compared byte for byte with body lines, so it is not decoded.
std::string decodePlain(const RawParam& p, Warnings& w) {
    if (p.name == "boundary" && isValidUtf8(p.value)) return p.value;
    return decodeHeaderText(p.value, w);
}

struct Group {
    std::string name;
    std::optional<std::string> plain;                 // first plain occurrence
    std::vector<detail::ExtendedPiece> extended;      // RFC 2231 pieces, in arrival order
};

Group& groupFor(std::vector<Group>& groups, const std::string& name) {
    for (auto& g : groups)
        if (g.name == name) return g;
    groups.push_back(Group{name, std::nullopt, {}});
    return groups.back();
}

}  // namespace

std::optional<std::string> HeaderParams::get(std::string_view name) const {
    std::string lower = lowerAscii(name);
    for (const auto& [n, v] : params)
        if (n == lower) return v;
    return std::nullopt;
}

HeaderParams parseParams(std::string_view raw, Warnings& warnings) {
    HeaderParams out;
    std::size_t i = 0;
    out.value = ensureUtf8(readMainValue(raw, i), warnings);
    std::vector<Group> groups;
    for (auto& p : readParams(raw, i, warnings)) {
        if (auto ext = splitExtendedName(p.name)) {
            groupFor(groups, ext->base).extended.push_back({ext->section, ext->encoded, std::move(p.value)});
            continue;
        }
        Group& g = groupFor(groups, p.name);
        if (!g.plain) g.plain = decodePlain(p, warnings);  // duplicates: the first wins
    }
    // RFC 2231 §3-4: an extended value is the sender's real intent; the plain one is a fallback
    // for old readers (Outlook sends both for non-ASCII filenames).
    for (auto& g : groups) {
        std::string value = g.extended.empty() ? std::move(*g.plain)
                                               : assembleExtended(std::move(g.extended), g.name, warnings);
        out.params.emplace_back(ensureUtf8(std::move(g.name), warnings), std::move(value));
    }
    return out;
}

}  // namespace postdesk::mime
