#include "feed/json_out.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "feed/parse.h"

namespace ww::feed {
namespace {

TEST(FeedToJson, FollowsTheParseContract) {
    const auto feed = parse(R"(<rss version="2.0"><channel><title>T</title><ttl>5</ttl>
      <item><title>A</title><guid>g1</guid><pubDate>Mon, 02 Jan 2006 15:04:05 GMT</pubDate>
      <enclosure url="http://x.example/a.mp3" type="audio/mpeg" length="7"/></item>
      </channel></rss>)", {});
    ASSERT_TRUE(feed);
    const auto j = nlohmann::json::parse(feed_to_json(*feed));
    for (const auto* key : {"format", "version", "bozo", "bozo_reason", "encoding", "title", "link",
                            "description", "language", "updated", "ttl_seconds", "items"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["format"], "rss");
    EXPECT_EQ(j["ttl_seconds"], 300);
    ASSERT_EQ(j["items"].size(), 1u);
    const auto& item = j["items"][0];
    EXPECT_EQ(item["key"], "guid:g1");
    EXPECT_EQ(item["published"], "2006-01-02T15:04:05Z");
    EXPECT_EQ(item["enclosures"][0]["length"], 7);
    EXPECT_FALSE(item.contains("summary"));  // empty strings are omitted
}

}  // namespace
}  // namespace ww::feed
