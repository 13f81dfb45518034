// postdesk::mime::detail — keeps hostile HTML from nesting deeper than a bound before gumbo sees it.
//
// Why: gumbo's scope checks walk the stack of open elements for every start tag, so parsing
// is quadratic in the nesting depth (40k nested <div> take seconds, 100k far longer). A linear
// pre-scan counts open elements and drops the tags (not the text) that would nest deeper than
// `maxDepth`, with as many end tags after them. Elements whose end tag is optional (p, li, td…)
// and void elements are not counted, so sloppy but ordinary mail is never changed. Returns
// nullopt when nothing had to be dropped.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace postdesk::mime::detail {

std::optional<std::string> flattenDeepNesting(std::string_view html, std::size_t maxDepth);

}  // namespace postdesk::mime::detail
