// postdesk::store — the durable state: inbound queue, IMAP cursors, tickets, messages,
// attachments, events. One SQLite file (WAL, synchronous=FULL) and the spool (spool.h) beside it,
// which holds the raw mails and the attachments' bytes.
//
// Guarantees: opening creates or migrates the schema (schema.sql) idempotently; every write that
// belongs together is one transaction (callers hold a Transaction); every commit of this
// connection first syncs the spool (a commit hook), so a crash leaves at worst unreferenced spool
// bytes, never a dangling reference. Fails by throwing DbError (db.h) or std::system_error for
// file I/O; the stage loops catch both.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gateway/store/db.h"
#include "gateway/store/raw_handoff.h"
#include "gateway/store/spool.h"

namespace postdesk::store {

class Store {
public:
    // `dbPath` e.g. "var/postdesk.db"; the spool goes to "<dir of dbPath>/spool".
    explicit Store(const std::string& dbPath);
    ~Store();

    Db& db() { return *db_; }
    Spool& spool() { return *spool_; }  // "<dir of dbPath>/spool"
    // Shared by the Stores of one process's intake and ingest threads (raw_handoff.h); none by default.
    void setHandoff(std::shared_ptr<RawHandoff> handoff) { handoff_ = std::move(handoff); }
    RawHandoff* handoff() const { return handoff_.get(); }
    const std::filesystem::path& dataDir() const { return dataDir_; }

    // Attachments are content-addressed: kept once per SHA-256 (hex), found by it. Their bytes
    // go to this Store's spool segments like raw mails (one sequential stream past the page
    // cache, one fdatasync per batch): a file per attachment cost an inode, a rename, page-cache
    // growth and a syncfs that flushed every other writer on the file system too.
    // putAttachment() appends `bytes` unless these bytes are stored already; syncAttachments()
    // makes every put since the last call durable and findable: call it before the transaction
    // that references them (outside it: it commits the index rows itself).
    void putAttachment(const std::string& sha256, std::string_view bytes);
    void syncAttachments();
    // The bytes, or nullopt when none are stored under `sha256`. Stores written before the spool
    // kept a file per attachment (attachments/ab/<sha256> or attachments/ab/cd/<sha256>): read
    // from there.
    std::optional<std::string> readAttachment(const std::string& sha256);

private:
    std::optional<std::filesystem::path> attachmentFile(const std::string& sha256) const;  // of an older store
    bool storedAttachment(const std::string& sha256);
    std::unique_ptr<Spool> spool_;  // before db_: the commit hook uses it while db_ lives
    std::unique_ptr<Db> db_;
    std::filesystem::path dataDir_;
    std::shared_ptr<RawHandoff> handoff_;
    bool attachmentFiles_ = false;  // attachments/ exists: an older store's files may be there
    std::unordered_map<std::string, SpoolRef> unindexed_;  // put since the last syncAttachments()
};

}  // namespace postdesk::store
