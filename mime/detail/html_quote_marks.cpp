#include "mime/detail/html_quote_marks.h"

#include <string>
#include <string_view>
#include <vector>

namespace postdesk::mime::detail {
namespace {

std::string_view attr(const GumboElement& el, const char* name) {
    const GumboAttribute* a = gumbo_get_attribute(&el.attributes, name);
    return a ? std::string_view(a->value) : std::string_view();
}

bool hasClass(const GumboElement& el, std::string_view cls) {
    std::string_view all = attr(el, "class");
    std::size_t i = 0;
    while (i < all.size()) {
        std::size_t end = all.find_first_of(" \t\r\n\f", i);
        if (end == std::string_view::npos) end = all.size();
        if (all.substr(i, end - i) == cls) return true;
        i = end + 1;
    }
    return false;
}

// Lower-cased with whitespace removed, so "Display: None" and "display:none" compare equal.
std::string compactLower(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

// The first words of the element's text, found with a bounded walk (no recursion).
std::string leadingText(const GumboNode* root, std::size_t maxNodes) {
    std::vector<const GumboNode*> stack{root};
    std::string text;
    for (std::size_t seen = 0; !stack.empty() && seen < maxNodes && text.size() < 40; ++seen) {
        const GumboNode* n = stack.back();
        stack.pop_back();
        if (n->type == GUMBO_NODE_TEXT) {
            text += n->v.text.text;
        } else if (n->type == GUMBO_NODE_ELEMENT) {
            const GumboVector& kids = n->v.element.children;
            for (unsigned i = kids.length; i-- > 0;) stack.push_back(static_cast<GumboNode*>(kids.data[i]));
        }
    }
    return text;
}

// Outlook's header block: a div with a top border whose text starts like "From:" / "От:".
bool isBorderTopHeader(const GumboNode& node) {
    const GumboElement& el = node.v.element;
    if (el.tag != GUMBO_TAG_DIV) return false;
    std::string style = compactLower(attr(el, "style"));
    if (style.find("border-top") == std::string::npos || style.find("solid") == std::string::npos) {
        return false;
    }
    std::string lead = leadingText(&node, 64);
    std::size_t start = lead.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return false;
    std::size_t colon = lead.find(':', start);
    return colon != std::string::npos && colon - start <= 24;
}

}  // namespace

bool isQuoteContainer(const GumboNode& node) {
    const GumboElement& el = node.v.element;
    if (el.tag == GUMBO_TAG_BLOCKQUOTE) return true;
    return hasClass(el, "gmail_quote") || hasClass(el, "yahoo_quoted") ||
           hasClass(el, "moz-cite-prefix");
}

bool isHistoryStart(const GumboNode& node) {
    std::string_view id = attr(node.v.element, "id");
    if (id == "divRplyFwdMsg" || id == "OLK_SRC_BODY_SECTION") return true;
    return isBorderTopHeader(node);
}

bool isHidden(const GumboNode& node) {
    std::string style = compactLower(attr(node.v.element, "style"));
    return style.find("display:none") != std::string::npos;
}

}  // namespace postdesk::mime::detail
