// postdesk::rules — Sieve tokens (RFC 5228 §8.1): identifiers, tags, numbers with K/M/G,
// quoted strings, `text:` multi-line strings, brackets and punctuation; `#` and `/* */`
// comments are skipped.
//
// Guarantees: strings come out decoded (escapes undone, dot-stuffing undone) and at most
// kSieveMaxString bytes; numbers fit in 64 bits. A lexical problem yields one Error token with
// line:column and a plain message; the lexer never throws and never reads past the input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "rules/sieve_ast.h"

namespace postdesk::rules {

enum class SieveTokenKind {
    Identifier, Tag, Number, String, LeftBracket, RightBracket, LeftParen, RightParen,
    LeftBrace, RightBrace, Comma, Semicolon, End, Error
};

struct SieveToken {
    SieveTokenKind kind = SieveTokenKind::End;
    std::string text;  // identifier/tag (lower-case, tag without ':'), decoded string, or error message
    std::uint64_t number = 0;
    SievePosition at;
};

class SieveLexer {
public:
    explicit SieveLexer(std::string_view source) : src_(source) {}
    SieveToken next();

private:
    void skipSpaceAndComments(SieveToken& error);
    SieveToken quoted(SievePosition at);
    SieveToken multiline(SievePosition at);
    SieveToken number(SievePosition at);
    SieveToken word(SievePosition at, bool tag);
    SieveToken error(SievePosition at, std::string message) const;
    void advance(std::size_t n = 1);
    bool atEnd() const { return pos_ >= src_.size(); }
    char peek(std::size_t ahead = 0) const { return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0'; }
    SievePosition here() const { return {line_, column_}; }

    std::string_view src_;
    std::size_t pos_ = 0;
    int line_ = 1;
    int column_ = 1;
};

const char* toString(SieveTokenKind kind);

}  // namespace postdesk::rules
