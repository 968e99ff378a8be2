// Item::origin_link: the publisher's own address of an article when a feed names one besides
// its (often rewritten) <link>. Stories compare links by it (docs/stories.md).
#include <gtest/gtest.h>

#include "feed/parse.h"

namespace ww::feed {
namespace {

TEST(OriginLink, RssFeedburnerOrigLinkAndAtomCanonical) {
    constexpr std::string_view kRss = R"(<?xml version="1.0"?>
<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"
     xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>Wire</title><link>https://wire.example/</link>
  <item><title>Tracked</title>
    <link>https://feeds.example/~r/wire/~3/abc123/</link>
    <feedburner:origLink>https://wire.example/2026/11/talks?utm_source=feedburner</feedburner:origLink>
  </item>
  <item><title>Canonical</title>
    <link>https://m.wire.example/a/7</link>
    <atom:link rel="canonical" href="/a/7"/>
  </item>
  <item><title>Plain</title><link>https://wire.example/a/8</link></item>
</channel></rss>)";
    const auto feed = parse(kRss, {.url = "https://wire.example/feed.rss"});
    ASSERT_TRUE(feed) << feed.error().message;
    ASSERT_EQ(feed->items.size(), 3u);
    EXPECT_EQ(feed->items[0].link, "https://feeds.example/~r/wire/~3/abc123/");
    EXPECT_EQ(feed->items[0].origin_link, "https://wire.example/2026/11/talks?utm_source=feedburner");
    // Relative, resolved against the fetched URL like any link.
    EXPECT_EQ(feed->items[1].origin_link, "https://wire.example/a/7");
    EXPECT_EQ(feed->items[1].link, "https://m.wire.example/a/7");
    EXPECT_EQ(feed->items[2].origin_link, "");
}

TEST(OriginLink, AtomCanonicalLinkAndFeedburnerOrigLink) {
    constexpr std::string_view kAtom = R"(<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
  <title>Wire</title><id>urn:wire</id><updated>2026-11-27T09:00:00Z</updated>
  <entry><id>urn:1</id><title>One</title><updated>2026-11-27T09:00:00Z</updated>
    <link rel="alternate" type="text/html" href="https://feeds.example/click/1"/>
    <feedburner:origLink>https://wire.example/one</feedburner:origLink>
  </entry>
  <entry><id>urn:2</id><title>Two</title><updated>2026-11-27T09:00:00Z</updated>
    <link rel="alternate" href="https://amp.wire.example/two"/>
    <link rel="canonical" href="https://wire.example/two"/>
  </entry>
</feed>)";
    const auto feed = parse(kAtom, {});
    ASSERT_TRUE(feed) << feed.error().message;
    ASSERT_EQ(feed->items.size(), 2u);
    EXPECT_EQ(feed->items[0].link, "https://feeds.example/click/1");
    EXPECT_EQ(feed->items[0].origin_link, "https://wire.example/one");
    EXPECT_EQ(feed->items[1].link, "https://amp.wire.example/two");
    EXPECT_EQ(feed->items[1].origin_link, "https://wire.example/two");
}

}  // namespace
}  // namespace ww::feed
