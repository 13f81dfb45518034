// postdesk::replies — the text the chat bridge writes for people: an agent's email reply as chat
// messages, the "ticket created" notice the bot posts, and the unanswered-message alert mailed to
// the queue's agents (research §4.5, §4.7, §4.8).
//
// Guarantees:
// - chatMessagesFromReply: every chunk is at most maxUtf16 UTF-16 code units (Telegram counts
//   text length that way; a character outside the BMP, such as most emoji, counts 2), is valid
//   UTF-8 when the input is (no sequence is ever split), is not empty and carries no leading or
//   trailing whitespace. Each chunk starts with "Anna (ticket #1234): " so it reads on its own.
//   Cuts prefer a paragraph break, then a line break, then a space; only a text with none of those
//   in the last three quarters of a chunk is cut inside a word, and then not before a combining
//   mark, a variation selector, an emoji modifier or after a zero-width joiner. Joining the chunks'
//   texts (without prefixes) gives the reply back up to whitespace at the cuts.
// - ticketCreatedNotice: one line; control characters in the subject become spaces.
// - composeUnansweredAlert: a text/plain mail (mime/compose.h guarantees) with Auto-Submitted:
//   auto-generated, X-Chat-Source, X-Chat-Id and X-Chat-Alert: unanswered | escalated.
// Failure modes: chatMessagesFromReply returns no chunks for a blank reply; composeUnansweredAlert
// returns ComposeResult::error for what composeMail refuses (addresses, Message-ID) or a level
// other than 1 or 2. Nothing throws; nothing reads a clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mime/compose.h"
#include "mime/message.h"
#include "rules/chat_event.h"

namespace postdesk::replies {

inline constexpr std::size_t kTelegramMaxText = 4096;  // sendMessage text, in UTF-16 units

// UTF-16 code units needed for `utf8` (an invalid byte counts as one unit, as U+FFFD would).
std::size_t utf16Length(std::string_view utf8);

// `replyText` is the agent's reply with quoted history and signature already removed
// (mime/reply_text.h). agentName is cut to 64 characters; ticket 0 leaves "(ticket #N)" out.
// A maxUtf16 below 2 is taken as 2; when the prefix would take more than half of maxUtf16 it
// is left out.
std::vector<std::string> chatMessagesFromReply(std::string_view agentName, std::int64_t ticket,
                                               std::string_view replyText, std::size_t maxUtf16 = kTelegramMaxText);

// "Ticket #N created: <subject>. Further messages here are added to it."
std::string ticketCreatedNotice(std::int64_t ticket, std::string_view subject);

struct UnansweredAlertMail {
    mime::Address from;              // the system's notification address
    std::vector<mime::Address> to;   // the queue's agents
    std::string message_id;          // without <>; deterministic, e.g. from (conversation, since, level)
    std::string source = "telegram";
    std::int64_t chat_id = 0;
    std::string chat_title;
    std::int64_t thread_key = 0;
    std::int64_t ticket = 0;         // 0: the conversation has no ticket yet
    rules::ChatUser customer;        // the author of the waiting message
    std::int64_t chat_message_id = 0;  // the waiting message
    std::string text;                // its text: the first 200 characters are quoted
    std::int64_t unanswered_since = 0;
    int level = 1;                   // 1: unanswered; 2: escalated (rules::decideUnanswered)
    std::string link;                // optional link to the message; "" to leave it out
};

mime::ComposeResult composeUnansweredAlert(const UnansweredAlertMail& alert, std::int64_t now);

}  // namespace postdesk::replies
