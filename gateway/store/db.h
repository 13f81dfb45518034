// postdesk::store — a thin RAII layer over SQLite3: Db owns a connection, Statement a prepared
// statement, Transaction a BEGIN IMMEDIATE … COMMIT that rolls back unless committed.
//
// Db keeps the statements it prepared, keyed by their SQL text: a Statement borrows one and gives
// it back reset and unbound, so the same SQL is compiled once per connection, not once per call
// (compiling was a quarter of ingest's CPU time: a dozen statements per mail).
//
// Every connection runs in WAL mode with synchronous=FULL and foreign keys on, so a committed
// transaction survives a process kill or power loss. Errors throw DbError carrying the SQLite
// result code; SQLITE_BUSY/LOCKED are `temporary()` (the caller defers and retries). Exceptions
// never leave the gateway: each stage loop catches them (STYLE.md §4).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace postdesk::store {

class DbError : public std::runtime_error {
public:
    DbError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
    int code() const { return code_; }
    bool temporary() const;

private:
    int code_;
};

class Db {
public:
    explicit Db(const std::string& path);  // creates the file (and nothing else) when missing
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void exec(std::string_view sql);
    // A blob copied once, straight from the pages into the string (sqlite3_blob_read); a
    // column_blob of a multi-megabyte value is assembled by SQLite first and then copied again.
    // nullopt when the row does not exist.
    std::optional<std::string> readBlob(const char* table, const char* column, std::int64_t rowid);
    std::int64_t lastInsertId() const;
    int changes() const;
    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }

private:
    friend class Statement;
    struct Prepared {
        sqlite3_stmt* stmt = nullptr;
        const std::string* sql = nullptr;  // the cache key it goes back under; null: not cached
    };
    Prepared acquire(std::string_view sql);  // a cached statement, or a freshly prepared one
    void release(const Prepared& p);         // resets it and keeps it (or finalizes it)

    struct SqlHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    static constexpr std::size_t kMaxCachedSql = 512;  // SQL texts are constants; this only bounds a mistake
    sqlite3* db_ = nullptr;
    std::string path_;
    std::chrono::steady_clock::time_point busySince_;  // the busy handler's current wait began
    std::mutex cacheMutex_;  // a Db may be used from more than one thread (FULLMUTEX)
    std::unordered_map<std::string, std::vector<sqlite3_stmt*>, SqlHash, std::equal_to<>> cache_;
};

class Statement {
public:
    Statement(Db& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binds by 1-based index; returns *this for chaining.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bindBlob(int index, std::string_view bytes);
    // Without SQLite's copy: `bytes` must stay valid and unchanged until this Statement is gone.
    Statement& bindBlobNoCopy(int index, std::string_view bytes);
    Statement& bindNull(int index);
    Statement& bind(int index, const std::optional<std::string>& text);

    bool step();      // true when a row is available
    void run();       // step to completion
    void reset();     // reuse with new bindings

    std::int64_t int64(int column) const;
    std::string text(int column) const;   // "" for NULL
    std::optional<std::string> optionalText(int column) const;
    bool isNull(int column) const;

private:
    Db& db_;
    Db::Prepared prepared_;
    sqlite3_stmt* stmt_ = nullptr;
};

// Full: the commit is on disk when commit() returns (synchronous=FULL: the WAL is fsynced).
// ProcessCrash: survives a kill of the process but maybe not a power loss (synchronous=NORMAL: no
// fsync); it becomes durable with the next Full commit on the file, by any connection, because
// that fsyncs the whole WAL. Only for changes that are safe to lose and redo: a claim (`active`
// goes back to `received`), a server-done mark (the move is redone).
enum class Durability { Full, ProcessCrash };

class Transaction {
public:
    // BEGIN IMMEDIATE: the write lock is taken up front.
    explicit Transaction(Db& db, Durability durability = Durability::Full);
    ~Transaction();                // ROLLBACK unless committed
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    void restoreSync();
    Db& db_;
    bool relaxed_ = false;
    bool done_ = false;
};

}  // namespace postdesk::store
