#include "gateway/store/outbox.h"

namespace postdesk::store {
namespace {

constexpr const char* kColumns =
    "id, ticket, kind, message_id, mail_from, recipients, bytes, mailbox, state, attempts, next_attempt_at, "
    "COALESCE(last_error,''), sent_copy, created_at, COALESCE(sent_at,0)";

std::string joinRecipients(const std::vector<std::string>& r) {
    std::string out;
    for (const auto& a : r) out += (out.empty() ? "" : ",") + a;
    return out;
}

std::vector<std::string> splitRecipients(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < s.size()) {
        std::size_t comma = s.find(',', start);
        if (comma == std::string::npos) comma = s.size();
        if (comma > start) out.push_back(s.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

OutboxRow readRow(const Statement& s) {
    OutboxRow r;
    r.id = s.int64(0);
    if (!s.isNull(1)) r.ticket = s.int64(1);
    r.kind = s.text(2);
    r.message_id = s.text(3);
    r.mail_from = s.text(4);
    r.recipients = splitRecipients(s.text(5));
    r.bytes = s.text(6);
    r.mailbox = s.text(7);
    r.state = s.text(8);
    r.attempts = s.int64(9);
    r.next_attempt_at = s.int64(10);
    r.last_error = s.text(11);
    r.sent_copy = s.int64(12) != 0;
    r.created_at = s.int64(13);
    r.sent_at = s.int64(14);
    return r;
}

}  // namespace

std::int64_t Outbox::enqueue(const OutboxMail& m, std::int64_t now) {
    Statement s(db_,
                "INSERT INTO outbox (ticket, kind, message_id, mail_from, recipients, bytes, mailbox, created_at) "
                "VALUES (?,?,?,?,?,?,?,?)");
    m.ticket ? s.bind(1, *m.ticket) : s.bindNull(1);
    s.bind(2, m.kind).bind(3, m.message_id).bind(4, m.mail_from).bind(5, joinRecipients(m.recipients));
    s.bindBlob(6, m.bytes).bind(7, m.mailbox).bind(8, now).run();
    return db_.lastInsertId();
}

std::optional<OutboxRow> Outbox::claim(std::int64_t now, std::int64_t afterId) {
    Statement pick(db_, std::string("SELECT ") + kColumns +
                            " FROM outbox WHERE state IN ('queued','deferred') AND next_attempt_at <= ? AND id > ? ORDER BY id LIMIT 1");
    pick.bind(1, now).bind(2, afterId);
    if (!pick.step()) return std::nullopt;
    OutboxRow row = readRow(pick);
    pick.reset();  // end the read first: a read snapshot cannot be upgraded once another writer committed (SQLITE_BUSY_SNAPSHOT)
    Statement take(db_, "UPDATE outbox SET state='active' WHERE id=? AND state IN ('queued','deferred')");
    take.bind(1, row.id).run();
    if (db_.changes() == 0) return std::nullopt;
    row.state = "active";
    return row;
}

void Outbox::markSent(std::int64_t id, std::int64_t now) {
    Statement(db_, "UPDATE outbox SET state='sent', sent_at=?, last_error=NULL WHERE id=?").bind(1, now).bind(2, id).run();
}

void Outbox::markCopied(std::int64_t id) { Statement(db_, "UPDATE outbox SET sent_copy=1 WHERE id=?").bind(1, id).run(); }

void Outbox::defer(std::int64_t id, const std::string& error, std::int64_t retryAt) {
    Statement(db_, "UPDATE outbox SET state='deferred', attempts=attempts+1, last_error=?, next_attempt_at=? WHERE id=?")
        .bind(1, error).bind(2, retryAt).bind(3, id).run();
}

void Outbox::fail(std::int64_t id, const std::string& error) {
    Statement(db_, "UPDATE outbox SET state='failed', attempts=attempts+1, last_error=? WHERE id=?").bind(1, error).bind(2, id).run();
}

int Outbox::recoverActive() {
    db_.exec("UPDATE outbox SET state='queued' WHERE state='active'");
    return db_.changes();
}

std::vector<OutboxRow> Outbox::list(const std::string& state, int limit) {
    Statement s(db_, std::string("SELECT ") + kColumns + " FROM outbox WHERE (?1='' OR state=?1) ORDER BY id LIMIT ?2");
    s.bind(1, state).bind(2, static_cast<std::int64_t>(limit));
    std::vector<OutboxRow> rows;
    while (s.step()) rows.push_back(readRow(s));
    return rows;
}

std::vector<OutboxRow> Outbox::sentWithoutCopy(int limit) {
    Statement s(db_, std::string("SELECT ") + kColumns +
                         " FROM outbox WHERE state='sent' AND sent_copy=0 AND mailbox<>'' ORDER BY id LIMIT ?");
    s.bind(1, static_cast<std::int64_t>(limit));
    std::vector<OutboxRow> rows;
    while (s.step()) rows.push_back(readRow(s));
    return rows;
}

std::int64_t Outbox::count(const std::string& state) {
    Statement s(db_, "SELECT COUNT(*) FROM outbox WHERE state=?");
    s.bind(1, state);
    s.step();
    return s.int64(0);
}

int Outbox::acksTo(const std::string& recipient, std::int64_t since) {
    Statement s(db_, "SELECT COUNT(*) FROM outbox WHERE kind='ack' AND recipients=? AND created_at>=? AND state<>'failed'");
    s.bind(1, recipient).bind(2, since);
    s.step();
    return static_cast<int>(s.int64(0));
}

}  // namespace postdesk::store
