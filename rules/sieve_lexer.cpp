#include "rules/sieve_lexer.h"

#include <cctype>
#include <limits>

namespace postdesk::rules {
namespace {

bool isIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool isIdentChar(char c) { return isIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)); }
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

}  // namespace

const char* toString(SieveTokenKind kind) {
    switch (kind) {
        case SieveTokenKind::Identifier: return "identifier";
        case SieveTokenKind::Tag: return "tag";
        case SieveTokenKind::Number: return "number";
        case SieveTokenKind::String: return "string";
        case SieveTokenKind::LeftBracket: return "'['";
        case SieveTokenKind::RightBracket: return "']'";
        case SieveTokenKind::LeftParen: return "'('";
        case SieveTokenKind::RightParen: return "')'";
        case SieveTokenKind::LeftBrace: return "'{'";
        case SieveTokenKind::RightBrace: return "'}'";
        case SieveTokenKind::Comma: return "','";
        case SieveTokenKind::Semicolon: return "';'";
        case SieveTokenKind::End: return "end of script";
        case SieveTokenKind::Error: return "error";
    }
    return "?";
}

void SieveLexer::advance(std::size_t n) {
    for (; n > 0 && pos_ < src_.size(); --n, ++pos_) {
        if (src_[pos_] == '\n') {
            ++line_;
            column_ = 1;
        } else {
            ++column_;
        }
    }
}

SieveToken SieveLexer::error(SievePosition at, std::string message) const {
    SieveToken t;
    t.kind = SieveTokenKind::Error;
    t.text = std::move(message);
    t.at = at;
    return t;
}

// RFC 5228 §2.3: hash comments run to the end of the line; bracket comments do not nest.
void SieveLexer::skipSpaceAndComments(SieveToken& err) {
    while (!atEnd()) {
        char c = peek();
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            advance();
        } else if (c == '#') {
            while (!atEnd() && peek() != '\n') advance();
        } else if (c == '/' && peek(1) == '*') {
            SievePosition start = here();
            advance(2);
            while (!atEnd() && !(peek() == '*' && peek(1) == '/')) advance();
            if (atEnd()) {
                err = error(start, "unterminated comment '/*'");
                return;
            }
            advance(2);
        } else {
            return;
        }
    }
}

SieveToken SieveLexer::next() {
    SieveToken err;
    skipSpaceAndComments(err);
    if (err.kind == SieveTokenKind::Error) return err;
    SievePosition at = here();
    SieveToken t;
    t.at = at;
    if (atEnd()) return t;
    char c = peek();
    auto punct = [&](SieveTokenKind kind) {
        advance();
        t.kind = kind;
        return t;
    };
    switch (c) {
        case '[': return punct(SieveTokenKind::LeftBracket);
        case ']': return punct(SieveTokenKind::RightBracket);
        case '(': return punct(SieveTokenKind::LeftParen);
        case ')': return punct(SieveTokenKind::RightParen);
        case '{': return punct(SieveTokenKind::LeftBrace);
        case '}': return punct(SieveTokenKind::RightBrace);
        case ',': return punct(SieveTokenKind::Comma);
        case ';': return punct(SieveTokenKind::Semicolon);
        case '"': return quoted(at);
        case ':':
            advance();
            if (!isIdentStart(peek())) return error(at, "':' must be followed by a tag name");
            return word(at, true);
        default: break;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) return number(at);
    if (isIdentStart(c)) {
        SieveToken w = word(at, false);
        // RFC 5228 §8.1: "text:" starts a multi-line string.
        if (w.text == "text" && peek() == ':') {
            advance();
            return multiline(at);
        }
        return w;
    }
    return error(at, std::string("unexpected character '") + c + "'");
}

SieveToken SieveLexer::word(SievePosition at, bool tag) {
    SieveToken t;
    t.kind = tag ? SieveTokenKind::Tag : SieveTokenKind::Identifier;
    t.at = at;
    while (!atEnd() && isIdentChar(peek())) {
        t.text += lower(peek());
        advance();
    }
    return t;
}

// RFC 5228 §2.4.1: a number with an optional K, M or G quantifier (powers of 1024).
SieveToken SieveLexer::number(SievePosition at) {
    constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t value = 0;
    while (!atEnd() && std::isdigit(static_cast<unsigned char>(peek()))) {
        unsigned digit = static_cast<unsigned>(peek() - '0');
        if (value > (kMax - digit) / 10) return error(at, "number too large");
        value = value * 10 + digit;
        advance();
    }
    int shift = 0;
    switch (lower(peek())) {
        case 'k': shift = 10; break;
        case 'm': shift = 20; break;
        case 'g': shift = 30; break;
        default: break;
    }
    if (shift != 0) {
        if (value > (kMax >> shift)) return error(at, "number too large");
        value <<= shift;
        advance();
    }
    if (isIdentChar(peek())) return error(here(), "unexpected character after number");
    SieveToken t;
    t.kind = SieveTokenKind::Number;
    t.number = value;
    t.at = at;
    return t;
}

// RFC 5228 §2.4.2: only \" and \\ are defined escapes; any other backslash is dropped, as
// Pigeonhole does. CRLF inside a quoted string is kept.
SieveToken SieveLexer::quoted(SievePosition at) {
    SieveToken t;
    t.kind = SieveTokenKind::String;
    t.at = at;
    advance();  // opening quote
    while (!atEnd() && peek() != '"') {
        if (peek() == '\\') {
            advance();
            if (atEnd()) break;
        }
        if (t.text.size() >= kSieveMaxString) return error(at, "string longer than " + std::to_string(kSieveMaxString) + " bytes");
        t.text += peek();
        advance();
    }
    if (atEnd()) return error(at, "unterminated string");
    advance();  // closing quote
    return t;
}

// RFC 5228 §8.1: text: [spaces] [hash-comment] CRLF, then lines up to a line of "."; a leading
// ".." is dot-stuffing. Bare LF is accepted as a line end (files edited on Unix).
SieveToken SieveLexer::multiline(SievePosition at) {
    while (peek() == ' ' || peek() == '\t') advance();
    if (peek() == '#') {
        while (!atEnd() && peek() != '\n') advance();
    }
    if (peek() == '\r') advance();
    if (peek() != '\n') return error(here(), "'text:' must be followed by a line break");
    advance();
    SieveToken t;
    t.kind = SieveTokenKind::String;
    t.at = at;
    while (!atEnd()) {
        std::size_t eol = src_.find('\n', pos_);
        std::string_view line = src_.substr(pos_, eol == std::string_view::npos ? std::string_view::npos : eol - pos_);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line == ".") {
            advance(line.size() + 1);
            return t;
        }
        if (line.size() >= 2 && line[0] == '.' && line[1] == '.') line.remove_prefix(1);
        if (t.text.size() + line.size() + 2 > kSieveMaxString) return error(at, "string longer than " + std::to_string(kSieveMaxString) + " bytes");
        t.text.append(line);
        t.text += "\r\n";
        if (eol == std::string_view::npos) break;
        advance(eol - pos_ + 1);
    }
    return error(at, "unterminated multi-line string (no line with a single '.')");
}

}  // namespace postdesk::rules
