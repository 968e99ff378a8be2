#include "feed/identify.h"

#include <gtest/gtest.h>

#include <vector>

namespace ww::feed {
namespace {

Item item(std::string guid, std::string link, std::string title = "t") {
    Item i;
    i.guid = std::move(guid);
    i.link = std::move(link);
    i.title = std::move(title);
    return i;
}

struct ModeCase {
    const char* name;
    std::vector<Item> items;
    IdentityMode mode;
};

class IdentityModeTable : public testing::TestWithParam<ModeCase> {};

TEST_P(IdentityModeTable, Decides) {
    EXPECT_EQ(identity_mode(GetParam().items), GetParam().mode);
}

INSTANTIATE_TEST_SUITE_P(
    Table, IdentityModeTable,
    testing::Values(
        ModeCase{"unique_guids", {item("a", "http://x/1"), item("b", "http://x/2")}, IdentityMode::guid},
        ModeCase{"repeated_guid", {item("a", "http://x/1"), item("a", "http://x/2")}, IdentityMode::link},
        ModeCase{"all_empty", {item("", "http://x/1"), item("", "http://x/2")}, IdentityMode::link},
        ModeCase{"one_missing", {item("a", "http://x/1"), item("", "http://x/2")}, IdentityMode::guid},
        ModeCase{"no_items", {}, IdentityMode::guid}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ItemKey, PrefersGuidThenLinkThenHash) {
    EXPECT_EQ(item_key(item("urn:1", "http://x/1"), IdentityMode::guid), "guid:urn:1");
    EXPECT_EQ(item_key(item("urn:1", "http://x/1"), IdentityMode::link), "link:http://x/1");
    EXPECT_EQ(item_key(item("", "HTTP://Example.COM:80/a/./b"), IdentityMode::guid),
              "link:http://example.com/a/b");
    const auto hashed = item_key(item("", "", "Title"), IdentityMode::guid);
    EXPECT_TRUE(hashed.starts_with("hash:")) << hashed;
    EXPECT_EQ(hashed.size(), 5u + 16u);
}

TEST(ItemKey, HashSeparatesTitleAndContent) {
    Item a = item("", "", "ab");
    a.content = "c";
    Item b = item("", "", "a");
    b.content = "bc";
    EXPECT_NE(item_key(a, IdentityMode::guid), item_key(b, IdentityMode::guid));
}

TEST(ItemKey, HashIsStableAcrossRuns) {
    // Keys are stored: this value must never change.
    Item a = item("", "", "Title");
    a.content = "Body";
    // FNV-1a 64 of "Title" 0x1F "Body", computed independently.
    EXPECT_EQ(item_key(a, IdentityMode::guid), "hash:a07b1a5588ad70e6");
}

TEST(ItemKey, LongGuidIsHashed) {
    const auto key = item_key(item(std::string(600, 'g'), ""), IdentityMode::guid);
    EXPECT_TRUE(key.starts_with("guid#"));
    EXPECT_LT(key.size(), 30u);
}

TEST(AssignKeys, DegradesWholeFeedOnRepeatedGuids) {
    std::vector<Item> items{item("same", "http://x/1"), item("same", "http://x/2")};
    assign_keys(items);
    EXPECT_EQ(items[0].key, "link:http://x/1");
    EXPECT_EQ(items[1].key, "link:http://x/2");
}

}  // namespace
}  // namespace ww::feed
