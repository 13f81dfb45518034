#include "gateway/net/imap_command.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace postdesk::net {

std::optional<std::string> quoteMailbox(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (c == '\r' || c == '\n' || c == '\0' || u >= 0x80) return std::nullopt;
        if (c == '"' || c == '\\') out += '\\';
        out += c;
        if (c == '&') out += '-';
    }
    out += '"';
    return out;
}

std::string uidSet(std::span<const std::uint32_t> uids) {
    std::vector<std::uint32_t> sorted(uids.begin(), uids.end());
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::erase(sorted, 0u);
    std::string out;
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i;
        while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
        if (!out.empty()) out += ',';
        out += std::to_string(sorted[i]);
        if (j > i) out += ':' + std::to_string(sorted[j]);
        i = j + 1;
    }
    return out;
}

bool isFlagList(std::string_view flags) {
    if (flags.size() < 2 || flags.front() != '(' || flags.back() != ')') return false;
    std::string_view inner = flags.substr(1, flags.size() - 2);
    // atom-char minus the list and quoting specials; '\' only as a system flag's prefix.
    bool at_start = true;
    for (char c : inner) {
        auto u = static_cast<unsigned char>(c);
        if (c == ' ') {
            at_start = true;
            continue;
        }
        if (u <= 0x20 || u >= 0x7f || c == '(' || c == ')' || c == '{' || c == '"' || c == '%' ||
            c == '*' || c == ']' || (c == '\\' && !at_start))
            return false;
        at_start = false;
    }
    return true;
}

bool isStoreOperation(std::string_view op) {
    std::string u(op);
    for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (u.ends_with(".SILENT")) u.resize(u.size() - 7);
    return u == "+FLAGS" || u == "-FLAGS" || u == "FLAGS";
}

}  // namespace postdesk::net
