// postdesk::store — the chat bridge's tables (schema.sql, "The chat bridge"): raw updates and the
// getUpdates cursor, chats, conversations, their entries (messages and edits), fetched files, the
// chat outbox and the unanswered alerts already sent.
//
// Guarantees: addUpdate() and setCursor() are meant to share one transaction (the caller's), so
// an offset is never advanced past an update that is not stored; addUpdate() and addEntry() are
// idempotent on their natural keys ((bot, update_id|event_id), (source, chat, message, edit));
// enqueue() is idempotent on its dedupe key; recordAlert() returns false for a level already sent.
// Throws DbError (db.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/store/db.h"

namespace postdesk::store {

struct ChatUpdateRow {
    std::int64_t id = 0;
    std::string bot, update_key, raw;
    std::int64_t received_at = 0;
    std::string error;  // why it was quarantined
};

struct ConversationRow {
    std::int64_t id = 0;
    std::string source;
    std::int64_t chat_id = 0, thread_key = 0;
    std::int64_t opened_at = 0, first_message_id = 0, last_msg_at = 0, record_from = 0;
    std::string subject;
    std::string root_mid, last_mid;  // "" until the opening record is composed
    std::int64_t record_seq = 0;
    std::int64_t ticket = 0;         // 0: none yet
    std::int64_t unanswered_since = 0, unanswered_message_id = 0;
    int alert_level = 0;
};

struct ChatEntryRow {
    std::int64_t id = 0;
    std::string source;
    std::int64_t chat_id = 0, message_id = 0, edit_date = 0, conversation = 0;
    std::string role;
    std::int64_t update_row = 0, date = 0;
    bool recorded = false;
    std::string raw;  // the update's raw JSON (filled by entries())
    std::string bot;  // which parser reads `raw`
};

struct ChatFileRow {
    std::string source, file_unique_id, status;  // fetched | too_big | failed
    std::string sha256;
    std::int64_t size = 0;
    std::string detail;
};

struct ChatOutboxMessage {
    std::string source = "telegram";
    std::int64_t chat_id = 0, thread_key = 0, reply_to = 0;
    std::int64_t ticket = 0, conversation = 0;
    std::string kind;  // notice | reply
    std::string dedupe;
    std::string text;
    std::string agent_address;
};

struct ChatOutboxRow : ChatOutboxMessage {
    std::int64_t id = 0;
    std::string state;
    std::int64_t attempts = 0, next_attempt_at = 0, sent_message_id = 0, created_at = 0;
    std::string last_error;
};

class ChatStore {
public:
    explicit ChatStore(Db& db) : db_(db) {}

    // --- intake
    bool addUpdate(const std::string& bot, const std::string& key, const std::string& raw, std::int64_t now);  // false: had it
    std::int64_t nextOffset(const std::string& bot);  // 0 when never polled
    std::int64_t polledAt(const std::string& bot);    // 0 when never polled
    void setCursor(const std::string& bot, std::int64_t nextOffset, std::int64_t now);
    std::vector<ChatUpdateRow> pendingUpdates(int limit);
    void finishUpdate(std::int64_t id, const std::string& error = "");  // error: quarantined with it
    std::int64_t countUpdates(const std::string& state);

    // --- chats
    void noteChat(const std::string& source, std::int64_t chatId, const std::string& type, const std::string& title);
    void setBotStatus(const std::string& source, std::int64_t chatId, const std::string& status);
    void setActive(const std::string& source, std::int64_t chatId, bool active);
    // A group became a supergroup: the chat, its conversations and queued chat mail move to `to`.
    void migrateChat(const std::string& source, std::int64_t from, std::int64_t to);

    // --- conversations and entries
    std::optional<ConversationRow> latestConversation(const std::string& source, std::int64_t chatId, std::int64_t threadKey);
    std::optional<ConversationRow> conversationOfMessage(const std::string& source, std::int64_t chatId, std::int64_t messageId);
    std::optional<ConversationRow> conversation(std::int64_t id);
    std::optional<ConversationRow> conversationForTicket(std::int64_t ticket);  // the latest
    std::int64_t createConversation(const ConversationRow& row);
    void saveConversation(const ConversationRow& row);
    // Conversations whose opening record waits to be composed (subject set, no root_mid yet).
    std::vector<ConversationRow> awaitingRecord();
    // Conversations whose opening record was queued but not yet linked to its ticket.
    std::vector<ConversationRow> awaitingTicket();
    // Ticketed conversations with entries not yet in a record mail.
    std::vector<ConversationRow> withUnrecordedEntries();
    std::vector<ConversationRow> waitingForAnswer();  // unanswered_since != 0
    std::int64_t ticketOfMessageId(const std::string& messageId);  // 0 when not filed (yet)
    std::vector<ConversationRow> allConversations();  // newest first, at most 1000
    std::vector<ChatUpdateRow> quarantinedUpdates();

    bool addEntry(const ChatEntryRow& row);  // false: already recorded (a redelivery)
    // The version of a message in force before `beforeEditDate` (0 = the message itself; each
    // edit its edit_date), with its raw update; nullopt when none is recorded.
    std::optional<ChatEntryRow> versionBefore(const std::string& source, std::int64_t chatId, std::int64_t messageId,
                                              std::int64_t beforeEditDate);
    // In date order; `unrecordedOnly` for follow-ups; message ids below `fromMessageId` skipped.
    std::vector<ChatEntryRow> entries(std::int64_t conversation, bool unrecordedOnly, std::int64_t fromMessageId = 0);
    void markRecorded(const std::vector<std::int64_t>& entryIds);

    // --- files
    std::optional<ChatFileRow> file(const std::string& source, const std::string& fileUniqueId);
    void putFile(const ChatFileRow& row);

    // --- outbox
    bool enqueue(const ChatOutboxMessage& m, std::int64_t now);  // false: dedupe key seen
    std::vector<ChatOutboxRow> due(std::int64_t now, int limit);
    std::vector<ChatOutboxRow> listOutbox(const std::string& state = "");
    void markSent(std::int64_t id, std::int64_t messageId, std::int64_t now);
    void defer(std::int64_t id, const std::string& error, std::int64_t retryAt);  // a failed attempt: attempts + 1
    // Waits for a rate limit (429, the group window): deferred without using up an attempt.
    void postpone(std::int64_t id, const std::string& error, std::int64_t retryAt);
    void fail(std::int64_t id, const std::string& error);
    // The other parts of one relayed reply (dedupe "<message-id>#<n>") still queued or deferred.
    std::vector<ChatOutboxRow> pendingParts(const std::string& dedupe);
    void retarget(std::int64_t id, std::int64_t chatId);

    // --- alerts
    bool recordAlert(std::int64_t conversation, std::int64_t since, int level, std::int64_t now);

private:
    std::vector<ConversationRow> conversations(const std::string& where);
    Db& db_;
};

}  // namespace postdesk::store
