// postdesk::store — a thin RAII layer over SQLite3: Db owns a connection, Statement a prepared
// statement, Transaction a BEGIN IMMEDIATE … COMMIT that rolls back unless committed.
//
// Every connection runs in WAL mode with synchronous=FULL and foreign keys on, so a committed
// transaction survives a process kill or power loss. Errors throw DbError carrying the SQLite
// result code; SQLITE_BUSY/LOCKED are `temporary()` (the caller defers and retries). Exceptions
// never leave the gateway: each stage loop catches them (STYLE.md §4).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

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
    std::int64_t lastInsertId() const;
    int changes() const;
    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }

private:
    sqlite3* db_ = nullptr;
    std::string path_;
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
    sqlite3_stmt* stmt_ = nullptr;
};

class Transaction {
public:
    explicit Transaction(Db& db);  // BEGIN IMMEDIATE: the write lock is taken up front
    ~Transaction();                // ROLLBACK unless committed
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Db& db_;
    bool done_ = false;
};

}  // namespace postdesk::store
