#include <gtest/gtest.h>

#include "core/time.h"
#include "feed/parse.h"

namespace ww::feed {
namespace {

constexpr std::string_view kAtom = R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de" xml:base="https://blog.example.de/">
  <title type="text">Nachrichten</title>
  <subtitle type="html">&lt;em&gt;Aus&lt;/em&gt; aller Welt</subtitle>
  <link rel="alternate" type="text/html" href="/"/>
  <link rel="self" href="/atom.xml"/>
  <link rel="hub" href="https://pubsubhubbub.example.com/"/>
  <updated>2026-11-27T10:00:00+01:00</updated>
  <author><name>Redaktion</name></author>
  <entry>
    <id>tag:blog.example.de,2026:1</id>
    <title type="html">Handel &amp;amp; Zölle</title>
    <link href="artikel/1"/>
    <link rel="enclosure" href="https://cdn.example.de/a.mp3" type="audio/mpeg" length="99"/>
    <published>2026-11-27T09:00:00Z</published>
    <updated>2026-11-27T09:30:00Z</updated>
    <category term="Wirtschaft"/>
    <summary>Kurz gesagt.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Erster Absatz.</p><p>Zweiter.</p></div></content>
  </entry>
  <entry xml:base="https://other.example.de/x/" xml:lang="en">
    <id>tag:blog.example.de,2026:2</id>
    <title>Second</title>
    <link rel="alternate" href="two"/>
    <author><name>Eve</name></author>
    <updated>2026-11-27T08:00:00Z</updated>
  </entry>
</feed>)";

TEST(Atom, ReadsFeed) {
    const auto feed = parse(kAtom, {});
    ASSERT_TRUE(feed) << feed.error().message;
    EXPECT_EQ(feed->format, "atom");
    EXPECT_EQ(feed->version, "1.0");
    EXPECT_FALSE(feed->bozo) << feed->bozo_reason;
    EXPECT_EQ(feed->title, "Nachrichten");
    EXPECT_EQ(feed->description, "Aus aller Welt");
    EXPECT_EQ(feed->link, "https://blog.example.de/");
    EXPECT_EQ(feed->language, "de");
    EXPECT_EQ(feed->hints.self_url, "https://blog.example.de/atom.xml");
    ASSERT_EQ(feed->hints.hubs.size(), 1u);
    ASSERT_TRUE(feed->updated);
    EXPECT_EQ(format_rfc3339(*feed->updated), "2026-11-27T09:00:00Z");
}

TEST(Atom, ReadsEntries) {
    const auto feed = parse(kAtom, {});
    ASSERT_TRUE(feed);
    ASSERT_EQ(feed->items.size(), 2u);
    const auto& a = feed->items[0];
    EXPECT_EQ(a.guid, "tag:blog.example.de,2026:1");
    EXPECT_EQ(a.key, "guid:tag:blog.example.de,2026:1");
    EXPECT_EQ(a.title, "Handel & Z\u00f6lle");
    EXPECT_EQ(a.link, "https://blog.example.de/artikel/1");
    EXPECT_EQ(a.summary, "Kurz gesagt.");
    EXPECT_EQ(a.content, "Erster Absatz.\nZweiter.");
    EXPECT_EQ(a.categories, std::vector<std::string>{"Wirtschaft"});
    EXPECT_EQ(a.authors, std::vector<std::string>{"Redaktion"});  // inherited from the feed
    ASSERT_EQ(a.enclosures.size(), 1u);
    EXPECT_EQ(a.enclosures[0].length, 99u);
    ASSERT_TRUE(a.published && a.updated);
    EXPECT_EQ(format_rfc3339(*a.published), "2026-11-27T09:00:00Z");
    EXPECT_EQ(a.language, "de");
    const auto& b = feed->items[1];
    EXPECT_EQ(b.link, "https://other.example.de/x/two");  // the entry's own xml:base
    EXPECT_EQ(b.authors, std::vector<std::string>{"Eve"});
    EXPECT_EQ(b.language, "en");
    ASSERT_TRUE(b.published);  // only <updated>: it stands in for the publication date
    EXPECT_EQ(*b.published, *b.updated);
}

TEST(Atom, ReadsAtom03) {
    const auto feed = parse(R"(<feed version="0.3" xmlns="http://purl.org/atom/ns#">
      <title>Old</title><link rel="alternate" type="text/html" href="http://old.example/"/>
      <modified>2004-01-01T00:00:00Z</modified>
      <entry><id>e1</id><title>T</title><issued>2004-01-01T00:00:00Z</issued>
      <content type="text/html" mode="escaped">&lt;p&gt;Hi&lt;/p&gt;</content>
      <content type="text/plain" mode="base64">SGVsbG8=</content></entry></feed>)", {});
    ASSERT_TRUE(feed) << feed.error().message;
    EXPECT_EQ(feed->version, "0.3");
    EXPECT_EQ(feed->link, "http://old.example/");
    ASSERT_EQ(feed->items.size(), 1u);
    EXPECT_TRUE(feed->items[0].published);
    EXPECT_EQ(feed->items[0].content, "Hello");  // the last content wins
}

TEST(Atom, PrefixedAtomNamespace) {
    const auto feed = parse(R"(<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>P</a:title>
      <a:entry><a:id>1</a:id><a:title>E</a:title></a:entry></a:feed>)", {});
    ASSERT_TRUE(feed) << feed.error().message;
    EXPECT_EQ(feed->title, "P");
    ASSERT_EQ(feed->items.size(), 1u);
    EXPECT_EQ(feed->items[0].title, "E");
}

}  // namespace
}  // namespace ww::feed
