// postdesk::mime::detail — the line buffer htmlToText() renders into.
//
// Collapses whitespace the way a browser lays out inline text, merges requested breaks (a
// line break, or a blank line between paragraphs) so nested blocks never stack blank lines, and
// remembers the quote depth of each line so the "> " prefixes are added once, at the end.
// Pure and allocation-bounded by its input; never throws except std::bad_alloc.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace postdesk::mime::detail {

class TextLines {
public:
    TextLines();

    // Inline text: runs of ASCII whitespace become one space; U+00A0 is a space that does not
    // collapse but is dropped at the end of a line.
    void text(std::string_view s);
    // Text kept as is (<pre>): every '\n' starts a new line.
    void preformatted(std::string_view s);
    // Written verbatim (list bullets, indentation), after any pending break.
    void literal(std::string_view s);
    void hardBreak();            // <br>: always a new line
    void requestBreak(int n);    // 1 = at least a line break, 2 = at least one blank line
    void softSpace();            // a separator that collapses with neighbouring whitespace
    void setQuoteDepth(int depth);

    // Text written between the calls, for "text (url)" links; captures do not nest.
    void beginCapture();
    std::string endCapture();

    // Prefixes quoted lines, drops trailing whitespace and leading/trailing blank lines.
    std::string finish();

private:
    struct Line {
        std::string text;
        int depth = 0;
    };

    void put(std::string_view s);
    void flushBreaks();
    void newLine();
    int trailingNewlines() const;

    std::vector<Line> lines_;
    bool anyContent_ = false;
    bool pendingSpace_ = false;
    int pendingNbsp_ = 0;
    int pendingBreaks_ = 0;
    int depth_ = 0;
    bool capturing_ = false;
    std::string capture_;
};

}  // namespace postdesk::mime::detail
