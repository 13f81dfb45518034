#include "gateway/store/db.h"

#include <sqlite3.h>
#include <time.h>

#include <chrono>

namespace postdesk::store {
namespace {

constexpr auto kBusyTimeout = std::chrono::seconds(5);

// Waits for another connection's write lock, up to kBusyTimeout. SQLite's own busy handler sleeps
// 1, 2, 5, 10 … 100 ms between tries; with intake and ingest taking turns on the write lock every
// few milliseconds the waiter overslept by up to tens of ms each turn (0.57 s of a 4.7 s ingest
// benchmark). This one retries every 250 µs for the first 50 ms, then every 2 ms.
int busyWait(void* start, int count) {
    auto& since = *static_cast<std::chrono::steady_clock::time_point*>(start);
    auto now = std::chrono::steady_clock::now();
    if (count == 0) since = now;
    auto waited = now - since;
    if (waited >= kBusyTimeout) return 0;  // SQLITE_BUSY for the caller (temporary)
    timespec pause{0, waited < std::chrono::milliseconds(50) ? 250'000 : 2'000'000};
    nanosleep(&pause, nullptr);
    return 1;
}

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
    throw DbError(rc, std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

}  // namespace

bool DbError::temporary() const {
    int primary = code_ & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

Db::Db(const std::string& path) : path_(path) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw DbError(rc, "cannot open " + path + ": " + msg);
    }
    sqlite3_busy_handler(db_, busyWait, &busySince_);
    // Mail is stored as blobs of ~10 KB-5 MB: 16 KiB pages quarter the overflow-page chain
    // per blob (only takes effect when the file is created), and a 64 MiB WAL between
    // checkpoints lets a whole intake batch go to the log before it is copied into the db.
    exec("PRAGMA page_size=16384");
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA wal_autocheckpoint=4096");
    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA foreign_keys=ON");
}

Db::~Db() {
    for (auto& [sql, stmts] : cache_)
        for (sqlite3_stmt* s : stmts) sqlite3_finalize(s);
    sqlite3_close_v2(db_);
}

Db::Prepared Db::acquire(std::string_view sql) {
    const std::string* key = nullptr;
    {
        std::lock_guard lock(cacheMutex_);
        auto it = cache_.find(sql);
        if (it == cache_.end() && cache_.size() < kMaxCachedSql) it = cache_.emplace(std::string(sql), std::vector<sqlite3_stmt*>{}).first;
        if (it != cache_.end()) {
            key = &it->first;  // node-based map: the key stays where it is
            if (!it->second.empty()) {
                sqlite3_stmt* s = it->second.back();
                it->second.pop_back();
                return {s, key};
            }
        }
    }
    sqlite3_stmt* s = nullptr;
    unsigned flags = key ? SQLITE_PREPARE_PERSISTENT : 0;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &s, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc, "prepare");
    return {s, key};
}

void Db::release(const Prepared& p) {
    // reset ends any read the statement still holds, as finalize would; its error code repeats
    // the last step's, already reported.
    sqlite3_reset(p.stmt);
    sqlite3_clear_bindings(p.stmt);
    if (p.sql) {
        std::lock_guard lock(cacheMutex_);
        auto it = cache_.find(*p.sql);
        if (it != cache_.end()) {
            it->second.push_back(p.stmt);
            return;
        }
    }
    sqlite3_finalize(p.stmt);
}

void Db::exec(std::string_view sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw DbError(rc, msg);
    }
}

std::optional<std::string> Db::readBlob(const char* table, const char* column, std::int64_t rowid) {
    sqlite3_blob* blob = nullptr;
    int rc = sqlite3_blob_open(db_, "main", table, column, rowid, 0, &blob);
    if (rc != SQLITE_OK) {
        std::string msg = sqlite3_errmsg(db_);
        sqlite3_blob_close(blob);
        if (rc == SQLITE_ERROR && msg.starts_with("no such rowid")) return std::nullopt;
        throw DbError(rc, "blob open: " + msg);
    }
    std::string out(static_cast<std::size_t>(sqlite3_blob_bytes(blob)), '\0');
    rc = sqlite3_blob_read(blob, out.data(), static_cast<int>(out.size()), 0);
    sqlite3_blob_close(blob);
    if (rc != SQLITE_OK) fail(db_, rc, "blob read");
    return out;
}

std::int64_t Db::lastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Db::changes() const { return sqlite3_changes(db_); }

Statement::Statement(Db& db, std::string_view sql) : db_(db), prepared_(db.acquire(sql)), stmt_(prepared_.stmt) {}

Statement::~Statement() { db_.release(prepared_); }

Statement& Statement::bind(int i, std::int64_t v) {
    if (int rc = sqlite3_bind_int64(stmt_, i, v); rc != SQLITE_OK) fail(db_.handle(), rc, "bind");
    return *this;
}

Statement& Statement::bind(int i, std::string_view t) {
    if (int rc = sqlite3_bind_text64(stmt_, i, t.data(), t.size(), SQLITE_TRANSIENT, SQLITE_UTF8); rc != SQLITE_OK)
        fail(db_.handle(), rc, "bind");
    return *this;
}

Statement& Statement::bindBlob(int i, std::string_view b) {
    if (int rc = sqlite3_bind_blob64(stmt_, i, b.data(), b.size(), SQLITE_TRANSIENT); rc != SQLITE_OK)
        fail(db_.handle(), rc, "bind");
    return *this;
}

Statement& Statement::bindBlobNoCopy(int i, std::string_view b) {
    if (int rc = sqlite3_bind_blob64(stmt_, i, b.data(), b.size(), SQLITE_STATIC); rc != SQLITE_OK)
        fail(db_.handle(), rc, "bind");
    return *this;
}

Statement& Statement::bindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
}

Statement& Statement::bind(int i, const std::optional<std::string>& t) { return t ? bind(i, std::string_view(*t)) : bindNull(i); }

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_.handle(), rc, "step");
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::int64(int c) const { return sqlite3_column_int64(stmt_, c); }

std::string Statement::text(int c) const {
    const void* p = sqlite3_column_blob(stmt_, c);
    int n = sqlite3_column_bytes(stmt_, c);
    return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

std::optional<std::string> Statement::optionalText(int c) const {
    if (isNull(c)) return std::nullopt;
    return text(c);
}

bool Statement::isNull(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }

Transaction::Transaction(Db& db, Durability durability) : db_(db), relaxed_(durability == Durability::ProcessCrash) {
    if (relaxed_) db_.exec("PRAGMA synchronous=NORMAL");  // per connection, only outside a transaction
    try {
        db_.exec("BEGIN IMMEDIATE");
    } catch (...) {
        restoreSync();
        throw;
    }
}

Transaction::~Transaction() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {  // a failed rollback leaves SQLite to roll back on close
        }
        restoreSync();
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
    restoreSync();
}

void Transaction::restoreSync() {
    if (!relaxed_) return;
    relaxed_ = false;
    try {
        db_.exec("PRAGMA synchronous=FULL");
    } catch (...) {  // cannot fail outside a transaction short of a broken connection
    }
}

}  // namespace postdesk::store
