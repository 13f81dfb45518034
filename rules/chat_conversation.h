// postdesk::rules — what one chat update means for its conversation and ticket: a pure decision
// in the shape of thread.h, around one store lookup (STYLE.md §3):
//   current  = store.loadConversation(source, chat_id, thread_key);   // gateway/, nullopt if none
//   decision = decideChatEvent(event, current, policy, now);
//   the shell writes: the message, a new conversation row when asked, the ticket, unanswered_since.
// And, once a minute per conversation with unanswered_since != 0:
//   alert = decideUnanswered(since, lastAlertLevel, policy.unanswered_s, now).
//
// Guarantees:
// - A conversation is (source, chat_id, thread_key). A message starts a new one when there is none
//   yet, when its ticket is closed, or when it comes more than idle_window_s after the last message
//   — unless it replies to a message of the current conversation while that conversation has an
//   open ticket (or is an agent's "/ticket" reply), which keeps it there (research §4.4).
// - Tickets open only from Kind::Message: never from an edit, a bot's message, a membership or
//   migration update. At most one ticket per conversation: open_ticket is never set when the
//   conversation already has one.
// - Roles: a bot (from.is_bot) is Bot, whatever the agent list says; a user id in policy.agents is
//   Agent; everyone else is Customer. Bot messages are recorded but decide nothing.
// - Bot commands (event.command set) are never customer text: they open no ticket in Every or
//   Keywords mode and do not touch unanswered_since (research §4.8). Only an agent's "/ticket"
//   opens a ticket, in any mode; anyone else's is refused with a reason.
// - unanswered_since: a customer's non-command message sets it when it is 0; an agent's
//   non-command message clears it; edits never change it. When it changes, the shell restarts the
//   alert level at 0 (the dedupe key is (conversation, unanswered_since, level)). A bot relay of an
//   agent's email reply also clears it: that is the shell's write after a successful sendMessage.
// - A keywords regex goes through the Sieve regex guard (rules/detail/sieve_regex.h: POSIX ERE,
//   case-insensitive, bounded); a pattern the guard refuses or that does not compile never
//   matches, and the reason says so.
// Failure modes: none. Every input gives a decision; `reason` says which rule decided, for the log.
// Nothing here reads a clock, a file or the configuration.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "rules/chat_event.h"

namespace postdesk::rules {

// The per-chat settings (`[telegram]`, overridden by `[telegram.chat.ID]`).
struct ChatPolicy {
    enum class Mode {
        Every,     // each new conversation becomes a ticket at its first customer message
        Command,   // an agent types "/ticket [subject]"
        Keywords,  // a customer message matching keywords_regex opens the ticket
    };
    Mode mode = Mode::Every;
    std::int64_t idle_window_s = 4 * 3600;  // a longer silence starts a new conversation
    std::string keywords_regex;             // POSIX ERE, case-insensitive; Keywords mode only
    std::set<std::int64_t> agents;          // chat user ids of agents
    std::int64_t unanswered_s = 15 * 60;    // alert threshold; escalation at twice this
};

// private -> Every; group, supergroup, channel (and anything else) -> Command.
ChatPolicy::Mode defaultMode(std::string_view chatType);
// "every" | "command" | "keywords" (the config spelling); nullopt for anything else.
std::optional<ChatPolicy::Mode> chatModeFromString(std::string_view s);
const char* toString(ChatPolicy::Mode mode);

enum class ChatRole { Customer, Agent, Bot };
const char* toString(ChatRole role);  // "customer" | "agent" | "bot"
ChatRole chatRole(const ChatUser& user, const ChatPolicy& policy);

// "First Last", else "@username", else "user <id>". Used for subjects, From names and transcripts.
std::string chatUserName(const ChatUser& user);

// What the store knows of the latest conversation of (source, chat_id, thread_key). For an Edit,
// pass the conversation that holds the edited message instead.
struct ConversationState {
    std::int64_t id = 0;
    std::int64_t first_message_id = 0;  // its first message (Telegram ids grow per chat)
    std::int64_t last_msg_at = 0;       // date of its last message (unix seconds)
    std::int64_t ticket = 0;            // 0: no ticket yet
    bool ticket_closed = false;
    std::int64_t unanswered_since = 0;  // 0: nothing waits for an answer
    std::int64_t unanswered_message_id = 0;
};

struct ChatDecision {
    bool ignore = false;            // not a chat message (membership, migration, other): record nothing
    ChatRole role = ChatRole::Customer;
    bool new_conversation = false;  // insert a conversation row; the event is its first message
    bool open_ticket = false;       // open a ticket for the conversation now, titled `subject`
    std::string subject;            // set when open_ticket
    // When open_ticket: the first message the opening record covers; 0 means the whole
    // conversation (an agent's "/ticket" sent as a reply starts the record at the replied-to one).
    std::int64_t record_from_message_id = 0;
    bool append_to_ticket = false;  // the conversation's ticket gets this event in its next follow-up
    bool refused = false;           // a "/ticket" that was not honoured; `reason` says why
    bool is_customer_text = false;  // a customer's non-command message (what keywords and alerts see)
    // The conversation's values after this event (copy them to the row; for a new conversation
    // these are its initial values).
    std::int64_t last_msg_at = 0;
    std::int64_t unanswered_since = 0;
    std::int64_t unanswered_message_id = 0;
    bool unanswered_changed = false;  // restart the alert level at 0
    std::string reason;               // for the log: which rule decided
};

ChatDecision decideChatEvent(const ChatEvent& event, const std::optional<ConversationState>& current,
                             const ChatPolicy& policy, std::int64_t now);

// The subject of a ticket opened from `event`: the "/ticket" arguments, else the first 60
// characters of the text (whitespace runs made one space, cut on a character boundary), else
// "Chat with <name>" (the author's name, or the chat title for an agent's bare "/ticket").
std::string chatTicketSubject(const ChatEvent& event, ChatRole role);

struct UnansweredAlert {
    int level = 1;            // 1: unanswered; 2: escalated
    std::int64_t waited_s = 0;
};

// Level 1 once now - unanswered_since >= threshold_s, level 2 once it is >= 2 * threshold_s; only
// a level above lastAlertLevel is returned, so each level is sent at most once per
// unanswered_since (a scheduler that was down past 2x sends level 2 alone). nullopt when nothing
// waits (unanswered_since == 0), the threshold is not positive, or the due level was sent.
std::optional<UnansweredAlert> decideUnanswered(std::int64_t unanswered_since, int lastAlertLevel,
                                                std::int64_t threshold_s, std::int64_t now);

}  // namespace postdesk::rules
