#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"

// Thin move-only owners of sqlite3* and sqlite3_stmt*, private to the store module: nothing
// outside daemon/store sees SQLite.
namespace ww::store::sql {

class Statement;

class Database {
public:
    static Result<Database> open(const std::filesystem::path& file, int flags);
    Database() = default;
    Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    // Runs one or more statements that return no rows we need.
    Result<void> exec(std::string_view sql_text);
    Result<Statement> prepare(std::string_view sql_text);
    std::int64_t changes() const { return sqlite3_changes64(db_); }
    std::string error_message() const { return db_ ? sqlite3_errmsg(db_) : "no database"; }
    sqlite3* get() const { return db_; }

private:
    explicit Database(sqlite3* db) : db_(db) {}
    sqlite3* db_ = nullptr;
};

class Statement {
public:
    Statement() = default;
    Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    bool valid() const { return stmt_ != nullptr; }

    // Binding is 1-based as in SQLite; text is copied (SQLITE_TRANSIENT) because callers
    // pass views of temporaries.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, std::optional<std::int64_t> value);
    Statement& bind_null(int index);

    // SQLITE_ROW -> true, SQLITE_DONE -> false, anything else an error.
    Result<bool> step();
    // Steps to completion, then resets so the cached statement can run again.
    Result<void> run();
    void reset();

    std::int64_t column_int(int index) const { return sqlite3_column_int64(stmt_, index); }
    std::optional<std::int64_t> column_optional_int(int index) const;
    std::string column_text(int index) const;
    bool column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

private:
    friend class Database;
    explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
    sqlite3_stmt* stmt_ = nullptr;
};

// Rolls back unless committed: an early return on error leaves the database untouched.
class Transaction {
public:
    static Result<Transaction> begin(Database& db);
    Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    ~Transaction();
    Result<void> commit();

private:
    explicit Transaction(Database* db) : db_(db) {}
    Database* db_ = nullptr;
};

}  // namespace ww::store::sql
