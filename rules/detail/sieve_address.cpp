#include "rules/detail/sieve_address.h"

#include <array>

namespace postdesk::rules::detail {
namespace {

// RFC 5322 atext as a table: one load per byte.
constexpr std::array<bool, 256> kAtext = [] {
    std::array<bool, 256> t{};
    for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
    for (int c = '0'; c <= '9'; ++c) t[c] = true;
    for (char c : std::string_view("!#$%&'*+-/=?^_`{|}~")) t[static_cast<unsigned char>(c)] = true;
    return t;
}();

bool isAtext(char c) { return kAtext[static_cast<unsigned char>(c)]; }

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
    std::string_view local;
    std::size_t at;
    if (!spec.empty() && spec.front() == '"') {
        std::size_t i = 1;
        for (; i < spec.size() && spec[i] != '"'; ++i) {
            if (spec[i] == '\\' && i + 1 < spec.size()) ++i;
            a.unquoted += spec[i];
        }
        if (i >= spec.size() || i + 1 >= spec.size() || spec[i + 1] != '@') return {};
        at = i + 1;
        local = a.unquoted;
    } else {
        at = spec.find('@');
        if (at == std::string_view::npos || at == 0) return {};
        local = spec.substr(0, at);
        // obs-local-part (word *("." word)) as atext and dots, e.g. "jo..e", "joe."
        for (char c : local) {
            if (c != '.' && !isAtext(c)) return {};
        }
    }
    const std::string_view domain = spec.substr(at + 1);
    if (!isDomain(domain)) return {};
    const bool dotAtom = isDotAtom(local);
    a.all.reserve(local.size() + 3 + domain.size());
    a.all = dotAtom ? std::string(local) : quoted(local);
    a.at = a.all.size();
    a.all += '@';
    a.all += domain;
    a.quoted = !dotAtom;
    if (!a.quoted) a.unquoted.clear();  // the local part is all.substr(0, at)
    else if (local.data() != a.unquoted.data()) a.unquoted = std::string(local);
    a.valid = true;
    return a;
}

}  // namespace postdesk::rules::detail
