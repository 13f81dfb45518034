#include "mime/detail/rfc2231.h"

#include <algorithm>

#include "mime/charset.h"
#include "mime/encoded_word.h"

namespace postdesk::mime::detail {
namespace {

// Far above anything real (a 10 KB filename is ~130 sections), and keeps the parse bounded.
constexpr int kMaxSection = 999;

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string percentDecode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        int hi = s[i] == '%' && i + 2 < s.size() ? hexValue(s[i + 1]) : -1;
        int lo = hi >= 0 ? hexValue(s[i + 2]) : -1;
        if (lo < 0) {
            out.push_back(s[i]);  // a lone '%' is kept: dropping it would lose text
            continue;
        }
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

// "utf-8'en'caf%C3%A9" -> charset "utf-8", rest "caf%C3%A9". Without two quotes the whole value
// is data (some mailers omit the prefix).
std::string_view takeCharset(std::string_view& value) {
    std::size_t q1 = value.find('\'');
    std::size_t q2 = q1 == std::string_view::npos ? q1 : value.find('\'', q1 + 1);
    if (q2 == std::string_view::npos) return {};
    std::string_view charset = value.substr(0, q1);
    value.remove_prefix(q2 + 1);
    return charset;
}

}  // namespace

std::optional<ExtendedName> splitExtendedName(std::string_view name) {
    ExtendedName out;
    if (name.ends_with('*')) {
        out.encoded = true;
        name.remove_suffix(1);
    }
    std::size_t star = name.rfind('*');
    if (star == std::string_view::npos) {
        if (!out.encoded) return std::nullopt;
        out.base = std::string(name);
        return out.base.empty() ? std::nullopt : std::optional(out);
    }
    std::string_view digits = name.substr(star + 1);
    if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    out.section = std::stoi(std::string(digits));
    out.base = std::string(name.substr(0, star));
    if (out.base.empty() || out.section > kMaxSection) return std::nullopt;
    return out;
}

std::string assembleExtended(std::vector<ExtendedPiece> pieces, std::string_view name, Warnings& warnings) {
    for (auto& p : pieces) p.section = std::max(p.section, 0);  // `name*=` is a lone section 0
    std::stable_sort(pieces.begin(), pieces.end(), [](const auto& a, const auto& b) { return a.section < b.section; });
    pieces.erase(std::unique(pieces.begin(), pieces.end(), [](const auto& a, const auto& b) { return a.section == b.section; }),
                 pieces.end());
    if (pieces.front().section != 0 || pieces.back().section != static_cast<int>(pieces.size()) - 1)
        warnings.add(warn::kBadParam, std::string(name) + ": missing RFC 2231 section");
    std::string charset, bytes;
    bool anyEncoded = false;
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        std::string_view v = pieces[k].value;
        if (!pieces[k].encoded) {
            bytes += v;
            continue;
        }
        if (k == 0) charset = takeCharset(v);
        anyEncoded = true;
        bytes += percentDecode(v);
    }
    // Only plain sections: some mailers split an RFC 2047 word across continuations.
    if (!anyEncoded) return decodeHeaderText(bytes, warnings);
    return toUtf8(bytes, charset, warnings);
}

}  // namespace postdesk::mime::detail
