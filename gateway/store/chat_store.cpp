#include "gateway/store/chat_store.h"

namespace postdesk::store {
namespace {

constexpr const char* kConversationColumns =
    "id, source, chat_id, thread_key, opened_at, first_message_id, last_msg_at, record_from, subject, COALESCE(root_mid,''), "
    "COALESCE(last_mid,''), record_seq, COALESCE(ticket,0), unanswered_since, unanswered_message_id, alert_level";

ConversationRow readConversation(const Statement& s) {
    ConversationRow r;
    r.id = s.int64(0);
    r.source = s.text(1);
    r.chat_id = s.int64(2);
    r.thread_key = s.int64(3);
    r.opened_at = s.int64(4);
    r.first_message_id = s.int64(5);
    r.last_msg_at = s.int64(6);
    r.record_from = s.int64(7);
    r.subject = s.text(8);
    r.root_mid = s.text(9);
    r.last_mid = s.text(10);
    r.record_seq = s.int64(11);
    r.ticket = s.int64(12);
    r.unanswered_since = s.int64(13);
    r.unanswered_message_id = s.int64(14);
    r.alert_level = static_cast<int>(s.int64(15));
    return r;
}

std::optional<ConversationRow> one(Statement& s) {
    if (!s.step()) return std::nullopt;
    return readConversation(s);
}

constexpr const char* kOutboxColumns =
    "id, source, chat_id, thread_key, reply_to, COALESCE(ticket,0), COALESCE(conversation,0), kind, dedupe, text, agent_address, "
    "state, attempts, next_attempt_at, COALESCE(last_error,''), COALESCE(sent_message_id,0), created_at";

ChatOutboxRow readOutbox(const Statement& s) {
    ChatOutboxRow r;
    r.id = s.int64(0);
    r.source = s.text(1);
    r.chat_id = s.int64(2);
    r.thread_key = s.int64(3);
    r.reply_to = s.int64(4);
    r.ticket = s.int64(5);
    r.conversation = s.int64(6);
    r.kind = s.text(7);
    r.dedupe = s.text(8);
    r.text = s.text(9);
    r.agent_address = s.text(10);
    r.state = s.text(11);
    r.attempts = s.int64(12);
    r.next_attempt_at = s.int64(13);
    r.last_error = s.text(14);
    r.sent_message_id = s.int64(15);
    r.created_at = s.int64(16);
    return r;
}

Statement& bindNullableId(Statement& s, int index, std::int64_t id) { return id ? s.bind(index, id) : s.bindNull(index); }

}  // namespace

bool ChatStore::addUpdate(const std::string& bot, const std::string& key, const std::string& raw, std::int64_t now) {
    Statement(db_, "INSERT OR IGNORE INTO chat_update (bot, update_key, raw, received_at) VALUES (?,?,?,?)")
        .bind(1, bot).bind(2, key).bind(3, raw).bind(4, now).run();
    return db_.changes() > 0;
}

std::int64_t ChatStore::nextOffset(const std::string& bot) {
    Statement s(db_, "SELECT next_offset FROM chat_cursor WHERE bot = ?");
    s.bind(1, bot);
    return s.step() ? s.int64(0) : 0;
}

std::int64_t ChatStore::polledAt(const std::string& bot) {
    Statement s(db_, "SELECT polled_at FROM chat_cursor WHERE bot = ?");
    s.bind(1, bot);
    return s.step() ? s.int64(0) : 0;
}

void ChatStore::setCursor(const std::string& bot, std::int64_t nextOffset, std::int64_t now) {
    Statement(db_, "INSERT INTO chat_cursor (bot, next_offset, polled_at) VALUES (?1,?2,?3) "
                   "ON CONFLICT (bot) DO UPDATE SET next_offset = ?2, polled_at = ?3")
        .bind(1, bot).bind(2, nextOffset).bind(3, now).run();
}

std::vector<ChatUpdateRow> ChatStore::pendingUpdates(int limit) {
    Statement s(db_, "SELECT id, bot, update_key, raw, received_at FROM chat_update WHERE state = 'received' ORDER BY id LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(limit));
    std::vector<ChatUpdateRow> out;
    while (s.step()) out.push_back({s.int64(0), s.text(1), s.text(2), s.text(3), s.int64(4), ""});
    return out;
}

void ChatStore::finishUpdate(std::int64_t id, const std::string& error) {
    Statement s(db_, "UPDATE chat_update SET state = ?, error = ? WHERE id = ?");
    s.bind(1, error.empty() ? "done" : "quarantined");
    error.empty() ? s.bindNull(2) : s.bind(2, error);
    s.bind(3, id).run();
}

std::int64_t ChatStore::countUpdates(const std::string& state) {
    Statement s(db_, "SELECT COUNT(*) FROM chat_update WHERE state = ?");
    s.bind(1, state);
    s.step();
    return s.int64(0);
}

void ChatStore::noteChat(const std::string& source, std::int64_t chatId, const std::string& type, const std::string& title) {
    Statement(db_, "INSERT INTO chat (source, chat_id, type, title) VALUES (?1,?2,?3,?4) "
                   "ON CONFLICT (source, chat_id) DO UPDATE SET type = ?3, title = ?4")
        .bind(1, source).bind(2, chatId).bind(3, type).bind(4, title).run();
}

void ChatStore::setBotStatus(const std::string& source, std::int64_t chatId, const std::string& status) {
    Statement(db_, "INSERT INTO chat (source, chat_id, bot_status) VALUES (?1,?2,?3) "
                   "ON CONFLICT (source, chat_id) DO UPDATE SET bot_status = ?3")
        .bind(1, source).bind(2, chatId).bind(3, status).run();
}

void ChatStore::setActive(const std::string& source, std::int64_t chatId, bool active) {
    Statement(db_, "INSERT INTO chat (source, chat_id, active) VALUES (?1,?2,?3) "
                   "ON CONFLICT (source, chat_id) DO UPDATE SET active = ?3")
        .bind(1, source).bind(2, chatId).bind(3, static_cast<std::int64_t>(active)).run();
}

void ChatStore::migrateChat(const std::string& source, std::int64_t from, std::int64_t to) {
    Statement(db_, "INSERT INTO chat (source, chat_id, migrated_to) VALUES (?1,?2,?3) "
                   "ON CONFLICT (source, chat_id) DO UPDATE SET migrated_to = ?3")
        .bind(1, source).bind(2, from).bind(3, to).run();
    Statement(db_, "UPDATE conversation SET chat_id = ?3 WHERE source = ?1 AND chat_id = ?2").bind(1, source).bind(2, from).bind(3, to).run();
    Statement(db_, "UPDATE chat_outbox SET chat_id = ?3 WHERE source = ?1 AND chat_id = ?2 AND state IN ('queued','deferred')")
        .bind(1, source).bind(2, from).bind(3, to).run();
}

std::optional<ConversationRow> ChatStore::latestConversation(const std::string& source, std::int64_t chatId, std::int64_t threadKey) {
    Statement s(db_, std::string("SELECT ") + kConversationColumns +
                         " FROM conversation WHERE source = ? AND chat_id = ? AND thread_key = ? ORDER BY id DESC LIMIT 1");
    s.bind(1, source).bind(2, chatId).bind(3, threadKey);
    return one(s);
}

std::optional<ConversationRow> ChatStore::conversationOfMessage(const std::string& source, std::int64_t chatId, std::int64_t messageId) {
    Statement s(db_, "SELECT conversation FROM chat_entry WHERE source = ? AND chat_id = ? AND message_id = ? AND edit_date = 0");
    s.bind(1, source).bind(2, chatId).bind(3, messageId);
    if (!s.step()) return std::nullopt;
    return conversation(s.int64(0));
}

std::optional<ConversationRow> ChatStore::conversation(std::int64_t id) {
    Statement s(db_, std::string("SELECT ") + kConversationColumns + " FROM conversation WHERE id = ?");
    s.bind(1, id);
    return one(s);
}

std::optional<ConversationRow> ChatStore::conversationForTicket(std::int64_t ticket) {
    Statement s(db_, std::string("SELECT ") + kConversationColumns + " FROM conversation WHERE ticket = ? ORDER BY id DESC LIMIT 1");
    s.bind(1, ticket);
    return one(s);
}

std::int64_t ChatStore::createConversation(const ConversationRow& r) {
    Statement s(db_, "INSERT INTO conversation (source, chat_id, thread_key, opened_at, first_message_id, last_msg_at) VALUES (?,?,?,?,?,?)");
    s.bind(1, r.source).bind(2, r.chat_id).bind(3, r.thread_key).bind(4, r.opened_at).bind(5, r.first_message_id).bind(6, r.last_msg_at).run();
    return db_.lastInsertId();
}

void ChatStore::saveConversation(const ConversationRow& r) {
    Statement s(db_,
                "UPDATE conversation SET last_msg_at = ?, record_from = ?, subject = ?, root_mid = ?, last_mid = ?, record_seq = ?, "
                "ticket = ?, unanswered_since = ?, unanswered_message_id = ?, alert_level = ? WHERE id = ?");
    s.bind(1, r.last_msg_at).bind(2, r.record_from).bind(3, r.subject);
    r.root_mid.empty() ? s.bindNull(4) : s.bind(4, r.root_mid);
    r.last_mid.empty() ? s.bindNull(5) : s.bind(5, r.last_mid);
    s.bind(6, r.record_seq);
    bindNullableId(s, 7, r.ticket);
    s.bind(8, r.unanswered_since).bind(9, r.unanswered_message_id).bind(10, static_cast<std::int64_t>(r.alert_level)).bind(11, r.id).run();
}

std::vector<ConversationRow> ChatStore::conversations(const std::string& where) {
    Statement s(db_, std::string("SELECT ") + kConversationColumns + " FROM conversation WHERE " + where + " ORDER BY id");
    std::vector<ConversationRow> out;
    while (s.step()) out.push_back(readConversation(s));
    return out;
}

std::vector<ConversationRow> ChatStore::awaitingRecord() { return conversations("subject != '' AND root_mid IS NULL"); }
std::vector<ConversationRow> ChatStore::awaitingTicket() { return conversations("root_mid IS NOT NULL AND ticket IS NULL"); }
std::vector<ConversationRow> ChatStore::withUnrecordedEntries() {
    return conversations("ticket IS NOT NULL AND id IN (SELECT conversation FROM chat_entry WHERE recorded = 0)");
}
std::vector<ConversationRow> ChatStore::waitingForAnswer() { return conversations("unanswered_since != 0"); }

std::vector<ConversationRow> ChatStore::allConversations() {
    Statement s(db_, std::string("SELECT ") + kConversationColumns + " FROM conversation ORDER BY id DESC LIMIT 1000");
    std::vector<ConversationRow> out;
    while (s.step()) out.push_back(readConversation(s));
    return out;
}

std::vector<ChatUpdateRow> ChatStore::quarantinedUpdates() {
    Statement s(db_, "SELECT id, bot, update_key, raw, received_at, COALESCE(error,'') FROM chat_update WHERE state = 'quarantined' ORDER BY id");
    std::vector<ChatUpdateRow> out;
    while (s.step()) out.push_back({s.int64(0), s.text(1), s.text(2), s.text(3), s.int64(4), s.text(5)});
    return out;
}

std::int64_t ChatStore::ticketOfMessageId(const std::string& messageId) {
    Statement s(db_, "SELECT ticket FROM message WHERE message_id = ? AND ticket IS NOT NULL LIMIT 1");
    s.bind(1, messageId);
    return s.step() ? s.int64(0) : 0;
}

bool ChatStore::addEntry(const ChatEntryRow& r) {
    Statement(db_, "INSERT OR IGNORE INTO chat_entry (source, chat_id, message_id, edit_date, conversation, role, update_row, date) "
                   "VALUES (?,?,?,?,?,?,?,?)")
        .bind(1, r.source).bind(2, r.chat_id).bind(3, r.message_id).bind(4, r.edit_date).bind(5, r.conversation).bind(6, r.role)
        .bind(7, r.update_row).bind(8, r.date).run();
    return db_.changes() > 0;
}

std::optional<ChatEntryRow> ChatStore::versionBefore(const std::string& source, std::int64_t chatId, std::int64_t messageId,
                                                     std::int64_t beforeEditDate) {
    Statement s(db_,
                "SELECT e.id, e.edit_date, e.conversation, u.raw, u.bot FROM chat_entry e JOIN chat_update u ON u.id = e.update_row "
                "WHERE e.source = ? AND e.chat_id = ? AND e.message_id = ? AND e.edit_date < ? ORDER BY e.edit_date DESC, e.id DESC LIMIT 1");
    s.bind(1, source).bind(2, chatId).bind(3, messageId).bind(4, beforeEditDate);
    if (!s.step()) return std::nullopt;
    ChatEntryRow r;
    r.id = s.int64(0);
    r.source = source;
    r.chat_id = chatId;
    r.message_id = messageId;
    r.edit_date = s.int64(1);
    r.conversation = s.int64(2);
    r.raw = s.text(3);
    r.bot = s.text(4);
    return r;
}

std::vector<ChatEntryRow> ChatStore::entries(std::int64_t conversation, bool unrecordedOnly, std::int64_t fromMessageId) {
    Statement s(db_,
                "SELECT e.id, e.source, e.chat_id, e.message_id, e.edit_date, e.conversation, e.role, e.update_row, e.date, e.recorded, "
                "u.raw, u.bot FROM chat_entry e JOIN chat_update u ON u.id = e.update_row "
                "WHERE e.conversation = ?1 AND (?2 = 0 OR e.recorded = 0) AND e.message_id >= ?3 "
                "ORDER BY CASE WHEN e.edit_date = 0 THEN e.date ELSE e.edit_date END, e.id");
    s.bind(1, conversation).bind(2, static_cast<std::int64_t>(unrecordedOnly)).bind(3, fromMessageId);
    std::vector<ChatEntryRow> out;
    while (s.step()) {
        ChatEntryRow r;
        r.id = s.int64(0);
        r.source = s.text(1);
        r.chat_id = s.int64(2);
        r.message_id = s.int64(3);
        r.edit_date = s.int64(4);
        r.conversation = s.int64(5);
        r.role = s.text(6);
        r.update_row = s.int64(7);
        r.date = s.int64(8);
        r.recorded = s.int64(9) != 0;
        r.raw = s.text(10);
        r.bot = s.text(11);
        out.push_back(std::move(r));
    }
    return out;
}

void ChatStore::markRecorded(const std::vector<std::int64_t>& ids) {
    Statement s(db_, "UPDATE chat_entry SET recorded = 1 WHERE id = ?");
    for (auto id : ids) {
        s.bind(1, id).run();
        s.reset();
    }
}

std::optional<ChatFileRow> ChatStore::file(const std::string& source, const std::string& fileUniqueId) {
    Statement s(db_, "SELECT status, sha256, size, detail FROM chat_file WHERE source = ? AND file_unique_id = ?");
    s.bind(1, source).bind(2, fileUniqueId);
    if (!s.step()) return std::nullopt;
    return ChatFileRow{source, fileUniqueId, s.text(0), s.text(1), s.int64(2), s.text(3)};
}

void ChatStore::putFile(const ChatFileRow& r) {
    Statement(db_, "INSERT OR REPLACE INTO chat_file (source, file_unique_id, status, sha256, size, detail) VALUES (?,?,?,?,?,?)")
        .bind(1, r.source).bind(2, r.file_unique_id).bind(3, r.status).bind(4, r.sha256).bind(5, r.size).bind(6, r.detail).run();
}

bool ChatStore::enqueue(const ChatOutboxMessage& m, std::int64_t now) {
    Statement s(db_,
                "INSERT OR IGNORE INTO chat_outbox (source, chat_id, thread_key, reply_to, ticket, conversation, kind, dedupe, text, "
                "agent_address, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, m.source).bind(2, m.chat_id).bind(3, m.thread_key).bind(4, m.reply_to);
    bindNullableId(s, 5, m.ticket);
    bindNullableId(s, 6, m.conversation);
    s.bind(7, m.kind).bind(8, m.dedupe).bind(9, m.text).bind(10, m.agent_address).bind(11, now).run();
    return db_.changes() > 0;
}

std::vector<ChatOutboxRow> ChatStore::due(std::int64_t now, int limit) {
    Statement s(db_, std::string("SELECT ") + kOutboxColumns +
                         " FROM chat_outbox WHERE state IN ('queued','deferred') AND next_attempt_at <= ? ORDER BY id LIMIT ?");
    s.bind(1, now).bind(2, static_cast<std::int64_t>(limit));
    std::vector<ChatOutboxRow> out;
    while (s.step()) out.push_back(readOutbox(s));
    return out;
}

std::vector<ChatOutboxRow> ChatStore::listOutbox(const std::string& state) {
    Statement s(db_, std::string("SELECT ") + kOutboxColumns + " FROM chat_outbox WHERE ?1 = '' OR state = ?1 ORDER BY id");
    s.bind(1, state);
    std::vector<ChatOutboxRow> out;
    while (s.step()) out.push_back(readOutbox(s));
    return out;
}

void ChatStore::markSent(std::int64_t id, std::int64_t messageId, std::int64_t now) {
    Statement(db_, "UPDATE chat_outbox SET state = 'sent', sent_message_id = ?, sent_at = ?, attempts = attempts + 1, last_error = NULL "
                   "WHERE id = ?")
        .bind(1, messageId).bind(2, now).bind(3, id).run();
}

void ChatStore::defer(std::int64_t id, const std::string& error, std::int64_t retryAt) {
    Statement(db_, "UPDATE chat_outbox SET state = 'deferred', last_error = ?, next_attempt_at = ?, attempts = attempts + 1 WHERE id = ?")
        .bind(1, error).bind(2, retryAt).bind(3, id).run();
}

void ChatStore::postpone(std::int64_t id, const std::string& error, std::int64_t retryAt) {
    Statement(db_, "UPDATE chat_outbox SET state = 'deferred', last_error = ?, next_attempt_at = ? WHERE id = ?")
        .bind(1, error).bind(2, retryAt).bind(3, id).run();
}

void ChatStore::fail(std::int64_t id, const std::string& error) {
    Statement(db_, "UPDATE chat_outbox SET state = 'failed', last_error = ?, attempts = attempts + 1 WHERE id = ?").bind(1, error).bind(2, id).run();
}

std::vector<ChatOutboxRow> ChatStore::pendingParts(const std::string& dedupe) {
    auto hash = dedupe.rfind('#');
    if (hash == std::string::npos) return {};
    Statement s(db_, std::string("SELECT ") + kOutboxColumns +
                         " FROM chat_outbox WHERE substr(dedupe, 1, ?1) = ?2 AND dedupe != ?3 AND state IN ('queued','deferred') ORDER BY id");
    s.bind(1, static_cast<std::int64_t>(hash + 1)).bind(2, dedupe.substr(0, hash + 1)).bind(3, dedupe);
    std::vector<ChatOutboxRow> out;
    while (s.step()) out.push_back(readOutbox(s));
    return out;
}

void ChatStore::retarget(std::int64_t id, std::int64_t chatId) {
    Statement(db_, "UPDATE chat_outbox SET chat_id = ? WHERE id = ?").bind(1, chatId).bind(2, id).run();
}

bool ChatStore::recordAlert(std::int64_t conversation, std::int64_t since, int level, std::int64_t now) {
    Statement(db_, "INSERT OR IGNORE INTO chat_alert (conversation, since, level, sent_at) VALUES (?,?,?,?)")
        .bind(1, conversation).bind(2, since).bind(3, static_cast<std::int64_t>(level)).bind(4, now).run();
    return db_.changes() > 0;
}

}  // namespace postdesk::store
