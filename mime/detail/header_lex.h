// postdesk::mime::detail — RFC 5322 §3.2 lexical pieces shared by the structured-header parsers.
//
// Each reader takes the text and a position it advances. None can run past the end: an
// unterminated quoted string or comment simply ends with the text (mail is often cut short).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace postdesk::mime::detail {

inline bool isWsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// At '"': returns the content with quoted-pairs undone; `i` ends after the closing quote.
std::string readQuoted(std::string_view s, std::size_t& i);

// At '(': returns the (nested) comment's text without its outer parentheses.
std::string readComment(std::string_view s, std::size_t& i);

// Skips whitespace and comments (CFWS).
void skipCfws(std::string_view s, std::size_t& i);

std::string lowerAscii(std::string_view s);
std::string_view trimWsp(std::string_view s);

}  // namespace postdesk::mime::detail
