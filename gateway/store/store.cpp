#include "gateway/store/store.h"

#include <sqlite3.h>

#include <utility>

#include "gateway/store/schema_sql.h"
#include "gateway/util/files.h"

namespace postdesk::store {
namespace {

// SQLite's commit hook: runs inside every COMMIT of the connection, before the commit happens; a
// non-zero return turns the commit into a rollback (SQLITE_CONSTRAINT_COMMITHOOK, a DbError for the
// caller). The rows being committed may point into the spool: its bytes go to the disk first.
int syncSpoolBeforeCommit(void* spool) {
    try {
        static_cast<Spool*>(spool)->sync();
        return 0;
    } catch (...) {  // nothing may escape into SQLite; the commit fails instead
        return 1;
    }
}

// Schema version 1 kept raw mails as blobs in inbound_raw; 2 adds the spool columns. Rows of a
// version-1 store keep their blobs and are read from there (inbound_queue.cpp). Version 3 adds
// attachment_data (a new table: schema.sql creates it).
void migrate(Db& db) {
    Statement version(db, "PRAGMA user_version");
    version.step();
    std::int64_t v = version.int64(0);
    version.reset();
    if (v == 1) {
        db.exec("ALTER TABLE inbound ADD COLUMN spool TEXT");
        db.exec("ALTER TABLE inbound ADD COLUMN spool_offset INTEGER");
    }
}

}  // namespace

Store::Store(const std::string& dbPath) {
    std::filesystem::path p(dbPath);
    dataDir_ = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
    std::filesystem::create_directories(dataDir_);
    spool_ = std::make_unique<Spool>(dataDir_ / "spool");
    attachmentFiles_ = std::filesystem::is_directory(dataDir_ / "attachments");
    db_ = std::make_unique<Db>(dbPath);
    {
        Transaction tx(*db_);
        migrate(*db_);
        db_->exec(kSchemaSql);
        tx.commit();
    }
    sqlite3_commit_hook(db_->handle(), syncSpoolBeforeCommit, spool_.get());
}

Store::~Store() {
    if (db_) sqlite3_commit_hook(db_->handle(), nullptr, nullptr);
}

std::optional<std::filesystem::path> Store::attachmentFile(const std::string& sha256) const {
    if (!attachmentFiles_ || sha256.size() < 4) return std::nullopt;
    std::filesystem::path dir = dataDir_ / "attachments" / sha256.substr(0, 2);
    for (const auto& path : {dir / sha256, dir / sha256.substr(2, 2) / sha256})
        if (std::filesystem::exists(path)) return path;
    return std::nullopt;
}

bool Store::storedAttachment(const std::string& sha256) {
    if (unindexed_.contains(sha256)) return true;
    Statement q(*db_, "SELECT 1 FROM attachment_data WHERE sha256 = ?");
    q.bind(1, sha256);
    return q.step() || attachmentFile(sha256);
}

void Store::putAttachment(const std::string& sha256, std::string_view bytes) {
    if (storedAttachment(sha256)) return;
    unindexed_.emplace(sha256, spool_->append(bytes));
}

// The index rows commit with relaxed durability (no WAL sync of their own): the transaction that
// references them commits with a sync, and the WAL is one sequential log, so that sync makes them
// durable too. Lost with a power cut before it, they leave only unreferenced spool bytes. What
// fails here is forgotten, not retried with the next batch: its bytes are put again when the
// mail that has them is.
void Store::syncAttachments() {
    if (unindexed_.empty()) return;
    auto batch = std::exchange(unindexed_, {});
    spool_->sync();
    Transaction tx(*db_, Durability::ProcessCrash);
    for (const auto& [sha256, at] : batch) {
        Statement insert(*db_, "INSERT OR IGNORE INTO attachment_data (sha256, spool, spool_offset, size) VALUES (?, ?, ?, ?)");
        insert.bind(1, sha256);
        insert.bind(2, at.segment);
        insert.bind(3, at.offset);
        insert.bind(4, at.size);
        insert.run();
    }
    tx.commit();
}

std::optional<std::string> Store::readAttachment(const std::string& sha256) {
    Statement q(*db_, "SELECT spool, spool_offset, size FROM attachment_data WHERE sha256 = ?");
    q.bind(1, sha256);
    if (q.step()) return spool_->read({q.text(0), q.int64(1), q.int64(2)});
    if (auto file = attachmentFile(sha256)) return readWholeFile(*file);
    return std::nullopt;
}

}  // namespace postdesk::store
