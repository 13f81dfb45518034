#include "replies/chat_text.h"

#include <algorithm>

#include "mime/date.h"
#include "replies/detail/utf8.h"
#include "rules/chat_conversation.h"

namespace postdesk::replies {
namespace {

constexpr std::size_t kMaxAgentName = 64;
constexpr std::size_t kMaxNoticeSubject = 200;
constexpr std::size_t kAlertQuoteChars = 200;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
    return s;
}

// At most maxChars code points of `s` on one line (controls become spaces); "…" when cut.
std::string firstChars(std::string_view s, std::size_t maxChars, bool keepNewlines) {
    std::string out;
    std::size_t pos = 0, chars = 0;
    while (pos < s.size()) {
        if (chars == maxChars) return std::string(trim(out)) + "…";
        std::size_t start = pos;
        char32_t cp = detail::decodeUtf8(s, pos);
        if (cp == '\n' && keepNewlines) out += '\n';
        else if (cp < 0x20 || cp == 0x7F) out += ' ';
        else out.append(s.substr(start, pos - start));
        ++chars;
    }
    return out;
}

std::size_t unitsOf(char32_t cp) { return cp >= 0x10000 ? 2 : 1; }

// A code point that must stay with the one before it (a hard cut never goes just before it).
bool clingsToPrevious(char32_t cp) {
    return (cp >= 0x0300 && cp <= 0x036F) || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F) || (cp >= 0x20D0 && cp <= 0x20FF);
}

// The end (byte offset) of the longest run from `pos` that fits in `budget` UTF-16 units.
std::size_t fitEnd(std::string_view s, std::size_t pos, std::size_t budget) {
    std::size_t units = 0;
    while (pos < s.size()) {
        std::size_t next = pos;
        std::size_t u = unitsOf(detail::decodeUtf8(s, next));
        if (units + u > budget) break;
        units += u;
        pos = next;
    }
    return pos;
}

// A hard cut at `end`, moved back so it does not separate a joiner, mark or modifier from its base.
std::size_t hardCut(std::string_view s, std::size_t start, std::size_t end) {
    std::vector<std::size_t> starts;  // code point starts in [start, end]
    for (std::size_t p = start; p < end;) {
        starts.push_back(p);
        detail::decodeUtf8(s, p);
    }
    starts.push_back(end);
    for (std::size_t i = starts.size() - 1; i > 1; --i) {
        std::size_t cut = starts[i];
        std::size_t p = cut, q = starts[i - 1];
        bool clingsAfter = cut < s.size() && clingsToPrevious(detail::decodeUtf8(s, p));
        bool joinerBefore = detail::decodeUtf8(s, q) == 0x200D;
        if (!clingsAfter && !joinerBefore) return cut;
    }
    return end;  // one long cluster: cut it where it overflows
}

// Where to end the chunk that starts at `start` and may run to `end` (< s.size()).
std::size_t chooseCut(std::string_view s, std::size_t start, std::size_t end) {
    const std::size_t floor = start + (end - start) / 4;  // no boundary in the first quarter
    for (std::string_view boundary : {std::string_view("\n\n"), std::string_view("\n"), std::string_view(" ")}) {
        std::size_t at = s.rfind(boundary, end);
        if (at != std::string_view::npos && at > floor && at <= end) return at;
    }
    return hardCut(s, start, end);
}

std::vector<std::string> splitText(std::string_view text, std::size_t budget) {
    std::vector<std::string> chunks;
    std::size_t pos = 0;
    while (true) {
        while (pos < text.size() && isSpace(text[pos])) ++pos;
        if (pos >= text.size()) break;
        std::size_t end = fitEnd(text, pos, budget);
        if (end == pos) detail::decodeUtf8(text, end);  // budget below one character: take it anyway
        std::size_t cut = end >= text.size() ? text.size() : chooseCut(text, pos, end);
        std::string_view chunk = trim(text.substr(pos, cut - pos));
        if (!chunk.empty()) chunks.emplace_back(chunk);
        pos = cut;
    }
    return chunks;
}

std::string userLine(const rules::ChatUser& u) {
    std::string name = rules::chatUserName(u);
    std::string detail = "(";
    if (!u.username.empty() && name != "@" + u.username) detail += "@" + u.username + ", ";
    return name + " " + detail + "id " + std::to_string(u.id) + ")";
}

