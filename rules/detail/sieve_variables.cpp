#include "rules/detail/sieve_variables.h"

#include <cctype>

#include "rules/sieve_ast.h"

namespace postdesk::rules::detail {
namespace {

bool allDigits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

std::string lowerCase(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The value of reference `name`, or false when `name` is not a reference we expand.
bool lookup(std::string_view name, const SieveVariables& vars, std::string& out) {
    if (allDigits(name)) {
        std::size_t n = name.size() > 4 ? vars.matched.size() : std::stoul(std::string(name));
        out = n < vars.matched.size() ? vars.matched[n] : std::string();
        return true;
    }
    if (!isSieveVariableName(name)) return false;
    auto it = vars.named.find(lowerCase(name));
    out = it == vars.named.end() ? std::string() : it->second;
    return true;
}

}  // namespace

bool isSieveVariableName(std::string_view name) {
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
    for (char c : name) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    }
    return true;
}

std::string expandSieveVariables(std::string_view text, const SieveVariables& vars) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size() && out.size() < kSieveMaxString) {
        std::size_t open = text.find("${", i);
        std::size_t close = open == std::string_view::npos ? open : text.find('}', open + 2);
        std::string value;
        if (close == std::string_view::npos || !lookup(text.substr(open + 2, close - open - 2), vars, value)) {
            std::size_t upto = open == std::string_view::npos ? text.size() : open + 2;
            out.append(text.substr(i, upto - i));
            i = upto;
            continue;
        }
        out.append(text.substr(i, open - i));
        out.append(value);
        i = close + 1;
    }
    if (out.size() > kSieveMaxString) out.resize(kSieveMaxString);
    return out;
}

}  // namespace postdesk::rules::detail
