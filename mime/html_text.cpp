#include "mime/html_text.h"

#include <gumbo.h>

#include <memory>
#include <optional>
#include <vector>

#include "mime/detail/html_depth_guard.h"
#include "mime/detail/html_quote_marks.h"
#include "mime/detail/text_lines.h"

namespace postdesk::mime {
namespace {

using detail::TextLines;

// Deeper than any real mail (Outlook's nested layout tables stay under ~100), shallow enough
// that gumbo's per-tag scope checks stay cheap.
constexpr std::size_t kMaxNesting = 512;

bool isDropped(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_HEAD: case GUMBO_TAG_STYLE: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_TEMPLATE:
        case GUMBO_TAG_TITLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_SELECT: case GUMBO_TAG_OBJECT:
        case GUMBO_TAG_IFRAME: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
            return true;
        default:
            return false;
    }
}

// Break before and after the element: 2 = paragraph (blank line), 1 = line, 0 = inline.
int blockBreak(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
        case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_BLOCKQUOTE:
        case GUMBO_TAG_PRE: case GUMBO_TAG_DL: case GUMBO_TAG_HR: case GUMBO_TAG_FIGURE:
            return 2;
        case GUMBO_TAG_DIV: case GUMBO_TAG_LI: case GUMBO_TAG_TR: case GUMBO_TAG_TABLE:
        case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE: case GUMBO_TAG_DD:
        case GUMBO_TAG_DT: case GUMBO_TAG_DETAILS: case GUMBO_TAG_FIELDSET:
        case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM: case GUMBO_TAG_HEADER:
        case GUMBO_TAG_HGROUP: case GUMBO_TAG_MAIN: case GUMBO_TAG_NAV: case GUMBO_TAG_SECTION:
        case GUMBO_TAG_CENTER: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_CAPTION: case GUMBO_TAG_BODY:
        case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT:
            return 1;
        default:
            return 0;
    }
}

bool isList(GumboTag tag) { return tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL; }

std::string_view attr(const GumboElement& el, const char* name) {
    const GumboAttribute* a = gumbo_get_attribute(&el.attributes, name);
    return a ? std::string_view(a->value) : std::string_view();
}

