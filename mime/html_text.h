// postdesk::mime — HTML to readable plain text, with gumbo (HTML5 parsing as browsers do it).
//
// Drops head/style/script/template/comments; decodes entities (gumbo does); keeps paragraphs
// (a blank line between blocks), <br> as a line break, list items as "- " lines, table cells
// separated by spaces and rows by newlines, links as "text (url)" when the url differs from the
// text; collapses runs of whitespace as a browser would, keeps <pre> as is. Quoted history —
// <blockquote>, Gmail's div.gmail_quote, Outlook's divRplyFwdMsg / border-top block, Yahoo's
// yahoo_quoted, Thunderbird's moz-cite-prefix — is rendered with "> " prefixes so that
// extractReplyText() can strip it like plain-text quoting. Input is UTF-8; output is UTF-8 with
// "\n" line ends and no trailing whitespace. Never throws; bounded in depth (gumbo's own limit
// plus ours on recursion).
#pragma once

#include <string>
#include <string_view>

namespace postdesk::mime {

std::string htmlToText(std::string_view html);

}  // namespace postdesk::mime
