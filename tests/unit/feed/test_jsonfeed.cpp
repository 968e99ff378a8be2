#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "core/time.h"
#include "feed/parse.h"

namespace ww::feed {
namespace {

TEST(JsonFeed, ReadsVersion11) {
    std::ifstream in(std::string(WW_FIXTURES_DIR) + "/feed/jsonfeed_world.json", std::ios::binary);
    const std::string body{std::istreambuf_iterator<char>(in), {}};
    const auto feed = parse(body, {.content_type = "application/feed+json"});
    ASSERT_TRUE(feed) << feed.error().message;
    EXPECT_EQ(feed->format, "json");
    EXPECT_EQ(feed->version, "1.1");
    EXPECT_EQ(feed->language, "es");
    ASSERT_EQ(feed->items.size(), 1u);
    const auto& item = feed->items[0];
    EXPECT_EQ(item.key, "guid:j1");
    EXPECT_EQ(item.content, "Texto completo.");
    EXPECT_EQ(item.authors, std::vector<std::string>{"Ana"});
    EXPECT_EQ(item.categories, std::vector<std::string>{"comercio"});
    ASSERT_EQ(item.enclosures.size(), 1u);
    EXPECT_EQ(item.enclosures[0].length, 100u);
    EXPECT_EQ(item.language, "es");
    ASSERT_TRUE(item.published);
    EXPECT_EQ(format_rfc3339(*item.published), "2026-11-27T05:00:00Z");
}

TEST(JsonFeed, Version10AuthorAndNumericId) {
    const auto feed = parse(R"({"version":"https://jsonfeed.org/version/1","title":"T",
      "author":{"name":"Old"},"items":[{"id":42,"content_text":"hi  there"}]})", {});
    ASSERT_TRUE(feed);
    ASSERT_EQ(feed->items.size(), 1u);
    EXPECT_EQ(feed->items[0].guid, "42");
    EXPECT_EQ(feed->items[0].content, "hi there");
    EXPECT_EQ(feed->items[0].authors, std::vector<std::string>{"Old"});
}

TEST(JsonFeed, OtherJsonIsNotAFeed) {
    const auto r = parse(R"({"hello": "world"})", {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, "not_a_feed");
}

TEST(JsonFeed, DeepNestingIsRefused) {
    const auto r = parse(std::string(100000, '[') , {});
    ASSERT_FALSE(r);
}

}  // namespace
}  // namespace ww::feed
