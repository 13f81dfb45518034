// postdesk::mime::detail — how mail clients mark quoted history in HTML.
//
// Two kinds: a container that wraps exactly the quoted part (<blockquote>, Gmail's
// div.gmail_quote, Yahoo's yahoo_quoted, Thunderbird's moz-cite-prefix attribution), and a
// marker after which everything is history (Outlook's div#divRplyFwdMsg and its border-top
// header block, Outlook for Mac's OLK_SRC_BODY_SECTION): Outlook puts the original message
// next to the marker, not inside it.
#pragma once

#include <gumbo.h>

namespace postdesk::mime::detail {

// Each takes an element node.
bool isQuoteContainer(const GumboNode& node);
bool isHistoryStart(const GumboNode& node);
// style="display:none" (newsletter preheaders): not shown, so not rendered.
bool isHidden(const GumboNode& node);

}  // namespace postdesk::mime::detail
