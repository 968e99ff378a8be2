#include "feed/parse.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/text.h"
#include "feed/html_text.h"

namespace ww::feed {
namespace {

TEST(Parse, HtmlPageIsNotAFeed) {
    const auto r = parse("<!DOCTYPE html><html><head><title>Oops</title></head></html>", {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, "not_a_feed");
    EXPECT_TRUE(r.error().message.starts_with("feed: ")) << r.error().message;
}

TEST(Parse, EmptyIsNotAFeed) {
    const auto r = parse("  \n", {.url = "http://x.example/f"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, "not_a_feed");
    EXPECT_NE(r.error().message.find("url=http://x.example/f"), std::string::npos);
}

TEST(Parse, UnknownRootIsNotAFeed) {
    const auto r = parse("<?xml version='1.0'?><note><to>x</to></note>", {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, "not_a_feed");
}

TEST(Parse, DetectsByContentNotContentType) {
    const auto r = parse("<feed xmlns='http://www.w3.org/2005/Atom'><title>x</title></feed>",
                         {.content_type = "text/html; charset=utf-8"});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->format, "atom");
}

TEST(Parse, TruncatedFeedKeepsItemsAndIsBozo) {
    const auto r = parse("<rss version='2.0'><channel><title>T</title><item><title>One</title>"
                         "</item><item><title>Tw", {});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->bozo);
    ASSERT_GE(r->items.size(), 1u);
    EXPECT_EQ(r->items[0].title, "One");
}

TEST(Parse, ItemsAfterABrokenItemAreSalvaged) {
    const auto r = parse("<rss version='2.0'><channel><title>T</title>"
                         "<item><title>One</title><guid>1</guid></item>"
                         "<item><title>Two</title><guid>2</guid><description>a<br>b</description></item>"
                         "<item><title>Three</title><guid>3</guid></item>"
                         "<item><title>Four</title><guid>4</guid></item></channel></rss>", {});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->bozo);
    std::vector<std::string> titles;
    for (const auto& i : r->items) titles.push_back(i.title);
    EXPECT_EQ(titles, (std::vector<std::string>{"One", "Two", "Three", "Four"})) << r->bozo_reason;
}

TEST(Parse, SalvagedItemsKeepTheirNamespaces) {
    // The salvaged items are separate documents: prefixes met there must stay resolvable (and
    // the name cache must not point into documents that are gone).
    const auto r = parse("<rss version='2.0' xmlns:dc='http://purl.org/dc/elements/1.1/'><channel>"
                         "<item><title>A</title><description>x<br>y</description></item>"
                         "<item><title>B</title><dc:creator>Bea</dc:creator></item>"
                         "<item><title>C</title><dc:creator>Cy</dc:creator><dc:subject>S</dc:subject></item>"
                         "</channel></rss>", {});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->items.size(), 3u);
    EXPECT_EQ(r->items[1].authors, std::vector<std::string>{"Bea"});
    EXPECT_EQ(r->items[2].categories, std::vector<std::string>{"S"});
}

TEST(Parse, UndefinedEntityIsDecodedAndBozo) {
    const auto r = parse("<rss version='2.0'><channel><title>Caf&eacute;&nbsp;Zeit</title>"
                         "</channel></rss>", {});
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->bozo);
    EXPECT_EQ(r->title, "Caf\u00e9 Zeit");
}

TEST(Parse, BareAmpersandIsBozo) {
    const auto r = parse("<rss version='2.0'><channel><title>AT&T news</title></channel></rss>", {});
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->bozo);
    EXPECT_EQ(r->title, "AT&T news");
}

TEST(Parse, EntitiesInsideCdataAreNotBozo) {
    const auto r = parse("<rss version='2.0'><channel><title><![CDATA[a &nbsp; & b]]></title>"
                         "</channel></rss>", {});
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->bozo) << r->bozo_reason;
}

