#include "mime/reply_text.h"

#include "mime/detail/reply_markers.h"

namespace postdesk::mime {
namespace {

using detail::isBlank;
using detail::isQuoteLine;
using detail::Lines;

// Splits on '\n' and drops a '\r' before it, so CRLF and LF mail read the same.
Lines splitLines(std::string_view text) {
    Lines lines;
    lines.reserve(text.size() / 32 + 8);  // mail lines average 40-70 bytes: one allocation, mostly
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        std::string_view line = text.substr(start, nl == std::string_view::npos ? text.npos : nl - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return lines;
}

// Blank lines at either end, and whitespace at the very end, carry nothing of the reply.
void trimBlankEdges(Lines& out) {
    while (!out.empty() && isBlank(out.back())) out.pop_back();
    std::size_t lead = 0;
    while (lead < out.size() && isBlank(out[lead])) ++lead;
    out.erase(out.begin(), out.begin() + static_cast<long>(lead));
    if (out.empty()) return;
    std::string_view& last = out.back();
    while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
}

void dropTrailingBlanks(Lines& out) {
    while (!out.empty() && isBlank(out.back())) out.pop_back();
}

// A line between two quoted lines, with no blank line around it, is a wrapped quote (a long
// link broken by the client), not an answer.
bool isWrappedQuote(const Lines& lines, std::size_t j) {
    return j > 0 && j + 1 < lines.size() && !isBlank(lines[j]) && isQuoteLine(lines[j - 1]) &&
           isQuoteLine(lines[j + 1]);
}

// The last line of the quote block starting at i (quoted, blank or wrapped lines).
std::size_t quoteBlockEnd(const Lines& lines, std::size_t i, std::size_t* quoted) {
    std::size_t last = i;
    *quoted = 0;
    for (std::size_t j = i; j < lines.size(); ++j) {
        if (isQuoteLine(lines[j])) {
            last = j;
            ++*quoted;
        } else if (!isBlank(lines[j]) && !isWrappedQuote(lines, j)) {
            break;
        }
    }
    return last;
}

std::size_t skipBlanks(const Lines& lines, std::size_t j) {
    while (j < lines.size() && isBlank(lines[j])) ++j;
    return j;
}

// Outlook puts a rule of underscores or dashes above its header block: it belongs to the history.
void dropSeparatorAbove(Lines& out) {
    std::size_t k = out.size();
    while (k > 0 && isBlank(out[k - 1])) --k;
    if (k > 0 && detail::isSeparatorLine(out[k - 1])) out.resize(k - 1);
}

class ReplyScanner {
public:
    explicit ReplyScanner(const Lines& lines) : lines_(lines) { out_.reserve(lines.size()); }

    Lines scan() {
        while (i_ < lines_.size() && step()) {
        }
        return std::move(out_);
    }

private:
    // One line or block; false when the rest of the text is history.
    bool step() {
        std::string_view line = lines_[i_];
        if (detail::isForwardMarker(line)) {
            out_.insert(out_.end(), lines_.begin() + static_cast<long>(i_), lines_.end());
            i_ = lines_.size();
            return false;
        }
        if (isQuoteLine(line)) {
            quoteWithoutSplitter();
            return true;
        }
        detail::Splitter s = detail::findSplitter(lines_, i_);
        if (s.lines == 0) {
            out_.push_back(line);
            ++i_;
            return true;
        }
        return afterSplitter(s);
    }

    bool afterSplitter(const detail::Splitter& s) {
        if (s.column > 0) {
            std::string_view head = lines_[i_].substr(0, s.column);
            while (!head.empty() && (head.back() == ' ' || head.back() == '-')) head.remove_suffix(1);
            if (!head.empty()) out_.push_back(head);
        }
        dropSeparatorAbove(out_);
        std::size_t next = skipBlanks(lines_, i_ + s.lines);
        // Unquoted history (Outlook, forwards inside replies) runs to the end of the text.
        if (next >= lines_.size() || !isQuoteLine(lines_[next])) return false;
        std::size_t quoted = 0;
        i_ = skipBlanks(lines_, quoteBlockEnd(lines_, next, &quoted) + 1);
        return true;
    }

    // A lone '>' line inside running text ("Visit >>> www.x <<<") is not quoting.
    void quoteWithoutSplitter() {
        std::size_t quoted = 0;
        std::size_t last = quoteBlockEnd(lines_, i_, &quoted);
        bool prevBlank = out_.empty() || isBlank(out_.back());
        bool nextBlank = last + 1 >= lines_.size() || isBlank(lines_[last + 1]);
        if (quoted < 2 && !prevBlank && !nextBlank) {
            out_.insert(out_.end(), lines_.begin() + static_cast<long>(i_),
                        lines_.begin() + static_cast<long>(last) + 1);
            i_ = last + 1;
            return;
        }
        i_ = last + 1;
        if (prevBlank) i_ = skipBlanks(lines_, i_);
    }

    const Lines& lines_;
    Lines out_;
    std::size_t i_ = 0;
};

// "-- " and what follows, when it is short enough to be a signature and not the message.
void dropSignature(Lines& out) {
    constexpr std::size_t kMaxSignatureLines = 15;
    for (std::size_t k = out.size(); k-- > 1;) {
        if (out.size() - k > kMaxSignatureLines + 1) return;
        if (detail::isSignatureDelimiter(out[k])) {
            out.resize(k);
            return;
        }
    }
}

std::string join(const Lines& lines) {
    std::string text;
    std::size_t size = lines.size();
    for (std::string_view l : lines) size += l.size();
    text.reserve(size);
    for (std::size_t k = 0; k < lines.size(); ++k) {
        if (k > 0) text += '\n';
        text += lines[k];
    }
    return text;
}

bool hasContent(const Lines& lines) {
    for (std::string_view l : lines) {
        if (!isBlank(l)) return true;
    }
    return false;
}

}  // namespace

std::string extractReplyText(std::string_view text) {
    Lines all = splitLines(text);
    Lines reply = ReplyScanner(all).scan();
    dropTrailingBlanks(reply);
    dropSignature(reply);
    dropTrailingBlanks(reply);
    if (!reply.empty() && detail::isMobileSignature(reply.back())) reply.pop_back();
    dropTrailingBlanks(reply);
    if (!hasContent(reply)) {
        trimBlankEdges(all);
        return join(all);
    }
    trimBlankEdges(reply);
    return join(reply);
}

}  // namespace postdesk::mime
