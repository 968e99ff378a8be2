#include "publish/cursor_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "outbox.h"

namespace ww::publish {
namespace {

TEST(CursorFile, AbsentMeansFresh) {
    testing::TempDir dir;
    auto r = read_cursor_file(dir.path() / "state.json");
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->has_value());
}

TEST(CursorFile, RoundTripsAndLeavesNoTemporary) {
    testing::TempDir dir;
    const auto file = dir.path() / "state.json";
    ASSERT_TRUE(write_cursor_file(file, {41, 1234}));
    ASSERT_TRUE(write_cursor_file(file, {42, std::nullopt}));
    auto r = read_cursor_file(file);
    ASSERT_TRUE(r && *r);
    EXPECT_EQ((*r)->seq, 42);
    EXPECT_FALSE((*r)->output_bytes);
    EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
    ASSERT_TRUE(write_cursor_file(file, {43, 99}));
    EXPECT_EQ((*read_cursor_file(file))->output_bytes, 99);
}

TEST(CursorFile, GarbageIsAnErrorNamingTheFile) {
    testing::TempDir dir;
    const auto file = dir.path() / "state.json";
    for (const char* text : {"", "{", "{\"seq\":-1}", "{\"seq\":\"3\"}", "[1]"}) {
        std::ofstream(file) << text;
        auto r = read_cursor_file(file);
        ASSERT_FALSE(r) << text;
        EXPECT_NE(r.error().message.find(file.string()), std::string::npos);
    }
}

TEST(CursorFile, AnUnwritableDirectoryFails) {
    EXPECT_FALSE(write_cursor_file("/nonexistent-dir/state.json", {1, std::nullopt}));
}

}  // namespace
}  // namespace ww::publish