std::string sourceLabel(std::string_view source) {
    if (source == "telegram" || source.empty()) return "Telegram";
    std::string s(source);
    if (s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

std::string waited(std::int64_t seconds) { return std::to_string(std::max<std::int64_t>(0, seconds) / 60) + " min"; }

std::string alertBody(const UnansweredAlertMail& a, std::int64_t now) {
    std::string where = sourceLabel(a.source);
    std::string out = a.level == 2 ? "Escalated: a customer's message in " + where + " is still unanswered after " +
                                         waited(now - a.unanswered_since) + ".\n\n"
                                   : "A customer's message in " + where + " has waited " + waited(now - a.unanswered_since) +
                                         " for an answer.\n\n";
    out += "Chat:      " + (a.chat_title.empty() ? std::string("(untitled)") : firstChars(a.chat_title, 200, false)) +
           " (id " + std::to_string(a.chat_id) + (a.thread_key ? ", topic " + std::to_string(a.thread_key) : "") + ")\n";
    out += "Customer:  " + firstChars(userLine(a.customer), 300, false) + "\n";
    out += "Waiting:   since " + mime::formatIsoUtc(a.unanswered_since) + ", message #" + std::to_string(a.chat_message_id) + "\n";
    out += "Ticket:    " + (a.ticket ? "#" + std::to_string(a.ticket) : std::string("none yet")) + "\n";
    if (!a.link.empty()) out += "Link:      " + firstChars(a.link, 500, false) + "\n";
    out += "\n";
    std::string quote = firstChars(std::string(trim(a.text)), kAlertQuoteChars, true);
    if (quote.empty()) quote = "(no text)";
    std::size_t start = 0;
    while (start <= quote.size()) {
        std::size_t nl = quote.find('\n', start);
        std::string line = quote.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        out += line.empty() ? ">\n" : "> " + line + "\n";
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    out += "\nA message from an agent in the chat, or an email reply to the ticket, counts as the answer.\n";
    return out;
}

}  // namespace

std::size_t utf16Length(std::string_view utf8) {
    std::size_t units = 0;
    for (std::size_t pos = 0; pos < utf8.size();) units += unitsOf(detail::decodeUtf8(utf8, pos));
    return units;
}

std::vector<std::string> chatMessagesFromReply(std::string_view agentName, std::int64_t ticket,
                                               std::string_view replyText, std::size_t maxUtf16) {
    maxUtf16 = std::max<std::size_t>(maxUtf16, 2);
    std::string name = firstChars(trim(agentName), kMaxAgentName, false);
    if (name.empty()) name = "Support";
    std::string prefix = name + (ticket ? " (ticket #" + std::to_string(ticket) + ")" : "") + ": ";
    if (utf16Length(prefix) * 2 > maxUtf16) prefix.clear();
    std::string text;
    text.reserve(replyText.size());
    for (char c : replyText)
        if (c != '\r') text += c;  // CRLF from mail: paragraph breaks are "\n\n"
    std::vector<std::string> chunks = splitText(text, maxUtf16 - utf16Length(prefix));
    for (auto& c : chunks) c.insert(0, prefix);
    return chunks;
}

std::string ticketCreatedNotice(std::int64_t ticket, std::string_view subject) {
    std::string s = firstChars(trim(subject), kMaxNoticeSubject, false);
    while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
    if (s.empty()) return "Ticket #" + std::to_string(ticket) + " created. Further messages here are added to it.";
    return "Ticket #" + std::to_string(ticket) + " created: " + s + ". Further messages here are added to it.";
}

mime::ComposeResult composeUnansweredAlert(const UnansweredAlertMail& a, std::int64_t now) {
    if (a.level != 1 && a.level != 2) return {"", "alert level must be 1 or 2, not " + std::to_string(a.level)};
    std::string who = rules::chatUserName(a.customer);
    std::string where = a.chat_title.empty() || a.chat_title == who ? who : a.chat_title + " — " + who;
    mime::OutgoingMail m;
    m.from = a.from;
    m.to = a.to;
    m.subject = "[" + sourceLabel(a.source) + "] " + (a.level == 2 ? "Escalated, unanswered for " : "Unanswered for ") +
                waited(now - a.unanswered_since) + ": " + where;
    m.message_id = a.message_id;
    m.date_epoch = now;
    m.extra_headers = {{"Auto-Submitted", "auto-generated"},
                       {"X-Chat-Source", a.source},
                       {"X-Chat-Id", std::to_string(a.chat_id)},
                       {"X-Chat-Alert", a.level == 2 ? "escalated" : "unanswered"}};
    m.text = alertBody(a, now);
    return mime::composeMail(m);
}

}  // namespace postdesk::replies
