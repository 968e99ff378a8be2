#include "sink/file_cursor_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace ww::sink {
namespace {

namespace fs = std::filesystem;

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("ww-cursor-" + std::to_string(::getpid()) + "-" +
                                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ~TempDir() { fs::remove_all(path); }
};

TEST(FileCursorStore, StartsAtZeroAndKeepsTheLastSave) {
    TempDir dir;
    auto store = FileCursorStore::open(dir.path / "nested");
    ASSERT_TRUE(store.has_value()) << store.error().message;
    EXPECT_EQ(store->load("slack").value(), 0);
    ASSERT_TRUE(store->save("slack", 41).has_value());
    ASSERT_TRUE(store->save("slack", 42).has_value());
    ASSERT_TRUE(store->save("matrix", 7).has_value());
    // A second store on the same directory (a restarted bridge) reads what the first wrote.
    auto again = FileCursorStore::open(dir.path / "nested");
    EXPECT_EQ(again->load("slack").value(), 42);
    EXPECT_EQ(again->load("matrix").value(), 7);
    EXPECT_FALSE(fs::exists(dir.path / "nested" / "slack.cursor.tmp"));
}

TEST(FileCursorStore, RecordsFailuresInOrder) {
    TempDir dir;
    auto store = FileCursorStore::open(dir.path);
    ASSERT_TRUE(store->record_failure("tg", 3, "HTTP 403: forbidden\nsecond line").has_value());
    ASSERT_TRUE(store->record_failure("tg", 9, "HTTP 400: bad").has_value());
    const auto f = store->failures("tg").value();
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0], (std::pair<std::int64_t, std::string>{3, "HTTP 403: forbidden second line"}));
    EXPECT_EQ(f[1].first, 9);
}

TEST(FileCursorStore, ACorruptCursorIsAnErrorNamingTheFile) {
    TempDir dir;
    auto store = FileCursorStore::open(dir.path);
    std::ofstream(dir.path / "x.cursor") << "garbage";
    auto r = store->load("x");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("x.cursor"), std::string::npos) << r.error().message;
}

TEST(FileCursorStore, RefusesNamesThatEscapeTheDirectory) {
    TempDir dir;
    auto store = FileCursorStore::open(dir.path);
    EXPECT_FALSE(store->save("../evil", 1).has_value());
    EXPECT_FALSE(store->load("a/b").has_value());
}

}  // namespace
}  // namespace ww::sink
