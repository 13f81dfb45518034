#include "mime/detail/text_lines.h"

#include <algorithm>

namespace postdesk::mime::detail {
namespace {

bool isAsciiSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void trimRight(std::string& s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
}

}  // namespace

TextLines::TextLines() { lines_.emplace_back(); }

void TextLines::put(std::string_view s) {
    flushBreaks();
    Line& cur = lines_.back();
    std::string added;
    if (cur.text.empty()) cur.depth = depth_;
    if (pendingSpace_ && !cur.text.empty() && cur.text.back() != ' ') added += ' ';
    added.append(static_cast<std::size_t>(pendingNbsp_), ' ');
    added += s;
    cur.text += added;
    if (capturing_) capture_ += added;
    pendingSpace_ = false;
    pendingNbsp_ = 0;
    anyContent_ = true;
}

void TextLines::text(std::string_view s) {
    std::size_t word = 0;
    for (std::size_t i = 0; i < s.size();) {
        bool nbsp = static_cast<unsigned char>(s[i]) == 0xC2 && i + 1 < s.size() &&
                    static_cast<unsigned char>(s[i + 1]) == 0xA0;
        if (!nbsp && !isAsciiSpace(s[i])) {
            ++i;
            continue;
        }
        if (i > word) put(s.substr(word, i - word));
        if (nbsp) {
            ++pendingNbsp_;
            i += 2;
        } else {
            pendingSpace_ = true;
            ++i;
        }
        word = i;
    }
    if (word < s.size()) put(s.substr(word));
}

void TextLines::preformatted(std::string_view s) {
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t nl = s.find('\n', start);
        std::string_view seg = s.substr(start, nl == std::string_view::npos ? s.npos : nl - start);
        if (!seg.empty() && seg.back() == '\r') seg.remove_suffix(1);
        if (!seg.empty()) put(seg);
        if (nl == std::string_view::npos) break;
        hardBreak();
        start = nl + 1;
    }
}

void TextLines::literal(std::string_view s) { put(s); }

void TextLines::hardBreak() {
    flushBreaks();
    newLine();
    pendingNbsp_ = 0;
}

void TextLines::requestBreak(int n) {
    if (n <= 0) return;
    pendingBreaks_ = std::max(pendingBreaks_, n);
    pendingSpace_ = false;
    pendingNbsp_ = 0;
}

void TextLines::softSpace() { pendingSpace_ = true; }

void TextLines::setQuoteDepth(int depth) {
    if (depth == depth_) return;
    depth_ = depth;
    if (!lines_.back().text.empty()) requestBreak(1);
}

void TextLines::beginCapture() {
    capturing_ = true;
    capture_.clear();
}

std::string TextLines::endCapture() {
    capturing_ = false;
    return std::move(capture_);
}

void TextLines::flushBreaks() {
    if (pendingBreaks_ > 0 && anyContent_) {
        for (int t = trailingNewlines(); t < pendingBreaks_; ++t) newLine();
    }
    pendingBreaks_ = 0;
}

void TextLines::newLine() {
    lines_.emplace_back();
    pendingSpace_ = false;
}

int TextLines::trailingNewlines() const {
    int n = 0;
    for (auto it = lines_.rbegin(); it != lines_.rend() && it->text.empty() && n < 2; ++it) ++n;
    return n;
}

std::string TextLines::finish() {
    for (Line& l : lines_) trimRight(l.text);
    auto nonEmpty = [](const Line& l) { return !l.text.empty(); };
    auto first = std::find_if(lines_.begin(), lines_.end(), nonEmpty);
    if (first == lines_.end()) return {};
    auto last = std::find_if(lines_.rbegin(), lines_.rend(), nonEmpty).base();
    std::vector<Line> body(first, last);
    // A blank line between two quoted blocks belongs to the shallower one, so quoting stays
    // contiguous for extractReplyText().
    std::vector<int> next(body.size());
    for (std::size_t i = body.size(); i-- > 0;) {
        next[i] = !body[i].text.empty() || i + 1 == body.size() ? body[i].depth : next[i + 1];
    }
    std::string out;
    int prev = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
        int depth = body[i].text.empty() ? std::min(prev, next[i]) : body[i].depth;
        if (!body[i].text.empty()) prev = depth;
        std::string line;
        for (int d = 0; d < depth; ++d) line += "> ";
        line += body[i].text;
        trimRight(line);
        out += line;
        if (i + 1 < body.size()) out += '\n';
    }
    return out;
}

}  // namespace postdesk::mime::detail
