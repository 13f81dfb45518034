#include "rules/chat_conversation.h"

#include <algorithm>

#include "mime/detail/utf8.h"
#include "rules/detail/sieve_regex.h"

namespace postdesk::rules {
namespace {

constexpr std::size_t kSubjectChars = 60;

bool isSpaceOrControl(unsigned char c) { return c <= 0x20 || c == 0x7F; }

// Whitespace and control runs become one space; at most `maxChars` code points are kept (an
// invalid byte counts as one); no leading or trailing space.
std::string oneLine(std::string_view s, std::size_t maxChars) {
    std::string out;
    std::size_t chars = 0;
    bool pendingSpace = false;
    for (std::size_t i = 0; i < s.size() && chars < maxChars;) {
        auto c = static_cast<unsigned char>(s[i]);
        if (isSpaceOrControl(c)) {
            pendingSpace = !out.empty();
            ++i;
            continue;
        }
        if (pendingSpace) {
            out += ' ';
            pendingSpace = false;
            if (++chars == maxChars) break;
        }
        std::size_t len = std::max<std::size_t>(1, mime::detail::utf8SequenceLength(s, i));
        out.append(s.substr(i, len));
        i += len;
        ++chars;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string minutes(std::int64_t seconds) { return std::to_string(seconds / 60) + " min"; }

// Does this message stay in `current` although it came after the idle window? Only a reply into
// it, and only while that is worth it: an open ticket, or an agent's /ticket naming the message.
bool replyKeepsConversation(const ChatEvent& e, const ConversationState& current, bool agentTicketCommand) {
    if (e.reply_to == 0 || current.first_message_id == 0 || e.reply_to < current.first_message_id) return false;
    if (current.ticket_closed) return false;
    return current.ticket != 0 || agentTicketCommand;
}

// Sets d.new_conversation and returns the part of the reason it contributes.
std::string decideConversation(const ChatEvent& e, const std::optional<ConversationState>& current,
                               const ChatPolicy& policy, std::int64_t when, bool agentTicketCommand, ChatDecision& d) {
    if (!current) {
        d.new_conversation = true;
        return "first message of this chat";
    }
    if (current->ticket != 0 && current->ticket_closed) {
        d.new_conversation = true;
        return "ticket #" + std::to_string(current->ticket) + " is closed: new conversation";
    }
    std::int64_t gap = when - current->last_msg_at;
    if (gap > policy.idle_window_s) {
        if (replyKeepsConversation(e, *current, agentTicketCommand))
            return "reply to #" + std::to_string(e.reply_to) + " after " + minutes(gap) + " keeps conversation " +
                   std::to_string(current->id);
        d.new_conversation = true;
        return "silent for " + minutes(gap) + " (idle window " + minutes(policy.idle_window_s) + "): new conversation";
    }
    return "conversation " + std::to_string(current->id);
}

std::string ticketName(std::int64_t ticket) { return "ticket #" + std::to_string(ticket); }

void decideTicketCommand(const ChatEvent& e, std::int64_t ticket, ChatDecision& d, std::string& reason) {
    if (d.role != ChatRole::Agent) {
        d.refused = true;
        reason += "; /ticket from user " + std::to_string(e.from.id) + ", who is not an agent: refused";
    } else if (ticket != 0) {
        d.refused = true;
        d.append_to_ticket = true;
        reason += "; /ticket: the conversation already has " + ticketName(ticket);
    } else {
        d.open_ticket = true;
        d.subject = chatTicketSubject(e, d.role);
        d.record_from_message_id = e.reply_to;
        reason += "; /ticket from agent " + std::to_string(e.from.id) + ": open a ticket";
    }
}

void decideCustomerTicket(const ChatEvent& e, const ChatPolicy& policy, ChatDecision& d, std::string& reason) {
    switch (policy.mode) {
    case ChatPolicy::Mode::Every:
        d.open_ticket = true;
        reason += "; every mode: a customer message opens a ticket";
        break;
    case ChatPolicy::Mode::Command:
        reason += "; command mode: waits for an agent's /ticket";
        break;
    case ChatPolicy::Mode::Keywords: {
        std::string problem = detail::checkSieveRegex(policy.keywords_regex);
        if (policy.keywords_regex.empty()) problem = "no keywords_regex set";
        if (!problem.empty()) {
            reason += "; keywords mode: the pattern never matches (" + problem + ")";
        } else if (detail::matchSieveRegex(policy.keywords_regex, e.text, true, nullptr)) {
            d.open_ticket = true;
            reason += "; keywords mode: the text matches, open a ticket";
        } else {
            reason += "; keywords mode: no match";
        }
        break;
    }
    }
    if (d.open_ticket) d.subject = chatTicketSubject(e, d.role);
}

ChatDecision decideEdit(const ChatEvent& e, const std::optional<ConversationState>& current, ChatDecision d) {
    std::string what = "edit of #" + std::to_string(e.message_id);
    if (!current) {
        d.reason = what + ": no conversation holds it, recorded only";
    } else if (current->ticket != 0) {
        d.append_to_ticket = true;
        d.reason = what + ": appended to " + ticketName(current->ticket);
    } else {
        d.reason = what + ": kept with conversation " + std::to_string(current->id) + " (no ticket yet)";
    }
    return d;
}

}  // namespace

ChatPolicy::Mode defaultMode(std::string_view chatType) {
    return chatType == "private" ? ChatPolicy::Mode::Every : ChatPolicy::Mode::Command;
}

std::optional<ChatPolicy::Mode> chatModeFromString(std::string_view s) {
    if (s == "every") return ChatPolicy::Mode::Every;
    if (s == "command") return ChatPolicy::Mode::Command;
    if (s == "keywords") return ChatPolicy::Mode::Keywords;
    return std::nullopt;
}

const char* toString(ChatPolicy::Mode mode) {
    switch (mode) {
    case ChatPolicy::Mode::Every: return "every";
    case ChatPolicy::Mode::Command: return "command";
    case ChatPolicy::Mode::Keywords: return "keywords";
    }
    return "every";
}

const char* toString(ChatRole role) {
    switch (role) {
    case ChatRole::Customer: return "customer";
    case ChatRole::Agent: return "agent";
    case ChatRole::Bot: return "bot";
    }
    return "customer";
}

ChatRole chatRole(const ChatUser& user, const ChatPolicy& policy) {
    if (user.is_bot) return ChatRole::Bot;
    return policy.agents.count(user.id) ? ChatRole::Agent : ChatRole::Customer;
}

std::string chatUserName(const ChatUser& user) {
    std::string name = oneLine(user.first_name + " " + user.last_name, 200);
    if (!name.empty()) return name;
    if (!user.username.empty()) return "@" + oneLine(user.username, 200);
    return "user " + std::to_string(user.id);
}

std::string chatTicketSubject(const ChatEvent& e, ChatRole role) {
    std::string subject = oneLine(e.command ? e.command_args : e.text, kSubjectChars);
    if (!subject.empty()) return subject;
    if (e.command && role == ChatRole::Agent) {
        std::string title = oneLine(e.chat_title, kSubjectChars);
        return "Chat with " + (title.empty() ? "chat " + std::to_string(e.chat_id) : title);
    }
    return "Chat with " + chatUserName(e.from);
}

ChatDecision decideChatEvent(const ChatEvent& e, const std::optional<ConversationState>& current,
                             const ChatPolicy& policy, std::int64_t now) {
    ChatDecision d;
    d.role = chatRole(e.from, policy);
    if (current) {
        d.last_msg_at = current->last_msg_at;
        d.unanswered_since = current->unanswered_since;
        d.unanswered_message_id = current->unanswered_message_id;
    }
    if (e.kind == ChatEvent::Kind::Edit) return decideEdit(e, current, d);
    if (e.kind != ChatEvent::Kind::Message) {
        d.ignore = true;
        d.reason = "not a chat message (membership, migration or other update): no conversation change";
        return d;
    }

    const std::int64_t when = e.date > 0 ? e.date : now;
    const bool ticketCommand = e.command && *e.command == "/ticket";
    std::string reason = decideConversation(e, current, policy, when, ticketCommand && d.role == ChatRole::Agent, d);
    std::int64_t ticket = 0;
    if (d.new_conversation) {
        d.last_msg_at = when;
        d.unanswered_changed = d.unanswered_since != 0;
        d.unanswered_since = d.unanswered_message_id = 0;
    } else {
        d.last_msg_at = std::max(d.last_msg_at, when);
        ticket = current->ticket;
    }

    if (d.role == ChatRole::Bot) {
        d.append_to_ticket = ticket != 0;
        d.reason = reason + "; a bot's message: recorded, decides nothing";
        return d;
    }
    if (e.command) {
        if (ticketCommand) {
            decideTicketCommand(e, ticket, d, reason);
        } else {
            d.append_to_ticket = ticket != 0;
            reason += "; command " + oneLine(*e.command, 40) + ": not customer text";
        }
        d.reason = std::move(reason);
        return d;
    }

    d.append_to_ticket = ticket != 0;
    if (d.role == ChatRole::Agent) {
        if (d.unanswered_since != 0) {
            d.unanswered_changed = true;
            d.unanswered_since = d.unanswered_message_id = 0;
            reason += "; an agent answered";
        }
    } else {
        d.is_customer_text = true;
        if (d.unanswered_since == 0) {
            d.unanswered_changed = true;
            d.unanswered_since = when;
            d.unanswered_message_id = e.message_id;
            reason += "; the customer waits for an answer";
        }
        if (ticket == 0) decideCustomerTicket(e, policy, d, reason);
    }
    if (ticket != 0) reason += "; appended to " + ticketName(ticket);
    d.reason = std::move(reason);
    return d;
}

std::optional<UnansweredAlert> decideUnanswered(std::int64_t unanswered_since, int lastAlertLevel,
                                                std::int64_t threshold_s, std::int64_t now) {
    if (unanswered_since == 0 || threshold_s <= 0) return std::nullopt;
    std::int64_t waited = now - unanswered_since;
    int due = waited >= 2 * threshold_s ? 2 : waited >= threshold_s ? 1 : 0;
    if (due <= lastAlertLevel) return std::nullopt;
    return UnansweredAlert{due, waited};
}

}  // namespace postdesk::rules
