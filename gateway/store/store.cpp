#include "gateway/store/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include <atomic>
#include <system_error>

#include "gateway/store/schema_sql.h"
#include "gateway/util/files.h"

namespace postdesk::store {
namespace {

// syncfs(2): flushes the file system holding `dir` — data, inodes and directory entries of every
// file written since, in one call.
void syncFileSystem(const std::filesystem::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + dir.string());
    int rc = ::syncfs(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) throw std::system_error(err, std::generic_category(), "syncfs " + dir.string());
}

std::atomic<unsigned> tmpSequence{0};  // two threads storing the same attachment use two temp files

// Returns the file, still open: syncAttachments() drops its pages from the cache once it is on disk.
int writeFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
    std::filesystem::path tmp = path;
    tmp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(tmpSequence.fetch_add(1));
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "create " + tmp.string());
    try {
        writeAll(fd, bytes, tmp.string());
        std::filesystem::rename(tmp, path);  // atomic: a reader sees the whole file or none
    } catch (...) {
        ::close(fd);
        throw;
    }
    return fd;
}

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
// version-1 store keep their blobs and are read from there (inbound_queue.cpp).
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
    for (int fd : unsyncedFiles_) ::close(fd);
}

// One level of 256 directories (git's layout): two levels made 65,536 directories, and creating
// them was 6% of the ingest benchmark's CPU time. Files of a store written with two levels are
// still found there.
std::filesystem::path Store::newAttachmentPath(const std::string& sha256) const {
    return dataDir_ / "attachments" / sha256.substr(0, 2) / sha256;
}

std::filesystem::path Store::attachmentPath(const std::string& sha256) const {
    std::filesystem::path path = newAttachmentPath(sha256);
    if (std::filesystem::exists(path)) return path;
    std::filesystem::path old = dataDir_ / "attachments" / sha256.substr(0, 2) / sha256.substr(2, 2) / sha256;
    return std::filesystem::exists(old) ? old : path;
}

void Store::putAttachment(const std::string& sha256, std::string_view bytes) {
    std::error_code missing;
    if (std::filesystem::file_size(attachmentPath(sha256), missing) == bytes.size() && !missing) return;
    std::filesystem::path path = newAttachmentPath(sha256);
    std::filesystem::create_directories(path.parent_path());
    int fd = writeFileAtomically(path, bytes);
    if (unsyncedFiles_.size() >= 256) {  // a bound on open files; such a file just stays cached
        ::close(unsyncedFiles_.front());
        unsyncedFiles_.erase(unsyncedFiles_.begin());
    }
    unsyncedFiles_.push_back(fd);
}

// After the sync the written files' pages are clean and are dropped from the page cache: the next
// batch's files then reuse those pages instead of growing the cache into memory the VM has to
// hand out fresh (~10x the cost of a copy here; the spool avoids the cache altogether, spool.h).
// An attachment is read rarely and soon enough from the disk.
void Store::syncAttachments() {
    if (unsyncedFiles_.empty()) return;
    syncFileSystem(dataDir_);
    for (int fd : unsyncedFiles_) {
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        ::close(fd);
    }
    unsyncedFiles_.clear();
}

}  // namespace postdesk::store
