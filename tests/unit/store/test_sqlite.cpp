#include "store/sqlite.h"

#include <gtest/gtest.h>

namespace ww::store::sql {
namespace {

Database memory() {
    auto db = Database::open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!db) throw std::runtime_error(db.error().message);
    return std::move(*db);
}

std::int64_t count(Database& db) {
    auto s = db.prepare("SELECT count(*) FROM t");
    (void)s->step();
    return s->column_int(0);
}

TEST(Sqlite, ATransactionRollsBackUnlessCommitted) {
    auto db = memory();
    ASSERT_TRUE(db.exec("CREATE TABLE t (v TEXT)"));
    {
        auto tx = Transaction::begin(db);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(db.exec("INSERT INTO t VALUES ('lost')"));
    }
    EXPECT_EQ(count(db), 0);
    {
        auto tx = Transaction::begin(db);
        ASSERT_TRUE(db.exec("INSERT INTO t VALUES ('kept')"));
        ASSERT_TRUE(tx->commit());
    }
    EXPECT_EQ(count(db), 1);
}

TEST(Sqlite, StatementsBindRunAndReset) {
    auto db = memory();
    ASSERT_TRUE(db.exec("CREATE TABLE t (v TEXT, n INTEGER)"));
    auto insert = db.prepare("INSERT INTO t VALUES (?1, ?2)");
    ASSERT_TRUE(insert);
    for (int i = 0; i < 3; ++i) {
        std::string text = "v" + std::to_string(i);  // gone before the step: bound by copy
        insert->bind(1, std::string_view(text)).bind(2, std::optional<std::int64_t>{});
        text.assign("xx");
        ASSERT_TRUE(insert->run());
    }
    auto select = db.prepare("SELECT v, n FROM t ORDER BY v");
    ASSERT_TRUE(*select->step());
    EXPECT_EQ(select->column_text(0), "v0");
    EXPECT_FALSE(select->column_optional_int(1));
    EXPECT_TRUE(select->column_is_null(1));
}

TEST(Sqlite, ErrorsNameTheModuleAndTheStatement) {
    auto db = memory();
    auto bad = db.prepare("SELECT nope FROM nowhere");
    ASSERT_FALSE(bad);
    EXPECT_TRUE(bad.error().message.starts_with("store: prepare SELECT nope FROM nowhere"))
        << bad.error().message;
    auto exec = db.exec("NOT SQL");
    ASSERT_FALSE(exec);
    EXPECT_TRUE(exec.error().message.starts_with("store: ")) << exec.error().message;
    auto missing = Database::open("/nonexistent-dir/x.db", SQLITE_OPEN_READWRITE);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("/nonexistent-dir/x.db"), std::string::npos);
}

TEST(Sqlite, OwnersMove) {
    auto db = memory();
    Database other = std::move(db);
    EXPECT_EQ(db.get(), nullptr);
    EXPECT_TRUE(other.exec("CREATE TABLE t (v TEXT)"));
    auto s = other.prepare("SELECT 1");
    Statement moved = std::move(*s);
    EXPECT_FALSE(s->valid());
    EXPECT_TRUE(moved.valid());
}

}  // namespace
}  // namespace ww::store::sql
