#include "store/sqlite.h"

#include <utility>

namespace ww::store::sql {

namespace {

// The kinds an operator acts on differently: a full disk or a read-only directory is fixed
// outside wirewatch, a corrupt file needs a restore, a busy lock is transient.
std::string kind_of(int primary_code) {
    switch (primary_code) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return "store_busy";
        case SQLITE_FULL: return "disk_full";
        case SQLITE_READONLY: return "store_readonly";
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB: return "store_corrupt";
        case SQLITE_IOERR: return "store_io";
        case SQLITE_CANTOPEN: return "store_open";
        default: return "store";
    }
}

Error sqlite_error(sqlite3* db, std::string_view what) {
    // Extended result codes are on: the primary code is the low byte.
    const int code = (db ? sqlite3_errcode(db) : SQLITE_ERROR) & 0xff;
    return Error{kind_of(code), "store: " + std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "")};
}

}  // namespace

Result<Database> Database::open(const std::filesystem::path& file, int flags) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
    Database db(raw);  // owns the handle even when open failed (sqlite3 allocates it anyway)
    if (rc != SQLITE_OK) {
        return fail(kind_of(rc & 0xff), "store: cannot open " + file.string() + ": " +
                                 (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(raw, 1);
    return db;
}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (db_) sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
}

Database::~Database() {
    if (db_) sqlite3_close_v2(db_);
}

Result<void> Database::exec(std::string_view sql_text) {
    char* message = nullptr;
    const std::string text(sql_text);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string reason = message ? message : sqlite3_errmsg(db_);
        sqlite3_free(message);
        Error e = sqlite_error(db_, "exec");
        e.message = "store: " + reason + " (in: " + text.substr(0, 60) + ")";
        return std::unexpected(std::move(e));
    }
    return {};
}

Result<Statement> Database::prepare(std::string_view sql_text) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql_text.data(), int(sql_text.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK) {
        return std::unexpected(sqlite_error(db_, "prepare " + std::string(sql_text.substr(0, 60))));
    }
    return Statement(stmt);
}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (stmt_) sqlite3_finalize(stmt_);
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

Statement::~Statement() {
    if (stmt_) sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}

Statement& Statement::bind(int index, std::optional<std::int64_t> value) {
    return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
}

Result<bool> Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3* db = sqlite3_db_handle(stmt_);
    Error e = sqlite_error(db, "step");
    sqlite3_reset(stmt_);
    return std::unexpected(std::move(e));
}

Result<void> Statement::run() {
    for (;;) {
        auto row = step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
    }
    reset();
    return {};
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::optional<std::int64_t> Statement::column_optional_int(int index) const {
    if (column_is_null(index)) return std::nullopt;
    return column_int(index);
}

std::string Statement::column_text(int index) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
    if (!text) return {};
    return std::string(text, std::size_t(sqlite3_column_bytes(stmt_, index)));
}

Result<Transaction> Transaction::begin(Database& db) {
    // IMMEDIATE takes the write lock now, so a busy database fails here (after the busy
    // timeout) rather than half-way through the work.
    if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return std::unexpected(r.error());
    return Transaction(&db);
}

Transaction::~Transaction() {
    if (db_) (void)db_->exec("ROLLBACK");
}

Result<void> Transaction::commit() {
    auto r = db_->exec("COMMIT");
    if (r) db_ = nullptr;
    return r;
}

}  // namespace ww::store::sql
