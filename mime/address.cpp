#include "mime/address.h"

#include <optional>

#include "mime/charset.h"
#include "mime/detail/byte_set.h"
#include "mime/detail/header_lex.h"
#include "mime/encoded_word.h"

namespace postdesk::mime {
namespace {

using namespace detail;

// One whitespace-separated word of a mailbox: `raw` as written (for an addr-spec, which keeps
// its quotes), `text` unquoted (for a display name).
struct Word {
    std::string raw, text;
};

// What one mailbox's text breaks into before deciding which part is the address.
struct Pieces {
    std::vector<Word> words;
    std::optional<std::string_view> angle;  // between < and >, when present
    std::string comment;               // the first non-empty comment
    bool unclosed = false;             // `<` without `>`
};

// `<...>`, tolerating quotes inside, nested brackets (`<<x@y>>`) and a missing `>`. A view: the
// list splitter only skips over it, and the address is cleaned into a string of its own anyway.
std::string_view readAngle(std::string_view s, std::size_t& i, bool& unclosed) {
    std::size_t start = i + 1;
    int depth = 0;
    for (; i < s.size(); ++i) {
        if (s[i] == '"') {
            readQuoted(s, i);
            --i;
        } else if (s[i] == '<') {
            ++depth;
        } else if (s[i] == '>' && --depth == 0) {
            return s.substr(start, i++ - start);
        }
    }
    unclosed = true;
    return s.substr(start);
}

void addToWord(Pieces& p, bool& inWord, std::string_view raw, std::string_view text) {
    if (!inWord) p.words.emplace_back();
    inWord = true;
    p.words.back().raw += raw;
    p.words.back().text += text;
}

Pieces splitPieces(std::string_view s) {
    Pieces p;
    bool inWord = false;
    for (std::size_t i = 0; i < s.size();) {
        char c = s[i];
        std::size_t start = i;
        if (c == '"') {
            std::string text = readQuoted(s, i);
            addToWord(p, inWord, s.substr(start, i - start), text);
            continue;
        }
        inWord = inWord && !isWsp(c) && c != '(' && c != '<' && c != '>';
        if (c == '(') {
            std::string comment = readComment(s, i);
            if (p.comment.empty()) p.comment = std::string(trimWsp(comment));
        } else if (c == '<' && !p.angle) {
            p.angle = readAngle(s, i, p.unclosed);
        } else if (isWsp(c) || c == '<' || c == '>') {
            ++i;
        } else {
            // The whole run of ordinary characters at once (one append per character was most of
            // the address parser's time).
            std::size_t j = i + 1;
            while (j < s.size() && !isWsp(s[j]) && s[j] != '"' && s[j] != '(' && s[j] != '<' && s[j] != '>') ++j;
            addToWord(p, inWord, s.substr(i, j - i), s.substr(i, j - i));
            i = j;
        }
    }
    return p;
}

// The addr-spec as written, minus folding whitespace, comments, extra brackets and an
// obsolete source route (`@a,@b:x@y`, RFC 5322 §4.4). Nearly every address has none of these:
// it is taken whole (a push_back per character was most of this function's time).
std::string cleanAddrSpec(std::string_view s) {
    constexpr ByteSet kNotPlain("\"( \t\r\n<>");
    if (kNotPlain.findIn(s) == std::string_view::npos && !s.starts_with('@')) return std::string(s);
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t start = i;
        if (s[i] == '"') {
            readQuoted(s, i);
            out += s.substr(start, i - start);
        } else if (s[i] == '(') {
            readComment(s, i);
        } else {
            if (!isWsp(s[i]) && s[i] != '<' && s[i] != '>') out.push_back(s[i]);
            ++i;
        }
    }
    if (out.starts_with('@'))
        if (std::size_t colon = out.find(':'); colon != std::string::npos) out.erase(0, colon + 1);
    return out;
}

std::string joinText(const std::vector<Word>& words, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t k = from; k < to; ++k) {
        if (!out.empty()) out.push_back(' ');
        out += words[k].text;
    }
    return out;
}

// Unquoted, RFC 2047 undone (Outlook encodes inside quotes too), trimmed, and without the
// single quotes some clients wrap names in ('Jane Doe').
std::string cleanName(std::string_view phrase, Warnings& w) {
    std::string name = decodeHeaderText(phrase, w);
    std::string_view v = trimWsp(name);
    if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') v = trimWsp(v.substr(1, v.size() - 2));
    return std::string(v);
}

std::string utf8Address(std::string a, Warnings& w) {
    if (isValidUtf8(a)) return a;  // moved; `valid ? a : toUtf8(...)` copied it
    return toUtf8(a, "", w);
}

