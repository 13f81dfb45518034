// postdesk::mime — HTML to readable plain text, with gumbo (HTML5 parsing as browsers do it).
//
// Drops head/style/script/template/comments; decodes entities (gumbo does); keeps paragraphs
// (a blank line between paragraph blocks, a line break around a div), <br> as a line break,
// list items as "- " lines, table cells separated by spaces and rows by newlines, links as
// "text (url)" when the url differs from the text; collapses runs of whitespace as a browser
// would, keeps <pre> as is. Quoted history — <blockquote>, Gmail's div.gmail_quote, Outlook's
// divRplyFwdMsg / border-top block (and all that follows it), Yahoo's yahoo_quoted,
// Thunderbird's moz-cite-prefix — is rendered with "> " prefixes so that extractReplyText()
// can strip it like plain-text quoting. Input is UTF-8; output is UTF-8 with
// "\n" line ends and no trailing whitespace. Never throws; bounded in depth: nesting is capped
// before gumbo parses (its scope checks are quadratic in depth) and the walk does not recurse.
#pragma once

#include <string>
#include <string_view>

namespace postdesk::mime {

std::string htmlToText(std::string_view html);

}  // namespace postdesk::mime
