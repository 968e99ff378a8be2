#include "app/web_feeds.h"

#include <gtest/gtest.h>

namespace ww::app {
namespace {

TEST(WebFeeds, PathsNameAFormatAndAWatchlist) {
    struct Case {
        std::string_view path;
        std::optional<std::string> watchlist;  // nullopt: not a feed (404)
        FeedFormat format = FeedFormat::atom;
    };
    const Case cases[] = {
        {"/feeds/alerts.atom", ""},
        {"/feeds/alerts.json", "", FeedFormat::json},
        {"/feeds/china-security.atom", "china-security"},
        {"/feeds/a%2Bb.json", "a+b", FeedFormat::json},
        {"/feeds/a+b.atom", "a+b"},  // '+' is literal in a path
        {"/feeds/x.rss", std::nullopt},
        {"/feeds/.atom", std::nullopt},
        {"/feeds/a/b.atom", std::nullopt},
        {"/feeds/%FF.atom", std::nullopt},  // not UTF-8
        {"/other/x.atom", std::nullopt},
    };
    for (const auto& c : cases) {
        const auto p = parse_feed_path(c.path);
        ASSERT_EQ(p.has_value(), c.watchlist.has_value()) << c.path;
        if (!p) continue;
        EXPECT_EQ(p->watchlist, *c.watchlist) << c.path;
        EXPECT_EQ(p->format, c.format) << c.path;
    }
}

TEST(WebFeeds, OnlyWebLinksAreLinks) {
    EXPECT_TRUE(is_web_link("https://example.org/a"));
    EXPECT_TRUE(is_web_link("HTTP://example.org/"));
    EXPECT_FALSE(is_web_link("javascript:alert(1)"));
    EXPECT_FALSE(is_web_link("data:text/html,x"));
    EXPECT_FALSE(is_web_link("https://"));
    EXPECT_FALSE(is_web_link(""));
}

store::RecordedAlert alert(std::int64_t seq, const std::string& title, const std::string& link) {
    const std::string envelope =
        R"({"v":1,"seq":)" + std::to_string(seq) + R"(,"alert_id":"id)" + std::to_string(seq) +
        R"(","detected_at":"2026-11-27T14:05:0)" + std::to_string(seq) + R"(Z","watchlist":{"name":"wl"},)"
        R"("feed":{"title":"Outlet"},"item":{"title":)" + title + R"(,"link":")" + link +
        R"(","published":"","authors":[]},"match":{"terms":["china"],"snippet":"China said"}})";
    return {seq, "alert.wl", envelope};
}

TEST(WebFeeds, AtomEscapesTextDropsControlsAndUnsafeLinks) {
    const store::RecordedAlert alerts[] = {alert(2, R"("a <b> & \u0007c")", "javascript:x"),
                                           alert(1, R"("plain")", "https://n.example/1")};
    const auto meta = feed_meta({"wl", FeedFormat::atom}, "http://127.0.0.1:9108", SysSeconds{});
    const auto xml = render_atom(alerts, meta);
    EXPECT_NE(xml.find("<title type=\"text\">a &lt;b&gt; &amp; c</title>"), std::string::npos) << xml;
    EXPECT_EQ(xml.find('\x07'), std::string::npos);
    EXPECT_EQ(xml.find("javascript"), std::string::npos);
    EXPECT_NE(xml.find("href=\"https://n.example/1\""), std::string::npos);
    EXPECT_NE(xml.find("<id>urn:wirewatch:alert:id2</id>"), std::string::npos);
    // The feed's updated is its newest entry's (the first: alerts come newest first).
    EXPECT_NE(xml.find("<updated>2026-11-27T14:05:02Z</updated>\n<link rel=\"self\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("href=\"http://127.0.0.1:9108/feeds/wl.atom\""), std::string::npos);
    EXPECT_NE(xml.find("Matched: china"), std::string::npos);
}

TEST(WebFeeds, AnEmptyFeedIsStillValid) {
    const auto meta = feed_meta({"", FeedFormat::json}, "http://h", SysSeconds{std::chrono::seconds{60}});
    EXPECT_EQ(meta.self_url, "http://h/feeds/alerts.json");
    const auto xml = render_atom({}, feed_meta({"", FeedFormat::atom}, "http://h", SysSeconds{std::chrono::seconds{60}}));
    EXPECT_NE(xml.find("<updated>1970-01-01T00:01:00Z</updated>"), std::string::npos) << xml;
    EXPECT_NE(render_json_feed({}, meta).find(R"("items":[])"), std::string::npos);
}

}  // namespace
}  // namespace ww::app
