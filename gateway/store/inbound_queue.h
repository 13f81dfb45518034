// postdesk::store — the inbound queue (Postfix's incoming/active/deferred/corrupt directories as
// rows, the raw bytes in the spool) and the IMAP cursors that feed it.
//
// Guarantees: add() is idempotent on (account, folder, uidvalidity, uid) and, for non-IMAP
// sources, on (account, dedupe_key); a row commits only with its raw bytes synced to the spool
// (Store's commit hook); claim() moves one due row to `active` with a guarded UPDATE, so two
// workers never take the same row; recoverActive() at start-up returns rows a killed process left
// `active` to `received`. Throws DbError (db.h), or std::system_error when the spool cannot be
// written or read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/store/db.h"
#include "gateway/store/spool.h"
#include "gateway/store/store.h"

namespace postdesk::store {

struct InboundMail {
    std::string source = "imap";  // imap | import | chat
    std::string account;
    std::string folder;
    std::optional<std::int64_t> uidvalidity;
    std::optional<std::int64_t> uid;
    std::string dedupe_key;
    std::string raw;
    std::string queue;
    // Where `raw` already is when the caller spooled it ahead of the transaction (intake does, so
    // the write lock is not held while megabytes go to the disk); add() spools it otherwise.
    std::optional<SpoolRef> spooled;
};

struct InboundRow {
    std::int64_t id = 0;
    std::string source;  // imap | import | chat
    std::string account, folder, queue, state, reason, last_error, dedupe_key;
    std::int64_t uid = 0, uidvalidity = 0, size = 0, attempts = 0, received_at = 0;
    std::string raw;  // only filled by claim() and get()
};

struct Cursor {
    std::int64_t uidvalidity = 0;
    std::int64_t last_uid = 0;
};

class InboundQueue {
public:
    explicit InboundQueue(Store& store) : db_(store.db()), spool_(store.spool()), handoff_(store.handoff()) {}

    // Inserts unless already present; returns the row id, or nullopt when it was a duplicate.
    std::optional<std::int64_t> add(const InboundMail& mail, std::int64_t now);
    bool hasDedupeKey(const std::string& account, const std::string& folder, const std::string& key);

    std::optional<Cursor> cursor(const std::string& account, const std::string& folder);
    void setCursor(const std::string& account, const std::string& folder, const Cursor& cursor);

    // IMAP rows committed but not yet moved/flagged on the server (a crash between the two).
    std::vector<InboundRow> pendingServerActions(const std::string& account, const std::string& folder,
                                                 std::int64_t uidvalidity);
    void markServerDone(std::int64_t id);

    std::optional<InboundRow> claim(std::int64_t now);  // oldest due received/deferred row -> active
    // Up to `maxRows` due rows (oldest first) whose raw sizes add up to at most `maxBytes` (at
    // least one row), claimed in one transaction.
    std::vector<InboundRow> claimBatch(std::int64_t now, int maxRows, std::int64_t maxBytes);
    void markDone(std::int64_t id, std::optional<std::int64_t> message);
    void defer(std::int64_t id, const std::string& error, std::int64_t retryAt);
    void quarantine(std::int64_t id, const std::string& reason, const std::string& detail);
    void requeue(std::int64_t id);  // quarantined -> received, attempts reset (reprocess)
    int recoverActive();

    std::vector<InboundRow> list(const std::string& state, int limit = 1000);
    std::optional<InboundRow> get(std::int64_t id);
    std::int64_t count(const std::string& state);

private:
    // `row`'s bytes from the hand-off, else the spool, else (`where` has no segment: version 1) its blob.
    std::string rawOf(const InboundRow& row, const SpoolRef& where);
    // claimBatch's transaction: the rows, without their bytes, and where the bytes are.
    void claimRows(std::int64_t now, int maxRows, std::int64_t maxBytes, std::vector<InboundRow>& rows, std::vector<SpoolRef>& where);
    Db& db_;
    Spool& spool_;
    RawHandoff* handoff_;
};

}  // namespace postdesk::store
