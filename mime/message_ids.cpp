// parseMessageIds (declared in address.h): msg-ids of Message-ID, In-Reply-To and References.
#include "mime/address.h"

#include <algorithm>

#include "mime/charset.h"
#include "mime/detail/byte_set.h"
#include "mime/detail/header_lex.h"

namespace postdesk::mime {
namespace {

using namespace detail;

// Ids are compared byte for byte by threading, so whitespace a folder slipped in is removed
// and anything not UTF-8 is made so (a Message holds only UTF-8).
std::string cleanId(std::string_view id) {
    constexpr ByteSet kDropped(" \t\r\n<>");
    if (kDropped.findIn(id) == std::string_view::npos) {  // the usual id: taken whole, not byte by byte
        std::string whole(id);
        if (isValidUtf8(whole)) return whole;
    }
    std::string out;
    out.reserve(id.size());
    for (char c : id)
        if (!isWsp(c) && c != '<' && c != '>') out.push_back(c);
    if (isValidUtf8(out)) return out;
    Warnings ignored;
    return toUtf8(out, "", ignored);
}

// `<id>`; an unclosed one ends at whitespace or at the next `<` (the next id usually follows).
std::string readBracketed(std::string_view s, std::size_t& i) {
    std::size_t start = ++i;
    std::size_t close = start;  // find_first_of("<>") by hand: that one calls memchr per byte
    while (close < s.size() && s[close] != '<' && s[close] != '>') ++close;
    if (close == s.size()) close = std::string_view::npos;
    if (close != std::string_view::npos && s[close] == '>') {
        i = close + 1;
        return cleanId(s.substr(start, close - start));
    }
    std::size_t end = std::min(s.find_first_of(" \t\r\n", start), close);
    i = std::min(end, s.size());
    return cleanId(s.substr(start, i - start));
}

// A bare `id@host` (brackets missing: old Outlook, some list software) counts; a bare word
// without `@` is garbage ("In-Reply-To: your message of ...").
std::string readBare(std::string_view s, std::size_t& i) {
    std::size_t start = i;
    while (i < s.size() && !isWsp(s[i]) && s[i] != '<' && s[i] != '(' && s[i] != ',' && s[i] != '"') ++i;
    std::string_view word = s.substr(start, i - start);
    if (i == start) ++i;  // a lone ',' or stray byte
    return word.find('@') != std::string_view::npos ? cleanId(word) : std::string();
}

}  // namespace

std::vector<std::string> parseMessageIds(std::string_view raw) {
    std::vector<std::string> ids;
    std::size_t i = 0;
    while (true) {
        skipCfws(raw, i);
        if (i >= raw.size()) break;
        std::string id;
        if (raw[i] == '"')
            readQuoted(raw, i);
        else
            id = raw[i] == '<' ? readBracketed(raw, i) : readBare(raw, i);
        if (!id.empty()) ids.push_back(std::move(id));
    }
    return ids;
}

}  // namespace postdesk::mime
