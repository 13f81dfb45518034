// postdesk::store — the durable state: inbound queue, IMAP cursors, tickets, messages,
// attachments, events. One SQLite file (WAL, synchronous=FULL), the raw mails' spool (spool.h)
// and a content-addressed attachment directory beside it.
//
// Guarantees: opening creates or migrates the schema (schema.sql) idempotently; every write that
// belongs together is one transaction (callers hold a Transaction); attachment bytes are written
// and fsynced before the transaction that references them commits, and every commit of this
// connection first syncs the spool (a commit hook), so a crash leaves at worst an unreferenced
// file or spool bytes, never a dangling reference. Fails by throwing DbError (db.h) or
// std::system_error for file I/O; the stage loops catch both.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gateway/store/db.h"
#include "gateway/store/raw_handoff.h"
#include "gateway/store/spool.h"

namespace postdesk::store {

class Store {
public:
    // `dbPath` e.g. "var/postdesk.db"; attachments go to "<dir of dbPath>/attachments".
    explicit Store(const std::string& dbPath);
    ~Store();

    Db& db() { return *db_; }
    Spool& spool() { return *spool_; }  // "<dir of dbPath>/spool"
    // Shared by the Stores of one process's intake and ingest threads (raw_handoff.h); none by default.
    void setHandoff(std::shared_ptr<RawHandoff> handoff) { handoff_ = std::move(handoff); }
    RawHandoff* handoff() const { return handoff_.get(); }
    const std::filesystem::path& dataDir() const { return dataDir_; }

    // Writes `bytes` to attachments/ab/<sha256> unless present (atomically, by rename). The
    // file is durable only after syncAttachments(): call it before committing the transaction
    // that references the file.
    void putAttachment(const std::string& sha256, std::string_view bytes);
    // Makes every attachment written since the last call durable (one syncfs for a whole ingest
    // batch instead of two fsyncs per file: group commit, as a database does for its log).
    void syncAttachments();
    std::filesystem::path attachmentPath(const std::string& sha256) const;

private:
    std::filesystem::path newAttachmentPath(const std::string& sha256) const;  // attachments/ab/<sha256>
    std::unique_ptr<Spool> spool_;  // before db_: the commit hook uses it while db_ lives
    std::unique_ptr<Db> db_;
    std::filesystem::path dataDir_;
    std::shared_ptr<RawHandoff> handoff_;
    std::vector<int> unsyncedFiles_;  // open attachment files written since the last sync (the last 256); none: nothing to sync
};

}  // namespace postdesk::store
