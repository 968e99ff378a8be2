// Issue 20: the classes of real feeds other parsers' suites still caught. Every fixture goes
// through both XML paths (the one-pass reader and pugixml), which must agree.
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "core/time.h"
#include "feed/json_out.h"
#include "feed/parse.h"

namespace ww::feed {
namespace {

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(WW_FIXTURES_DIR) + "/feed/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    return {std::istreambuf_iterator<char>(in), {}};
}

// Parses `body` both ways and insists on the same output.
Feed parse_both(std::string_view body, ParseOptions options = {}) {
    auto fast = parse(body, options);
    options.fast_xml = false;
    auto lenient = parse(body, options);
    EXPECT_TRUE(fast && lenient);
    if (!fast || !lenient) return {};
    EXPECT_EQ(feed_to_json(*fast), feed_to_json(*lenient));
    return *fast;
}

SysSeconds at(const char* rfc3339) { return *parse_rfc3339(rfc3339); }

TEST(LongTail, DroppedFieldsAreRead) {
    const auto feed = parse_both(fixture("rss_dropped_fields.xml"));
    EXPECT_EQ(feed.description, "Weekly talk from the harbour");
    EXPECT_EQ(feed.updated, at("2026-03-04T05:06:07Z"));
    ASSERT_EQ(feed.items.size(), 2u);
    const auto& a = feed.items[0];
    EXPECT_EQ(a.summary, "Short teaser.");  // from description, although content:encoded came first
    EXPECT_EQ(a.content, "The full transcript.");
    // "Olu Bright (olu@radio.example.net)": the name, not the address (gofeed agrees).
    EXPECT_EQ(a.authors, (std::vector<std::string>{"Mara Quist", "Olu Bright"}));
    EXPECT_EQ(a.published, at("2026-03-01T10:00:00Z"));
    EXPECT_EQ(a.updated, at("2026-03-02T11:00:00Z"));
    EXPECT_EQ(a.categories, (std::vector<std::string>{"Society & Culture", "Places & Travel"}));
    const auto& b = feed.items[1];
    EXPECT_EQ(b.summary, "Where the ferries go in winter");
    EXPECT_EQ(b.content, "Ferries rest in winter.");
}

TEST(LongTail, DublinCoreAuthorsInAtom) {
    const auto feed = parse_both(R"(<feed xmlns="http://www.w3.org/2005/Atom"
        xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
      <title>t</title><entry><id>e1</id><title>x</title>
        <dc:author>Ines Varga (ines@example.org)</dc:author><dcterms:creator>Tom Lee</dcterms:creator>
      </entry></feed>)");
    ASSERT_EQ(feed.items.size(), 1u);
    EXPECT_EQ(feed.items[0].authors, (std::vector<std::string>{"Ines Varga", "Tom Lee"}));
}

TEST(LongTail, InternalEntitiesAreExpanded) {
    const auto feed = parse_both(fixture("rss_internal_entities.xml"));
    EXPECT_EQ(feed.title, "Harbour & Quay News");
    ASSERT_EQ(feed.items.size(), 1u);
    const auto& item = feed.items[0];
    EXPECT_EQ(item.title, "Breaking ferry strike");  // markup in an entity is markup, as in XML
    EXPECT_EQ(item.guid, "tag:news.example.com,2006:1");
    EXPECT_EQ(item.link, "https://news.example.com/a?x=1&from=tag:news.example.com,");
    // Never an external entity; never inside CDATA.
    EXPECT_EQ(item.summary, "CDATA keeps &id; as written and &secret; stays");
}

TEST(LongTail, BillionLaughsStaysRefused) {
    const auto feed = parse_both(fixture("billion_laughs.xml"));
    ASSERT_EQ(feed.items.size(), 1u);
    EXPECT_EQ(feed.items[0].title, "&lol9;");
    EXPECT_TRUE(feed.bozo);
    EXPECT_NE(feed.bozo_reason.find("dtd: entities not expanded"), std::string::npos) << feed.bozo_reason;
}

TEST(LongTail, EntityCycleIsRefused) {
    const auto feed = parse_both(R"(<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "x&b;"><!ENTITY b "y&a;">]>
<rss version="2.0"><channel><title>&a;</title></channel></rss>)");
    EXPECT_EQ(feed.title, "&a;");
    EXPECT_NE(feed.bozo_reason.find("refers to itself"), std::string::npos) << feed.bozo_reason;
}

std::string rss_with_title(std::string_view declaration, std::string_view title_bytes) {
    return std::string(declaration) + "<rss version=\"2.0\"><channel><title>" + std::string(title_bytes) +
           "</title></channel></rss>";
}

TEST(LongTail, Latin1AndAsciiLabelsAreWindows1252) {
    for (const char* label : {"ISO-8859-1", "iso88591", "US-ASCII", "ansi_x3.4-1968", "cp819"}) {
        const auto decl = std::string("<?xml version=\"1.0\" encoding=\"") + label + "\"?>";
        const auto feed = parse_both(rss_with_title(decl, "\x93Quoted\x94 \x80 caf\xE9"));
        EXPECT_EQ(feed.title, "\u201cQuoted\u201d \u20ac caf\u00e9") << label;
    }
}

TEST(LongTail, StrayCp1252BytesInUtf8AreMended) {
    const auto feed = parse_both(
        rss_with_title("<?xml version=\"1.0\" encoding=\"utf-8\"?>", "don\x92t \xE2\x80\x94 caf\xC3\xA9"));
    EXPECT_EQ(feed.title, "don\u2019t \u2014 caf\u00e9");
    EXPECT_NE(feed.bozo_reason.find("read as windows-1252"), std::string::npos) << feed.bozo_reason;
}

TEST(LongTail, DoubleEncodedTitleIsRepaired) {
    const auto feed = parse_both(rss_with_title("", "It\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2s here\xC3\xA2\xE2\x82\xAC\xC2\xA6"));
    EXPECT_EQ(feed.title, "It\u2019s here\u2026");
}

TEST(LongTail, RssInUserlandNamespaceIsReadByLocalName) {
    const auto feed = parse_both(fixture("rss_userland_namespace.xml"));
    EXPECT_EQ(feed.title, "Userland Weekly");
    EXPECT_EQ(feed.link, "http://userland.example.com/");
    ASSERT_EQ(feed.items.size(), 2u);
    EXPECT_EQ(feed.items[0].title, "Scripting news");  // not other:title
    EXPECT_EQ(feed.items[0].link, "http://userland.example.com/1");
    EXPECT_EQ(feed.items[0].authors, std::vector<std::string>{"Dave Winer"});
    EXPECT_EQ(feed.items[0].summary, "Outliners again");
    EXPECT_EQ(feed.items[1].title, "Out of every namespace");
    EXPECT_EQ(feed.items[1].guid, "plain-2");
    EXPECT_TRUE(feed.bozo);
    EXPECT_NE(feed.bozo_reason.find("rss: root element in namespace http://backend.userland.com/rss2"),
              std::string::npos) << feed.bozo_reason;
    EXPECT_NE(feed.bozo_reason.find("itunes: element names in upper case"), std::string::npos);
}

TEST(LongTail, AtomInUnknownNamespaceIsReadAsAtom) {
    const auto feed = parse_both(fixture("atom_unknown_namespace.xml"));
    EXPECT_EQ(feed.title, "Draft Atom");
    EXPECT_EQ(feed.link, "http://draft.example.org/");
    ASSERT_EQ(feed.items.size(), 1u);
    EXPECT_EQ(feed.items[0].title, "An entry from 2005");
    EXPECT_EQ(feed.items[0].guid, "tag:draft.example.org,2005:1");
    EXPECT_EQ(feed.items[0].published, at("2005-04-01T12:00:00Z"));
    EXPECT_NE(feed.bozo_reason.find("atom: root element in namespace"), std::string::npos)
        << feed.bozo_reason;
}

TEST(LongTail, PlainRssIsNotFlagged) {
    const auto feed = parse_both("<rss version='2.0'><channel><title>t</title></channel></rss>");
    EXPECT_FALSE(feed.bozo) << feed.bozo_reason;
}

TEST(LongTail, RelativeLinksUseXmlBaseThenDocumentUrl) {
    const auto body = fixture("rss_relative_links.xml");
    const auto feed = parse_both(body, {.url = "https://fetched.example.org/feeds/all.rss"});
    ASSERT_EQ(feed.items.size(), 3u);
    EXPECT_EQ(feed.items[0].link, "https://fetched.example.org/feeds/story/1.html");
    ASSERT_EQ(feed.items[0].enclosures.size(), 1u);
    EXPECT_EQ(feed.items[0].enclosures[0].url, "https://fetched.example.org/media/1.mp3");
    EXPECT_EQ(feed.items[1].link, "https://items.example.org/section/2.html");
    ASSERT_EQ(feed.items[1].enclosures.size(), 1u);
    EXPECT_EQ(feed.items[1].enclosures[0].url, "https://items.example.org/audio/2.mp3");
    EXPECT_EQ(feed.items[2].link, "https://links.example.org/deep/3.html");
}

TEST(LongTail, ContentLocationIsTheDocumentUrl) {
    const auto body = fixture("rss_relative_links.xml");
    const auto feed = parse_both(body, {.url = "https://fetched.example.org/feeds/all.rss",
                                        .content_location = "/archive/2026/feed.xml"});
    ASSERT_EQ(feed.items.size(), 3u);
    EXPECT_EQ(feed.items[0].link, "https://fetched.example.org/archive/2026/story/1.html");
    EXPECT_EQ(feed.items[0].enclosures[0].url, "https://fetched.example.org/archive/media/1.mp3");
    // Without a URL at all, the channel's link is the base of last resort.
    const auto bare = parse_both(body);
    EXPECT_EQ(bare.items[0].link, "https://channel.example.org/story/1.html");
}

TEST(LongTail, EbcdicDocumentIsDecodedWithItsDeclaredCodePage) {
    // IBM500 puts [ ] | where CP037 has other characters: the declaration must be read.
    const auto feed = parse_both(fixture("rss_ebcdic_ibm500.xml"));
    EXPECT_EQ(feed.encoding, "ibm500");
    EXPECT_EQ(feed.title, "Z\u00fcrich [Bank] news | \u00a2");
    ASSERT_EQ(feed.items.size(), 1u);
    EXPECT_EQ(feed.items[0].title, "Kurse & Zinsen: [1] ab 1. M\u00e4rz");
    EXPECT_FALSE(feed.bozo) << feed.bozo_reason;
}

TEST(LongTail, MacCyrillicLabelIsDecoded) {
    const auto feed = parse_both(fixture("rss_x_mac_cyrillic.xml"));
    EXPECT_EQ(feed.title, "\u041d\u043e\u0432\u043e\u0441\u0442\u0438 \u0434\u043d\u044f");
    ASSERT_EQ(feed.items.size(), 1u);
    EXPECT_EQ(feed.items[0].title, "\u041f\u043e\u0433\u043e\u0434\u0430 \u0432 "
                                   "\u041c\u043e\u0441\u043a\u0432\u0435");
    EXPECT_FALSE(feed.bozo) << feed.bozo_reason;
}

}  // namespace
}  // namespace ww::feed
