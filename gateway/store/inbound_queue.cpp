#include "gateway/store/inbound_queue.h"

namespace postdesk::store {
namespace {

constexpr const char* kRowColumns =
    "id, account, folder, queue, state, COALESCE(reason,''), COALESCE(last_error,''), dedupe_key, "
    "COALESCE(uid,0), COALESCE(uidvalidity,0), size, attempts, received_at, source";

InboundRow readRow(const Statement& s) {
    InboundRow r;
    r.id = s.int64(0);
    r.account = s.text(1);
    r.folder = s.text(2);
    r.queue = s.text(3);
    r.state = s.text(4);
    r.reason = s.text(5);
    r.last_error = s.text(6);
    r.dedupe_key = s.text(7);
    r.uid = s.int64(8);
    r.uidvalidity = s.int64(9);
    r.size = s.int64(10);
    r.attempts = s.int64(11);
    r.received_at = s.int64(12);
    r.source = s.text(13);
    return r;
}

// The two columns where the raw bytes are, after kRowColumns.
constexpr const char* kRawColumns = ", COALESCE(spool,''), COALESCE(spool_offset,0)";
constexpr int kSpoolColumn = 14;

// Where `row`'s bytes are (kRawColumns of `s`); an empty segment: a version-1 blob.
SpoolRef spoolRefOf(const Statement& s, const InboundRow& row) { return {s.text(kSpoolColumn), s.int64(kSpoolColumn + 1), row.size}; }

}  // namespace

std::string InboundQueue::rawOf(const InboundRow& row, const SpoolRef& where) {
    if (handoff_)
        if (std::optional<std::string> bytes = handoff_->take(row.id)) return std::move(*bytes);
    if (where.segment.empty()) return db_.readBlob("inbound_raw", "raw", row.id).value_or(std::string());
    return spool_.read(where);
}

std::optional<std::int64_t> InboundQueue::add(const InboundMail& m, std::int64_t now) {
    if (!m.uid && hasDedupeKey(m.account, m.folder, m.dedupe_key)) return std::nullopt;
    // The bytes first (synced by the commit hook before the row can commit), then the row: one
    // statement, so the row and its reference come together or not at all.
    SpoolRef ref = m.spooled ? *m.spooled : spool_.append(m.raw);
    Statement s(db_,
                "INSERT INTO inbound (source, account, folder, uidvalidity, uid, dedupe_key, size, queue, received_at, spool, spool_offset) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
    s.bind(1, m.source).bind(2, m.account).bind(3, m.folder);
    m.uidvalidity ? s.bind(4, *m.uidvalidity) : s.bindNull(4);
    m.uid ? s.bind(5, *m.uid) : s.bindNull(5);
    s.bind(6, m.dedupe_key).bind(7, ref.size).bind(8, m.queue).bind(9, now).bind(10, ref.segment).bind(11, ref.offset);
    s.run();
    if (db_.changes() == 0) return std::nullopt;  // a duplicate: its spooled bytes stay unreferenced
    return db_.lastInsertId();
}

bool InboundQueue::hasDedupeKey(const std::string& account, const std::string& folder, const std::string& key) {
    Statement s(db_, "SELECT 1 FROM inbound WHERE account=? AND folder=? AND dedupe_key=? LIMIT 1");
    s.bind(1, account).bind(2, folder).bind(3, key);
    return s.step();
}

std::optional<Cursor> InboundQueue::cursor(const std::string& account, const std::string& folder) {
    Statement s(db_, "SELECT uidvalidity, last_uid FROM cursor WHERE account=? AND folder=?");
    s.bind(1, account).bind(2, folder);
    if (!s.step()) return std::nullopt;
    return Cursor{s.int64(0), s.int64(1)};
}

void InboundQueue::setCursor(const std::string& account, const std::string& folder, const Cursor& c) {
    Statement s(db_,
                "INSERT INTO cursor (account, folder, uidvalidity, last_uid) VALUES (?,?,?,?) "
                "ON CONFLICT (account, folder) DO UPDATE SET uidvalidity=excluded.uidvalidity, last_uid=excluded.last_uid");
    s.bind(1, account).bind(2, folder).bind(3, c.uidvalidity).bind(4, c.last_uid).run();
}

std::vector<InboundRow> InboundQueue::pendingServerActions(const std::string& account, const std::string& folder,
                                                           std::int64_t uidvalidity) {
    Statement s(db_, std::string("SELECT ") + kRowColumns +
                         " FROM inbound WHERE account=? AND folder=? AND uidvalidity=? AND source='imap' AND server_done=0 ORDER BY uid");
    s.bind(1, account).bind(2, folder).bind(3, uidvalidity);
    std::vector<InboundRow> rows;
    while (s.step()) rows.push_back(readRow(s));
    return rows;
}

void InboundQueue::markServerDone(std::int64_t id) {
    Statement(db_, "UPDATE inbound SET server_done=1 WHERE id=?").bind(1, id).run();
}

std::optional<InboundRow> InboundQueue::claim(std::int64_t now) {
    Statement pick(db_, std::string("SELECT ") + kRowColumns + kRawColumns +
                            " FROM inbound WHERE state IN ('received','deferred') AND next_attempt_at <= ? ORDER BY id LIMIT 1");
    pick.bind(1, now);
    if (!pick.step()) return std::nullopt;
    InboundRow row = readRow(pick);
    row.raw = rawOf(row, spoolRefOf(pick, row));
    pick.reset();  // end the read first: a read snapshot cannot be upgraded once another writer committed (SQLITE_BUSY_SNAPSHOT)
    Statement take(db_, "UPDATE inbound SET state='active' WHERE id=? AND state IN ('received','deferred')");
    take.bind(1, row.id).run();
    if (db_.changes() == 0) return std::nullopt;  // another worker was quicker
    row.state = "active";
    return row;
}

// The bytes are read after the claim has committed: a read from the disk (a miss of the hand-off)
// must not hold the write lock intake waits for. A failed read puts the batch back, as a rollback
// of the claim would.
std::vector<InboundRow> InboundQueue::claimBatch(std::int64_t now, int maxRows, std::int64_t maxBytes) {
    std::vector<InboundRow> rows;
    std::vector<SpoolRef> where;
    claimRows(now, maxRows, maxBytes, rows, where);
    try {
        for (std::size_t i = 0; i < rows.size(); ++i) rows[i].raw = rawOf(rows[i], where[i]);
    } catch (...) {
        Transaction tx(db_, Durability::ProcessCrash);
        for (const auto& row : rows) Statement(db_, "UPDATE inbound SET state='received' WHERE id=? AND state='active'").bind(1, row.id).run();
        tx.commit();
        throw;
    }
    return rows;
}

void InboundQueue::claimRows(std::int64_t now, int maxRows, std::int64_t maxBytes, std::vector<InboundRow>& rows,
                             std::vector<SpoolRef>& where) {
    Transaction tx(db_, Durability::ProcessCrash);  // a lost claim is only a row back in `received`
    Statement pick(db_, "SELECT id, size FROM inbound WHERE state IN ('received','deferred') AND next_attempt_at <= ? "
                        "ORDER BY id LIMIT ?");
    pick.bind(1, now).bind(2, static_cast<std::int64_t>(maxRows));
    std::vector<std::int64_t> ids;
    std::int64_t bytes = 0;
    while (pick.step()) {
        if (!ids.empty() && bytes + pick.int64(1) > maxBytes) break;
        ids.push_back(pick.int64(0));
        bytes += pick.int64(1);
    }
    pick.reset();
    Statement take(db_, "UPDATE inbound SET state='active' WHERE id=?");
    Statement load(db_, std::string("SELECT ") + kRowColumns + kRawColumns + " FROM inbound WHERE id=?");
    for (auto id : ids) {
        take.reset();
        take.bind(1, id).run();
        load.reset();
        load.bind(1, id);
        if (!load.step()) continue;
        InboundRow row = readRow(load);
        row.state = "active";
        where.push_back(spoolRefOf(load, row));
        rows.push_back(std::move(row));
    }
    tx.commit();
}

void InboundQueue::markDone(std::int64_t id, std::optional<std::int64_t> message) {
    Statement s(db_, "UPDATE inbound SET state='done', message=?, last_error=NULL WHERE id=?");
    message ? s.bind(1, *message) : s.bindNull(1);
    s.bind(2, id).run();
}

void InboundQueue::defer(std::int64_t id, const std::string& error, std::int64_t retryAt) {
    Statement(db_, "UPDATE inbound SET state='deferred', attempts=attempts+1, last_error=?, next_attempt_at=? WHERE id=?")
        .bind(1, error).bind(2, retryAt).bind(3, id).run();
}

void InboundQueue::quarantine(std::int64_t id, const std::string& reason, const std::string& detail) {
    Statement(db_, "UPDATE inbound SET state='quarantined', reason=?, last_error=? WHERE id=?")
        .bind(1, reason).bind(2, detail).bind(3, id).run();
}

void InboundQueue::requeue(std::int64_t id) {
    Statement(db_, "UPDATE inbound SET state='received', attempts=0, next_attempt_at=0, reason=NULL WHERE id=? AND state='quarantined'")
        .bind(1, id).run();
}

int InboundQueue::recoverActive() {
    db_.exec("UPDATE inbound SET state='received' WHERE state='active'");
    return db_.changes();
}

std::vector<InboundRow> InboundQueue::list(const std::string& state, int limit) {
    Statement s(db_, std::string("SELECT ") + kRowColumns + " FROM inbound WHERE state=? ORDER BY id LIMIT ?");
    s.bind(1, state).bind(2, static_cast<std::int64_t>(limit));
    std::vector<InboundRow> rows;
    while (s.step()) rows.push_back(readRow(s));
    return rows;
}

std::optional<InboundRow> InboundQueue::get(std::int64_t id) {
    Statement s(db_, std::string("SELECT ") + kRowColumns + kRawColumns + " FROM inbound WHERE id=?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    InboundRow row = readRow(s);
    row.raw = rawOf(row, spoolRefOf(s, row));
    return row;
}

std::int64_t InboundQueue::count(const std::string& state) {
    Statement s(db_, "SELECT COUNT(*) FROM inbound WHERE state=?");
    s.bind(1, state);
    s.step();
    return s.int64(0);
}

}  // namespace postdesk::store
