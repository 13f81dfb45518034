// postdesk::replies — the formal email record of a chat conversation (research §4.6): the opening
// record filed when a conversation becomes a ticket, and follow-up digests of later messages and
// edits, threaded under it.
//
// Guarantees (on top of mime/compose.h, which writes the bytes):
// - multipart/mixed: a text/plain + text/html transcript (multipart/alternative), then every
//   fetched file as an attachment (bytes untouched, base64), then `transcript.json`.
// - The transcript lists a header block (chat title, id, type, topic; participants with id,
//   @username, name and role; the period in UTC) and one line per entry, in the given order:
//     [2025-03-04 14:05:12Z] Ivan Petrov (@ivanp, customer, id 333) #1365 ↩1360: text
//     ✎ edited 14:07:40Z #1365: new text
//     [file video.mp4, 34 MB: not retrievable, Telegram bots can download ≤ 20 MB]
//   A message's further lines and its files follow it indented by two spaces. Every time is UTC.
//   Nothing the chat said is dropped or rewritten; the HTML escapes every <, >, &, " and '.
// - transcript.json (format "postdesk.chat-transcript.v1", written with Poco::JSON, keys in a
//   fixed order) holds the chat, the participants with their ids, every message and edit with
//   ISO 8601 UTC times and unix seconds, each file's status, and the SHA-256 of each attachment
//   (computed here from the attached bytes, so the record cannot disagree with itself).
// - Headers: From "<Name> via Telegram" <chat+tg-<chat_id>@<domain>> (Name: the first customer
//   participant, else the chat title); To the intake mailbox; Date `now` (UTC); Subject
//   "[Telegram] <title>: <subject>" (a follow-up: "Re: [#N] [Telegram] …"); Auto-Submitted:
//   auto-generated (RFC 3834); X-Chat-Source, X-Chat-Id, X-Chat-Thread and, when the entries name
//   messages, X-Chat-Message-Range "<lowest>-<highest>".
// - Deterministic: the same input gives the same bytes, so a resend after a crash is identical.
// Failure modes: ComposeResult::error set, no bytes — a follow-up without in_reply_to, or a field
// composeMail refuses (a domain or Message-ID that cannot form an address or msg-id). Never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mime/compose.h"
#include "mime/message.h"
#include "rules/chat_conversation.h"
#include "rules/chat_event.h"

namespace postdesk::replies {

struct ChatParticipant {
    rules::ChatUser user;
    rules::ChatRole role = rules::ChatRole::Customer;
};

// One line of the transcript: a message, or a new version of one.
struct ChatEntry {
    enum class Kind { Message, Edit };
    Kind kind = Kind::Message;
    std::int64_t message_id = 0;
    std::int64_t time = 0;       // Message: date; Edit: edit_date (unix seconds, UTC)
    std::int64_t reply_to = 0;   // Message: the replied-to message id, 0 when none
    rules::ChatUser author;      // Edit: the author of the edited message
    rules::ChatRole role = rules::ChatRole::Customer;
    std::string text;            // Message: text or caption; Edit: the new text
    std::vector<rules::ChatFile> files;  // Message only
};

// A Message or Edit event as a transcript entry (other kinds give a Message with their fields).
ChatEntry chatEntry(const rules::ChatEvent& event, rules::ChatRole role);

// A file the shell downloaded with getFile; matched to message files by file_unique_id.
struct FetchedChatFile {
    std::string file_unique_id;
    std::string file_name;  // the attachment's name (the shell makes one up for photos)
    std::string mime_type;
    std::string data;       // the bytes as downloaded; their SHA-256 is computed here
};

// A file the shell could not download; the reason is shown as written.
struct UnretrievableChatFile {
    std::string file_unique_id;
    std::string file_name;
    std::int64_t size = 0;  // bytes, 0 when unknown
    std::string reason;     // e.g. "Telegram bots can download ≤ 20 MB"
};

struct ChatTranscript {
    std::string source = "telegram";
    std::int64_t chat_id = 0;
    std::string chat_type;
    std::string chat_title;
    std::int64_t thread_key = 0;
    std::int64_t ticket = 0;  // 0 when not known yet
    std::string subject;      // the ticket subject (rules::chatTicketSubject)
    std::vector<ChatParticipant> participants;
    std::vector<ChatEntry> entries;  // in chat order
    std::vector<FetchedChatFile> fetched;
    std::vector<UnretrievableChatFile> unretrievable;
};

struct ChatMailAddressing {
    std::string bridge_domain;  // the From address is chat+tg-<chat_id>@bridge_domain
    mime::Address intake;       // To: the intake mailbox
    std::string message_id;     // without <>, deterministic (research §4.3), assigned by the caller
    std::optional<std::string> in_reply_to;  // without <>: the opening record (follow-ups)
    std::vector<std::string> references;     // without <>, oldest first; in_reply_to is added if missing
};

mime::ComposeResult composeChatRecord(const ChatTranscript& transcript, const ChatMailAddressing& addressing,
                                      std::int64_t now);
// A digest of later messages and edits; needs addressing.in_reply_to.
mime::ComposeResult composeChatFollowUp(const ChatTranscript& transcript, const ChatMailAddressing& addressing,
                                        std::int64_t now);

// "chat+tg-<chatId>@<domain>" for Telegram, "chat+<source>-<chatId>@<domain>" for other sources
// (source reduced to [a-z0-9]). Agent replies to this address go back to the chat (research §4.7).
std::string chatBridgeAddress(std::string_view source, std::int64_t chatId, std::string_view domain);

// "[Telegram] <title>: <subject>", or "[Telegram] <subject>" when the chat has no title.
std::string chatRecordSubject(const ChatTranscript& transcript);

// The pieces of the record, for previews and tests.
std::string chatTranscriptText(const ChatTranscript& transcript, bool followUp);
std::string chatTranscriptHtml(const ChatTranscript& transcript, bool followUp);
std::string chatTranscriptJson(const ChatTranscript& transcript, bool followUp);

}  // namespace postdesk::replies
