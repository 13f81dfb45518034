#include "mime/detail/header_lex.h"

namespace postdesk::mime::detail {

std::string readQuoted(std::string_view s, std::size_t& i) {
    std::string out;
    for (++i; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') {
            ++i;
            break;
        }
        if (c == '\\' && i + 1 < s.size()) c = s[++i];
        out.push_back(c);
    }
    return out;
}

std::string readComment(std::string_view s, std::size_t& i) {
    std::string out;
    int depth = 0;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\\' && i + 1 < s.size()) {
            out.push_back(s[++i]);
            continue;
        }
        if (c == '(' && depth++ == 0) continue;
        if (c == ')' && --depth == 0) {
            ++i;
            break;
        }
        out.push_back(c);
    }
    return out;
}

void skipCfws(std::string_view s, std::size_t& i) {
    while (i < s.size()) {
        if (isWsp(s[i]))
            ++i;
        else if (s[i] == '(')
            readComment(s, i);
        else
            break;
    }
}

std::string lowerAscii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trimWsp(std::string_view s) {
    while (!s.empty() && isWsp(s.front())) s.remove_prefix(1);
    while (!s.empty() && isWsp(s.back())) s.remove_suffix(1);
    return s;
}

}  // namespace postdesk::mime::detail