TEST(Parse, ReferencesAreJudgedWhereverTheyFallInTheScan) {
    // The pre-scan reads 16-byte blocks and checks the five XML references from an 8-byte
    // load: every offset, near the end of the document too, must give the same verdict.
    struct Case {
        std::string_view text;
        bool bozo;
    } const cases[] = {
        {"&amp;", false}, {"&lt;", false}, {"&gt;", false}, {"&quot;", false}, {"&apos;", false},
        {"&#233;", false}, {"&#xE9;", false}, {"&ampx;", true}, {"&lt", true}, {"&amp", true},
        {"&eacute;", true}, {"& b", true}, {"&#;", true}, {"&quo;", true}, {"&apos", true},
    };
    for (const auto& c : cases) {
        for (std::size_t pad = 0; pad < 20; ++pad) {
            const std::string doc = "<rss version='2.0'><channel><title>" + std::string(pad, 'x') +
                                    std::string(c.text) + "</title></channel></rss>";
            const auto r = parse(doc, {});
            ASSERT_TRUE(r) << doc;
            EXPECT_EQ(r->bozo, c.bozo) << doc << " " << r->bozo_reason;
        }
    }
}

TEST(Parse, BillionLaughsIsHarmless) {
    std::string doc = "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY lol 'lol'>";
    for (int i = 1; i <= 9; ++i) {
        doc += "<!ENTITY lol" + std::to_string(i) + " '";
        for (int k = 0; k < 10; ++k) doc += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
        doc += "'>";
    }
    doc += "]><rss version='2.0'><channel><title>&lol9;</title></channel></rss>";
    const auto r = parse(doc, {});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_LT(r->title.size(), 16u) << "the entity must not be expanded";
}

TEST(Parse, DeepNestingIsRefused) {
    std::string doc = "<rss version='2.0'><channel>";
    for (int i = 0; i < 1000; ++i) doc += "<x>";
    const auto r = parse(doc, {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, "parse");
}

TEST(Parse, JunkBeforeRootIsRecovered) {
    const auto r = parse("Warning: something in file.php\n<?xml version='1.0'?>"
                         "<rss version='2.0'><channel><title>T</title></channel></rss>", {});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->bozo);
    EXPECT_EQ(r->title, "T");
}

TEST(Parse, MissingNamespaceDeclarationIsRecovered) {
    const auto r = parse("<rss version='2.0'><channel><item><title>x</title>"
                         "<dc:creator>Ann</dc:creator></item></channel></rss>", {});
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->bozo);
    ASSERT_EQ(r->items.size(), 1u);
    EXPECT_EQ(r->items[0].authors, std::vector<std::string>{"Ann"});
}

TEST(Parse, ItemCapIsApplied) {
    std::string doc = "<rss version='2.0'><channel>";
    for (int i = 0; i < 50; ++i) doc += "<item><guid>" + std::to_string(i) + "</guid></item>";
    doc += "</channel></rss>";
    const auto r = parse(doc, {.max_items = 10});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->items.size(), 10u);
}

// Every fixture, including the inputs the fuzzers once crashed on (tests/fixtures/feed/fuzz,
// first line = Content-Type as in fuzz_parse): parsed or refused, never a crash, and what
// comes out is valid UTF-8.
TEST(Parse, FixturesAndFuzzRegressions) {
    namespace fs = std::filesystem;
    int seen = 0;
    for (const auto& e : fs::recursive_directory_iterator(std::string(WW_FIXTURES_DIR) + "/feed")) {
        if (!e.is_regular_file()) continue;
        std::ifstream in(e.path(), std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(in), {}};
        std::string_view body = bytes, content_type;
        if (e.path().parent_path().filename() == "fuzz") {
            const auto nl = body.substr(0, 100).find('\n');
            if (nl != std::string_view::npos) {
                content_type = body.substr(0, nl);
                body.remove_prefix(nl + 1);
            }
            EXPECT_TRUE(utf8_valid(html_to_text(bytes)) || !utf8_valid(bytes)) << e.path();
        }
        const auto feed = parse(body, {.content_type = content_type});
        ++seen;
        if (!feed) continue;
        EXPECT_TRUE(utf8_valid(feed->title)) << e.path();
        for (const auto& item : feed->items) {
            EXPECT_FALSE(item.key.empty()) << e.path();
            EXPECT_TRUE(utf8_valid(item.title) && utf8_valid(item.summary) && utf8_valid(item.content))
                << e.path();
        }
    }
    EXPECT_GE(seen, 10);
}

TEST(Parse, BillionLaughsFixture) {
    std::ifstream in(std::string(WW_FIXTURES_DIR) + "/feed/billion_laughs.xml", std::ios::binary);
    const auto r = parse(std::string{std::istreambuf_iterator<char>(in), {}}, {});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->items.size(), 1u);
    EXPECT_EQ(r->items[0].title, "&lol9;");  // never expanded
}

}  // namespace
}  // namespace ww::feed
