// Test support for tests/mime — the body of the first text/plain part of a raw mail.
//
// Deliberately tiny, for the reply-text corpus only (mime::parse is written separately): headers
// end at the first blank line; a multipart body is split on its boundary, one level deep; the
// part is transfer-decoded (quoted-printable, base64). Line ends are kept as in the file.
#pragma once

#include <string>
#include <string_view>

namespace postdesk::test {
namespace detail {

inline std::string lowerAscii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// Headers (unfolded, lower-cased) and body of one entity.
inline std::pair<std::string, std::string_view> splitEntity(std::string_view raw) {
    std::size_t end = raw.find("\n\n");
    std::size_t crlf = raw.find("\r\n\r\n");
    std::size_t skip = 2;
    if (crlf != std::string_view::npos && (end == std::string_view::npos || crlf < end)) {
        end = crlf;
        skip = 4;
    }
    if (end == std::string_view::npos) return {lowerAscii(raw), {}};
    std::string headers;
    for (char c : raw.substr(0, end)) {
        if (c != '\r') headers += c;
    }
    std::string unfolded;
    for (std::size_t i = 0; i < headers.size(); ++i) {
        bool fold = headers[i] == '\n' && i + 1 < headers.size() && (headers[i + 1] == ' ' || headers[i + 1] == '\t');
        unfolded += fold ? ' ' : headers[i];
    }
    return {lowerAscii("\n" + unfolded + "\n"), raw.substr(end + skip)};
}

inline std::string headerValue(const std::string& headers, std::string_view name) {
    std::size_t p = headers.find("\n" + std::string(name) + ":");
    if (p == std::string::npos) return {};
    p += name.size() + 2;
    return headers.substr(p, headers.find('\n', p) - p);
}

inline std::string boundaryOf(std::string_view contentType) {
    std::size_t p = contentType.find("boundary=");
    if (p == std::string_view::npos) return {};
    std::string_view b = contentType.substr(p + 9);
    if (!b.empty() && b.front() == '"') return std::string(b.substr(1, b.find('"', 1) - 1));
    return std::string(b.substr(0, b.find_first_of("; \t")));
}

inline int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

inline std::string decodeQp(std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '=') {
            out += in[i];
        } else if (i + 1 < in.size() && (in[i + 1] == '\n' || in[i + 1] == '\r')) {
            i += in[i + 1] == '\r' && i + 2 < in.size() && in[i + 2] == '\n' ? 2 : 1;
        } else if (i + 2 < in.size() && hexValue(in[i + 1]) >= 0 && hexValue(in[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(in[i + 1]) * 16 + hexValue(in[i + 2]));
            i += 2;
        } else {
            out += '=';
        }
    }
    return out;
}

inline std::string decodeBase64(std::string_view in) {
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned acc = 0;
    int bits = 0;
    for (char c : in) {
        std::size_t v = kAlphabet.find(c);
        if (c == '=') break;
        if (v == std::string_view::npos) continue;
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    return out;
}

inline std::string decodeBody(const std::string& headers, std::string_view body) {
    std::string cte = headerValue(headers, "content-transfer-encoding");
    if (cte.find("quoted-printable") != std::string::npos) return decodeQp(body);
    if (cte.find("base64") != std::string::npos) return decodeBase64(body);
    return std::string(body);
}

}  // namespace detail

inline std::string firstTextPlainBody(std::string_view raw) {
    auto [headers, body] = detail::splitEntity(raw);
    std::string type = detail::headerValue(headers, "content-type");
    if (type.find("multipart/") == std::string::npos) return detail::decodeBody(headers, body);
    std::string delimiter = "--" + detail::boundaryOf(type);
    for (std::size_t p = body.find(delimiter); p != std::string_view::npos;) {
        std::size_t start = body.find('\n', p);
        if (start == std::string_view::npos) break;
        std::size_t next = body.find(delimiter, start);
        std::string_view part = body.substr(start + 1, next == std::string_view::npos ? body.npos : next - start - 1);
        auto [partHeaders, partBody] = detail::splitEntity(part);
        std::string partType = detail::headerValue(partHeaders, "content-type");
        if (partType.empty() || partType.find("text/plain") != std::string::npos) {
            return detail::decodeBody(partHeaders, partBody);
        }
        p = next;
    }
    return {};
}

}  // namespace postdesk::test