bool isAddrSpecWord(const Word& word) {
    std::string_view r = word.raw;
    std::size_t at = r.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < r.size();
}

// No angle brackets: an addr-spec, possibly with obsolete spaces (`john . doe @ x.org`), or
// the `Jane Doe jane@x.org` some scripts write, or a bare local part (`root`).
std::optional<Address> fromBareWords(const Pieces& p, Warnings& w) {
    const auto& words = p.words;
    if (words.size() > 1 && isAddrSpecWord(words.back())) {
        std::string name = cleanName(joinText(words, 0, words.size() - 1), w);
        return Address{name, utf8Address(words.back().raw, w)};
    }
    std::string spec;
    for (const auto& word : words) spec += word.raw;
    bool hasAt = spec.find('@') != std::string::npos;
    // `Name (jane@x.org)`: the address only in the comment, the name where the address belongs
    // (Zammad's fixtures mail006 and mail075). A reader sees an address; so do we.
    std::string_view comment = trimWsp(p.comment);
    std::size_t commentAt = comment.find('@');
    if (!hasAt && commentAt != std::string_view::npos && commentAt > 0 && commentAt + 1 < comment.size() &&
        comment.find_first_of(" \t") == std::string_view::npos)
        return Address{cleanName(joinText(words, 0, words.size()), w), utf8Address(std::string(comment), w)};
    if (!hasAt && words.size() != 1) return std::nullopt;
    return Address{cleanName(p.comment, w), utf8Address(cleanAddrSpec(spec), w)};
}

std::optional<Address> parseOne(std::string_view text, Warnings& w) {
    Pieces p = splitPieces(text);
    if (p.unclosed) w.add(warn::kBadAddress, "missing '>': " + std::string(text.substr(0, 80)));
    if (!p.angle) {
        if (p.words.empty()) return std::nullopt;
        auto a = fromBareWords(p, w);
        if (!a) w.add(warn::kBadAddress, text.substr(0, 80));
        return a;
    }
    std::string name = cleanName(joinText(p.words, 0, p.words.size()), w);
    if (name.empty()) name = cleanName(p.comment, w);
    return Address{std::move(name), utf8Address(cleanAddrSpec(*p.angle), w)};
}

// Top-level pieces separated by `,` and `;`; a group's `name:` is dropped (its members stay).
std::vector<std::string_view> splitList(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size();) {
        char c = s[i];
        if (c == '"') {
            readQuoted(s, i);
        } else if (c == '(') {
            readComment(s, i);
        } else if (c == '<') {
            bool unclosed = false;
            readAngle(s, i, unclosed);
        } else {
            ++i;
            if (c == ':') start = i;
            if (c != ',' && c != ';') continue;
            out.push_back(s.substr(start, i - 1 - start));
            start = i;
        }
    }
    out.push_back(s.substr(start));
    return out;
}

bool isLoneWords(std::string_view piece) {
    constexpr ByteSet kAddressMarks("@<\"");
    return !trimWsp(piece).empty() && kAddressMarks.findIn(piece) == std::string_view::npos;
}

bool hasNamedAngle(std::string_view piece) {
    std::size_t lt = piece.find('<');
    return lt != std::string_view::npos && !trimWsp(piece.substr(0, lt)).empty();
}

// `Doe, John <j@x>` without quotes: the comma belongs to the name, not the list.
std::vector<std::string_view> mergeUnquotedCommaNames(std::vector<std::string_view> pieces) {
    std::vector<std::string_view> out;
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        if (k + 1 < pieces.size() && isLoneWords(pieces[k]) && hasNamedAngle(pieces[k + 1])) {
            const char* end = pieces[k + 1].data() + pieces[k + 1].size();
            out.emplace_back(pieces[k].data(), static_cast<std::size_t>(end - pieces[k].data()));
            ++k;
            continue;
        }
        out.push_back(pieces[k]);
    }
    return out;
}

}  // namespace

std::vector<Address> parseAddressList(std::string_view raw, Warnings& warnings) {
    std::vector<Address> out;
    for (std::string_view piece : mergeUnquotedCommaNames(splitList(raw))) {
        auto a = parseOne(piece, warnings);
        if (a && !a->address.empty()) out.push_back(std::move(*a));
    }
    return out;
}

Address parseMailbox(std::string_view raw, Warnings& warnings) {
    auto list = parseAddressList(raw, warnings);
    return list.empty() ? Address{} : std::move(list.front());
}

}  // namespace postdesk::mime