std::string_view trimmed(std::string_view s) {
    std::size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// A link shows its url only when that adds information: not for mailto:x on "x", not for
// in-page anchors or scripts, not for image-only links (no text to attach it to).
bool showsUrl(std::string_view href, std::string_view text) {
    href = trimmed(href);
    text = trimmed(text);
    if (href.empty() || text.empty() || href.front() == '#') return false;
    if (href.starts_with("javascript:")) return false;
    if (href == text) return false;
    if (href.starts_with("mailto:") && href.substr(7) == text) return false;
    return true;
}

// Depth-first walk with an explicit stack: hostile mail nests elements 100k deep, and the
// call stack must not grow with it.
class Renderer {
public:
    std::string render(const GumboNode* root) {
        std::vector<Frame> stack;
        stack.push_back({root});
        while (!stack.empty()) {
            Frame& top = stack.back();
            if (!top.entered) {
                top.entered = true;
                if (!enter(top)) {
                    stack.pop_back();
                    continue;
                }
            }
            const GumboVector* kids = children(*top.node);
            if (kids && top.next < kids->length) {
                stack.push_back({static_cast<const GumboNode*>(kids->data[top.next++])});
            } else {
                leave(top);
                stack.pop_back();
            }
        }
        return out_.finish();
    }

private:
    struct Frame {
        const GumboNode* node;
        unsigned next = 0;
        bool entered = false;
        bool quoted = false;
        bool link = false;
    };

    static const GumboVector* children(const GumboNode& n) {
        if (n.type == GUMBO_NODE_DOCUMENT) return &n.v.document.children;
        if (n.type == GUMBO_NODE_ELEMENT || n.type == GUMBO_NODE_TEMPLATE) return &n.v.element.children;
        return nullptr;
    }

    // Returns false when the node and its subtree are not rendered.
    bool enter(Frame& f) {
        const GumboNode& n = *f.node;
        switch (n.type) {
            case GUMBO_NODE_DOCUMENT: return true;
            case GUMBO_NODE_TEXT: case GUMBO_NODE_WHITESPACE: case GUMBO_NODE_CDATA:
                writeText(n.v.text.text);
                return false;
            case GUMBO_NODE_ELEMENT: return enterElement(f);
            default: return false;  // comments, templates
        }
    }

    void writeText(std::string_view s) {
        if (pre_ > 0) out_.preformatted(s);
        else out_.text(s);
    }

    bool enterElement(Frame& f) {
        const GumboElement& el = f.node->v.element;
        if (isDropped(el.tag) || detail::isHidden(*f.node)) return false;
        if (!history_ && detail::isHistoryStart(*f.node)) history_ = true;
        if (detail::isQuoteContainer(*f.node)) {
            f.quoted = true;
            ++quotes_;
        }
        out_.setQuoteDepth(quotes_ + (history_ ? 1 : 0));
        out_.requestBreak(breakFor(el.tag));
        enterSpecial(f, el);
        return true;
    }

    int breakFor(GumboTag tag) const {
        if (isList(tag)) return lists_ == 0 ? 2 : 1;
        return blockBreak(tag);
    }

    void enterSpecial(Frame& f, const GumboElement& el) {
        switch (el.tag) {
            case GUMBO_TAG_BR: out_.hardBreak(); break;
            case GUMBO_TAG_PRE: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_LISTING: ++pre_; break;
            case GUMBO_TAG_UL: case GUMBO_TAG_OL: ++lists_; break;
            case GUMBO_TAG_LI: out_.literal(std::string(2 * std::max(lists_ - 1, 0), ' ') + "- "); break;
            case GUMBO_TAG_TD: case GUMBO_TAG_TH: out_.softSpace(); break;
            case GUMBO_TAG_A:
                if (!linking_ && !attr(el, "href").empty()) {
                    f.link = linking_ = true;
                    out_.beginCapture();
                }
                break;
            default: break;
        }
    }

    void leave(const Frame& f) {
        if (f.node->type != GUMBO_NODE_ELEMENT) return;
        const GumboElement& el = f.node->v.element;
        switch (el.tag) {
            case GUMBO_TAG_PRE: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_LISTING: --pre_; break;
            case GUMBO_TAG_UL: case GUMBO_TAG_OL: --lists_; break;
            case GUMBO_TAG_TD: case GUMBO_TAG_TH: out_.softSpace(); break;
            default: break;
        }
        if (f.link) leaveLink(el);
        if (f.quoted) --quotes_;
        out_.requestBreak(breakFor(el.tag));
        out_.setQuoteDepth(quotes_ + (history_ ? 1 : 0));
    }

    void leaveLink(const GumboElement& el) {
        linking_ = false;
        std::string text = out_.endCapture();
        std::string_view href = attr(el, "href");
        if (showsUrl(href, text)) {
            out_.text(" (");
            out_.literal(std::string(trimmed(href)) + ")");
        }
    }

    TextLines out_;
    int quotes_ = 0;
    int pre_ = 0;
    int lists_ = 0;
    bool history_ = false;
    bool linking_ = false;
};

struct OutputDeleter {
    void operator()(GumboOutput* o) const { gumbo_destroy_output(&kGumboDefaultOptions, o); }
};

// Parse errors are not recorded: gumbo copies the open-element stack into every error, which
// is quadratic in memory on deeply nested input, and we have no use for them.
GumboOutput* parse(std::string_view html) {
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 0;
    return gumbo_parse_with_options(&options, html.data(), html.size());
}

}  // namespace

std::string htmlToText(std::string_view html) {
    std::optional<std::string> flattened = detail::flattenDeepNesting(html, kMaxNesting);
    if (flattened) html = *flattened;
    std::unique_ptr<GumboOutput, OutputDeleter> doc(
        parse(html));
    if (!doc) return {};
    return Renderer().render(doc->document);
}

}  // namespace postdesk::mime
