#include "mime/detail/html_depth_guard.h"

#include <array>

namespace postdesk::mime::detail {
namespace {

bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Void elements, and elements whose end tag may be left out, do not reliably nest.
bool isUncounted(std::string_view name) {
    static constexpr std::array<std::string_view, 30> kNames = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "p", "li", "td", "th", "tr", "dt", "dd", "option", "optgroup",
        "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp"};
    for (std::string_view n : kNames) {
        if (n == name) return true;
    }
    return false;
}

// End of the tag starting at `lt` ('<'), skipping '>' inside quoted attribute values.
std::size_t tagEnd(std::string_view s, std::size_t lt) {
    char quote = 0;
    for (std::size_t i = lt + 1; i < s.size(); ++i) {
        if (quote) {
            if (s[i] == quote) quote = 0;
        } else if (s[i] == '"' || s[i] == '\'') {
            quote = s[i];
        } else if (s[i] == '>') {
            return i + 1;
        }
    }
    return s.size();
}

struct Tag {
    bool closing = false;
    bool selfClosing = false;
    std::string name;  // lower case, at most 16 chars: enough to compare with kNames
    std::size_t end = 0;
};

Tag readTag(std::string_view s, std::size_t lt) {
    Tag t;
    std::size_t i = lt + 1;
    if (s[i] == '/') {
        t.closing = true;
        ++i;
    }
    while (i < s.size() && (isAlpha(s[i]) || (s[i] >= '0' && s[i] <= '9')) && t.name.size() < 16) {
        t.name += lower(s[i++]);
    }
    t.end = tagEnd(s, lt);
    t.selfClosing = t.end >= 2 && s[t.end - 2] == '/';
    return t;
}

bool startsTag(std::string_view s, std::size_t i) {
    if (i + 1 >= s.size()) return false;
    char c = s[i + 1];
    return isAlpha(c) || (c == '/' && i + 2 < s.size() && isAlpha(s[i + 2]));
}

}  // namespace

std::optional<std::string> flattenDeepNesting(std::string_view html, std::size_t maxDepth) {
    std::string out;
    bool dropped = false;
    std::size_t depth = 0, excess = 0, copied = 0;
    for (std::size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i + 1)) {
        if (html.compare(i, 4, "<!--") == 0) {
            std::size_t close = html.find("-->", i + 4);
            if (close == std::string_view::npos) break;
            i = close + 2;
            continue;
        }
        if (!startsTag(html, i)) continue;
        Tag t = readTag(html, i);
        bool drop = false;
        if (t.selfClosing || isUncounted(t.name)) {
        } else if (!t.closing && depth >= maxDepth) {
            ++excess;
            drop = true;
        } else if (!t.closing) {
            ++depth;
        } else if (excess > 0) {
            --excess;
            drop = true;
        } else if (depth > 0) {
            --depth;
        }
        if (drop) {
            out.append(html, copied, i - copied);
            copied = t.end;
            dropped = true;
        }
        i = t.end - 1;
    }
    if (!dropped) return std::nullopt;
    out.append(html, copied, std::string_view::npos);
    return out;
}

}  // namespace postdesk::mime::detail
