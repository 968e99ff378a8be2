#include <gtest/gtest.h>

#include "core/time.h"
#include "feed/parse.h"

namespace ww::feed {
namespace {

constexpr std::string_view kRss = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"
     xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
  <title>World &amp; Politics</title>
  <link>https://news.example.org/world</link>
  <description><![CDATA[Reports from <b>everywhere</b>]]></description>
  <language>en-gb</language>
  <lastBuildDate>Fri, 27 Nov 2026 09:00:00 GMT</lastBuildDate>
  <ttl>15</ttl>
  <atom:link rel="self" href="https://news.example.org/world.rss"/>
  <atom:link rel="hub" href="https://hub.example.org/"/>
  <skipHours><hour>1</hour><hour>2</hour></skipHours>
  <skipDays><day>Sunday</day></skipDays>
  <item>
    <title>Ministers meet in Geneva</title>
    <link>https://news.example.org/world/1</link>
    <guid isPermaLink="false">story-1</guid>
    <pubDate>Fri, 27 Nov 2026 08:30:00 +0100</pubDate>
    <description>&lt;p&gt;Talks on &lt;b&gt;trade&lt;/b&gt; resumed.&lt;/p&gt;&lt;p&gt;More soon.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>Full text &eacute;t&eacute;.</p><script>x()</script>]]></content:encoded>
    <dc:creator>Ana Lima</dc:creator>
    <author>desk@example.org (World Desk)</author>
    <category>Diplomacy</category>
    <dc:subject>Trade</dc:subject>
    <enclosure url="/audio/1.mp3" type="audio/mpeg" length="1234"/>
    <media:content url="https://cdn.example.org/1.jpg" type="image/jpeg"/>
  </item>
  <item>
    <title>Second story</title>
    <guid>https://news.example.org/world/2</guid>
    <dc:date>2026-11-27T07:00:00Z</dc:date>
  </item>
</channel>
</rss>)";

TEST(Rss, ReadsChannel) {
    const auto feed = parse(kRss, {.url = "https://news.example.org/world.rss"});
    ASSERT_TRUE(feed) << feed.error().message;
    EXPECT_EQ(feed->format, "rss");
    EXPECT_EQ(feed->version, "2.0");
    EXPECT_FALSE(feed->bozo) << feed->bozo_reason;
    EXPECT_EQ(feed->title, "World & Politics");
    EXPECT_EQ(feed->link, "https://news.example.org/world");
    EXPECT_EQ(feed->description, "Reports from everywhere");
    EXPECT_EQ(feed->language, "en-gb");
    ASSERT_TRUE(feed->updated);
    EXPECT_EQ(format_rfc3339(*feed->updated), "2026-11-27T09:00:00Z");
    EXPECT_EQ(feed->hints.ttl_seconds, 15 * 60);
    EXPECT_EQ(feed->hints.self_url, "https://news.example.org/world.rss");
    EXPECT_EQ(feed->hints.hubs, std::vector<std::string>{"https://hub.example.org/"});
    EXPECT_EQ(feed->hints.skip_hours, (std::vector<int>{1, 2}));
    EXPECT_EQ(feed->hints.skip_days, std::vector<std::string>{"Sunday"});
}

TEST(Rss, ReadsItems) {
    const auto feed = parse(kRss, {.url = "https://news.example.org/world.rss"});
    ASSERT_TRUE(feed);
    ASSERT_EQ(feed->items.size(), 2u);
    const auto& a = feed->items[0];
    EXPECT_EQ(a.key, "guid:story-1");
    EXPECT_EQ(a.guid, "story-1");
    EXPECT_EQ(a.title, "Ministers meet in Geneva");
    EXPECT_EQ(a.link, "https://news.example.org/world/1");
    ASSERT_TRUE(a.published);
    EXPECT_EQ(format_rfc3339(*a.published), "2026-11-27T07:30:00Z");
    EXPECT_EQ(a.summary, "Talks on trade resumed.\nMore soon.");
    EXPECT_EQ(a.content, "Full text \u00e9t\u00e9.");
    EXPECT_EQ(a.authors, (std::vector<std::string>{"Ana Lima", "World Desk"}));
    EXPECT_EQ(a.categories, (std::vector<std::string>{"Diplomacy", "Trade"}));
    ASSERT_EQ(a.enclosures.size(), 2u);
    EXPECT_EQ(a.enclosures[0].url, "https://news.example.org/audio/1.mp3");
    EXPECT_EQ(a.enclosures[0].length, 1234u);
    EXPECT_EQ(a.language, "en-gb");
    const auto& b = feed->items[1];
    EXPECT_EQ(b.link, "https://news.example.org/world/2");  // permalink guid
    ASSERT_TRUE(b.published);
    EXPECT_EQ(format_rfc3339(*b.published), "2026-11-27T07:00:00Z");
}

TEST(Rss, SyndicationPeriodBecomesTtl) {
    const auto feed = parse(R"(<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
      <channel><title>t</title><sy:updatePeriod>hourly</sy:updatePeriod>
      <sy:updateFrequency>2</sy:updateFrequency></channel></rss>)", {});
    ASSERT_TRUE(feed);
    EXPECT_EQ(feed->hints.ttl_seconds, 1800);
}

TEST(Rss, UnparseableDateIsAbsentAndCounted) {
    const auto feed = parse(R"(<rss version="2.0"><channel><title>t</title>
      <item><title>a</title><pubDate>not a date</pubDate></item></channel></rss>)", {});
    ASSERT_TRUE(feed);
    ASSERT_EQ(feed->items.size(), 1u);
    EXPECT_FALSE(feed->items[0].published);
    EXPECT_EQ(feed->bad_dates, 1u);
}

TEST(Rss, ItemLanguageFromXmlLang) {
    const auto feed = parse(R"(<rss version="2.0"><channel><language>en</language>
      <item xml:lang="fr"><title>Bonjour</title></item><item><title>Hi</title></item>
      </channel></rss>)", {});
    ASSERT_TRUE(feed);
    ASSERT_EQ(feed->items.size(), 2u);
    EXPECT_EQ(feed->items[0].language, "fr");
    EXPECT_EQ(feed->items[1].language, "en");
}

TEST(Rss, RelativeLinksUseChannelLinkWithoutUrl) {
    const auto feed = parse(R"(<rss version="2.0"><channel><link>http://a.example/news/</link>
      <item><link>story/1</link></item></channel></rss>)", {});
    ASSERT_TRUE(feed);
    EXPECT_EQ(feed->items.at(0).link, "http://a.example/news/story/1");
}

}  // namespace
}  // namespace ww::feed
