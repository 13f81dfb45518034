#include "rules/thread.h"

#include "mime/ascii.h"
#include "rules/reply_token.h"

namespace postdesk::rules {
namespace {

// "[#1042]" anywhere in the subject; the last one wins (quoted subjects stack tags in front).
std::optional<std::uint64_t> subjectTicket(std::string_view subject) {
    std::optional<std::uint64_t> found;
    for (std::size_t at = subject.find("[#"); at != std::string_view::npos; at = subject.find("[#", at + 2)) {
        std::size_t i = at + 2;
        std::uint64_t n = 0;
        std::size_t digits = 0;
        while (i < subject.size() && subject[i] >= '0' && subject[i] <= '9' && digits < 18) n = n * 10 + static_cast<std::uint64_t>(subject[i++] - '0'), ++digits;
        if (digits > 0 && i < subject.size() && subject[i] == ']') found = n;
    }
    return found;
}

void addTokens(ThreadKeys& keys, std::string_view address, const std::vector<std::string>& ours) {
    for (const auto& our : ours)
        if (auto t = tokenFromAddress(address, our)) keys.tokens.push_back(*t);
}

ThreadDecision appendTo(const TicketHint& t, const ThreadPolicy& policy, std::int64_t now, std::string why) {
    bool closed = t.status == TicketStatus::Closed || t.status == TicketStatus::Solved;
    if (!closed) return {ThreadAction::Append, t.number, false, std::move(why)};
    if (now - t.closed_at <= static_cast<std::int64_t>(policy.reopen_days) * 86400)
        return {ThreadAction::Append, t.number, true, why + "; reopens the ticket"};
    return {ThreadAction::NewLinked, t.number, false,
            why + "; ticket closed more than " + std::to_string(policy.reopen_days) + " days ago"};
}

}  // namespace

const char* toString(TicketStatus s) {
    switch (s) {
        case TicketStatus::New: return "new";
        case TicketStatus::Open: return "open";
        case TicketStatus::Pending: return "pending";
        case TicketStatus::Solved: return "solved";
        case TicketStatus::Closed: return "closed";
    }
    return "new";
}

std::optional<TicketStatus> ticketStatusFromString(std::string_view s) {
    for (auto st : {TicketStatus::New, TicketStatus::Open, TicketStatus::Pending, TicketStatus::Solved, TicketStatus::Closed})
        if (s == toString(st)) return st;
    return std::nullopt;
}

ThreadKeys threadKeys(const mime::Message& m, const std::vector<std::string>& ours) {
    ThreadKeys keys;
    for (const auto& a : m.to) addTokens(keys, a.address, ours);
    for (const auto& a : m.cc) addTokens(keys, a.address, ours);
    for (const auto& h : m.headers)
        if (mime::asciiLower(h.name) == "delivered-to" || mime::asciiLower(h.name) == "x-original-to") addTokens(keys, h.value, ours);
    if (m.in_reply_to) keys.message_ids.push_back(*m.in_reply_to);
    for (auto it = m.references.rbegin(); it != m.references.rend(); ++it) keys.message_ids.push_back(*it);
    keys.subject_ticket = subjectTicket(m.subject);
    keys.sender = mime::asciiLower(m.from.address);
    return keys;
}

ThreadDecision decideThread(const mime::Message& m, const ThreadKeys& keys, const ThreadHints& hints,
                            const ThreadPolicy& policy, std::int64_t now) {
    if (m.auto_kind == mime::AutoKind::Bounce) {
        if (hints.by_original) return {ThreadAction::AttachBounce, hints.by_original->number, false, "bounce of a mail on this ticket"};
        if (hints.by_message_id) return {ThreadAction::AttachBounce, hints.by_message_id->number, false, "bounce answering a mail on this ticket"};
        return {ThreadAction::OrphanBounce, 0, false, "bounce of a mail we cannot place"};
    }
    if (hints.by_token) return appendTo(*hints.by_token, policy, now, "signed reply address");
    if (hints.by_message_id) return appendTo(*hints.by_message_id, policy, now, "In-Reply-To/References");
    if (hints.by_subject) {
        if (hints.by_subject->sender_is_participant) return appendTo(*hints.by_subject, policy, now, "subject tag from a participant");
        return {ThreadAction::NewTicket, 0, false,
                "subject names [#" + std::to_string(hints.by_subject->number) + "] but the sender is not a participant"};
    }
    return {ThreadAction::NewTicket, 0, false, keys.subject_ticket ? "subject tag names no ticket" : "no thread evidence"};
}

}  // namespace postdesk::rules
