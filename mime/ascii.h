// postdesk::mime — ASCII case helpers for protocol tokens: header and parameter names, addresses,
// charset labels. Deliberately not locale-aware: protocol case-insensitivity is ASCII only
// (RFC 5322 §1.2.2, RFC 5321 §2.4), and UTF-8 bytes pass through unchanged.
#pragma once

#include <string>
#include <string_view>

namespace postdesk::mime {

inline std::string asciiLower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace postdesk::mime
