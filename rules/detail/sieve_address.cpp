#include "rules/detail/sieve_address.h"

#include <cstring>

namespace postdesk::rules::detail {
namespace {

bool isAtext(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || (u != 0 && std::strchr("!#$%&'*+-/=?^_`{|}~", c));
}

// 1*atext *("." 1*atext)
bool isDotAtom(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '.' ? s[i + 1] == '.' : !isAtext(s[i])) return false;
    }
    return true;
}

// Labels of atext or 8-bit bytes (Pigeonhole takes "exä.com"), or a domain literal.
bool isDomain(std::string_view d) {
    if (d.size() >= 2 && d.front() == '[' && d.back() == ']') return d.substr(1, d.size() - 2).find_first_of("[]\\") == std::string_view::npos;
    if (d.empty() || d.front() == '.' || d.back() == '.') return false;
    for (std::size_t i = 0; i < d.size(); ++i) {
        unsigned char u = static_cast<unsigned char>(d[i]);
        if (d[i] == '.' ? d[i + 1] == '.' : !(isAtext(d[i]) || u >= 0x80)) return false;
    }
    return true;
}

std::string quoted(std::string_view local) {
    std::string out = "\"";
    for (char c : local) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

SieveAddress sieveAddress(std::string_view spec) {
    SieveAddress a;
    std::size_t at;
    if (!spec.empty() && spec.front() == '"') {
        std::size_t i = 1;
        for (; i < spec.size() && spec[i] != '"'; ++i) {
            if (spec[i] == '\\' && i + 1 < spec.size()) ++i;
            a.localpart += spec[i];
        }
        if (i >= spec.size() || i + 1 >= spec.size() || spec[i + 1] != '@') return {};
        at = i + 1;
    } else {
        at = spec.find('@');
        if (at == std::string_view::npos || at == 0) return {};
        a.localpart = spec.substr(0, at);
        // obs-local-part (word *("." word)) as atext and dots, e.g. "jo..e", "joe."
        for (char c : a.localpart) {
            if (c != '.' && !isAtext(c)) return {};
        }
    }
    a.domain = spec.substr(at + 1);
    if (!isDomain(a.domain)) return {};
    a.all = (isDotAtom(a.localpart) ? a.localpart : quoted(a.localpart)) + "@" + a.domain;
    a.valid = true;
    return a;
}

}  // namespace postdesk::rules::detail
