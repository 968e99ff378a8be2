#include "feed/discover.h"

#include <gtest/gtest.h>

namespace ww::feed {
namespace {

TEST(FeedLinks, FindsAlternateFeedLinksResolvedAgainstThePage) {
    const std::string html = R"(<!doctype html><html><head>
<title>Harbour Gazette</title>
<LINK REL="alternate" TYPE="application/rss+xml" TITLE="All stories" HREF="/feed/">
<link rel='alternate' type='application/atom+xml' title='Ports &amp; Shipping' href='ports/atom.xml?x=1&amp;y=2'>
<link rel=alternate type=application/feed+json href=https://cdn.example.net/feed.json>
<link rel="stylesheet" type="text/css" href="/style.css">
<link rel="alternate" hreflang="de" href="/de/">
<!-- <link rel="alternate" type="application/rss+xml" href="/old.rss"> -->
<link rel="alternate" type="application/rss+xml" href="/feed/">
</head><body><a href="/feed/">RSS</a></body></html>)";
    const auto links = feed_links(html, "https://gazette.example/news/today.html");
    ASSERT_EQ(links.size(), 3u);
    EXPECT_EQ(links[0].url, "https://gazette.example/feed/");
    EXPECT_EQ(links[0].title, "All stories");
    EXPECT_EQ(links[0].type, "rss");
    EXPECT_EQ(links[1].url, "https://gazette.example/news/ports/atom.xml?x=1&y=2");
    EXPECT_EQ(links[1].title, "Ports & Shipping");
    EXPECT_EQ(links[1].type, "atom");
    EXPECT_EQ(links[2].url, "https://cdn.example.net/feed.json");
    EXPECT_EQ(links[2].type, "json");
}

TEST(FeedLinks, IgnoresWhatIsNotAFeedLink) {
    EXPECT_TRUE(feed_links("<p>no head at all</p>", "https://a.example/").empty());
    EXPECT_TRUE(feed_links("<link rel=\"alternate\" type=\"text/html\" href=\"/m\">", "https://a.example/").empty());
    EXPECT_TRUE(feed_links("<link rel=\"alternate\" type=\"application/rss+xml\">", "https://a.example/").empty());
    EXPECT_TRUE(feed_links("<linkish rel=\"alternate\" type=\"application/rss+xml\" href=\"/x\">", "https://a.example/")
                    .empty());
    // Truncated markup: the value runs to the end, and nothing is read past it (ASan checks).
    const auto truncated = feed_links("<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/x", "https://a.example/");
    ASSERT_EQ(truncated.size(), 1u);
    EXPECT_EQ(truncated[0].url, "https://a.example/x");
    EXPECT_EQ(feed_links("<link rel=\"feed alternate\" type=\"application/rss+xml; charset=utf-8\" href=\"/f\">",
                         "https://a.example/p")
                  .at(0)
                  .url,
              "https://a.example/f");
}

TEST(FeedLinks, CommonPathsStartWithTheMostUsed) {
    const auto& paths = common_feed_paths();
    ASSERT_FALSE(paths.empty());
    EXPECT_EQ(paths.front(), "/feed");
}

}  // namespace
}  // namespace ww::feed
