#include "feed/opml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.h"

namespace ww::feed {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(WW_OPML_FIXTURES) + "/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<OpmlFeed> read_fixture(const std::string& name) {
    auto r = read_opml(fixture(name));
    EXPECT_TRUE(r) << name << ": " << (r ? "" : r.error().message);
    return r ? *r : std::vector<OpmlFeed>{};
}

std::vector<std::string> urls_of(const std::vector<OpmlFeed>& feeds) {
    std::vector<std::string> out;
    for (const auto& f : feeds) out.push_back(f.url);
    return out;
}

// ---- The five peers' export shapes ------------------------------------------------------

TEST(OpmlPeers, MinifluxCategoriesAreTextOnlyFoldersAndNamespacedAttributesAreIgnored) {
    const auto feeds = read_fixture("miniflux.opml");
    ASSERT_EQ(feeds.size(), 3u);
    EXPECT_EQ(feeds[0].url, "https://wire.example.org/feed.xml");
    EXPECT_EQ(feeds[0].title, "Example Wire");
    EXPECT_THAT(feeds[0].tags, ElementsAre("All"));
    EXPECT_EQ(feeds[0].line, 9);
    EXPECT_THAT(feeds[1].tags, ElementsAre("Science & Tech"));
    EXPECT_EQ(feeds[2].title, "Orbit \"Daily\"");
    EXPECT_EQ(feeds[2].line, 13);
    for (const auto& f : feeds) EXPECT_EQ(problem_of(f), "") << f.url;
}

TEST(OpmlPeers, FreshRssScrapingSourcesAreReportedNotImported) {
    const auto feeds = read_fixture("freshrss.opml");
    ASSERT_EQ(feeds.size(), 3u);
    EXPECT_EQ(feeds[0].title, "City Council");  // FreshRSS writes text, no title
    EXPECT_THAT(feeds[0].tags, ElementsAre("Uncategorized"));
    EXPECT_THAT(feeds[1].tags, ElementsAre("Économie"));
    EXPECT_EQ(feeds[1].title, "Marchés");
    EXPECT_EQ(feeds[2].type, "HTML+XPath");
    EXPECT_THAT(problem_of(feeds[2]), HasSubstr("HTML+XPath"));
    EXPECT_EQ(feeds[2].line, 13);
}

TEST(OpmlPeers, NewsboatIsFlatWithTitleOnly) {
    const auto feeds = read_fixture("newsboat.opml");
    ASSERT_EQ(feeds.size(), 3u);
    EXPECT_EQ(feeds[0].title, "One");
    EXPECT_THAT(feeds[0].tags, IsEmpty());
    EXPECT_EQ(feeds[1].url, "http://two.example.org/index.atom");
    EXPECT_EQ(feeds[1].title, "Two <b>");
    EXPECT_EQ(feeds[2].title, "");
    EXPECT_EQ(problem_of(feeds[2]), "");
}

TEST(OpmlPeers, FeedlyListsAFeedOncePerFolderAndTheImportMergesItsTags) {
    const auto feeds = read_fixture("feedly.opml");
    ASSERT_EQ(feeds.size(), 4u);
    EXPECT_EQ(feeds[3].url, "http://brussels.example.eu/feed/");  // feed:// rewritten
    const auto plan = plan_import(feeds, {}, {});
    ASSERT_EQ(plan.add.size(), 3u);
    EXPECT_EQ(plan.add[0].url, "https://capitol.example.com/feed");
    EXPECT_THAT(plan.add[0].tags, ElementsAre("Politics", "Europe"));
    ASSERT_EQ(plan.duplicates.size(), 1u);
    EXPECT_EQ(plan.duplicates[0].feed.line, 13);
    EXPECT_EQ(plan.duplicates[0].reason, "repeated in the OPML (first at line 9)");
}

TEST(OpmlPeers, InoreaderNestedFoldersBecomeATagPath) {
    const auto feeds = read_fixture("inoreader.opml");
    ASSERT_EQ(feeds.size(), 3u);
    EXPECT_EQ(feeds[0].title, "Oil Desk");
    EXPECT_THAT(feeds[0].tags, ElementsAre("Markets", "Commodities"));
    EXPECT_THAT(feeds[1].tags, ElementsAre("Markets"));
    EXPECT_THAT(feeds[2].tags, IsEmpty());
}

// ---- Encodings ------------------------------------------------------------------------

TEST(OpmlEncoding, Latin1DeclarationIsDecoded) {
    const auto feeds = read_fixture("latin1.opml");
    ASSERT_EQ(feeds.size(), 1u);
    EXPECT_EQ(feeds[0].title, "Le Café du Coin");
    EXPECT_THAT(feeds[0].tags, ElementsAre("Cafés"));
    EXPECT_EQ(feeds[0].line, 6);
}

TEST(OpmlEncoding, Utf16WithBomIsDecoded) {
    const std::string utf8 =
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<opml version=\"2.0\"><body>\n"
        "<outline text=\"Ελλάδα\" xmlUrl=\"https://gr.example.org/rss\"/></body></opml>\n";
    std::string utf16 = "\xFF\xFE";
    // UTF-8 -> UTF-16LE by hand: the text above stays in the BMP.
    for (std::size_t i = 0; i < utf8.size();) {
        const auto b = static_cast<unsigned char>(utf8[i]);
        unsigned cp = b;
        std::size_t n = 1;
        if (b >= 0xE0) {
            cp = (b & 0x0Fu) << 12 | (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu) << 6 |
                 (static_cast<unsigned char>(utf8[i + 2]) & 0x3Fu);
            n = 3;
        } else if (b >= 0xC0) {
            cp = (b & 0x1Fu) << 6 | (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu);
            n = 2;
        }
        utf16 += static_cast<char>(cp & 0xFF);
        utf16 += static_cast<char>(cp >> 8);
        i += n;
    }
    auto r = read_opml(utf16);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].title, "Ελλάδα");
    EXPECT_EQ((*r)[0].line, 3);
}

// ---- Hostile input --------------------------------------------------------------------

TEST(OpmlHostile, BillionLaughsIsNotExpanded) {
    const auto feeds = read_fixture("billion_laughs.opml");
    ASSERT_EQ(feeds.size(), 1u);
    EXPECT_EQ(feeds[0].url, "https://laughs.example.org/feed");
    // Expanded, the title would be 3 GB of "lol"; unexpanded it is at most the reference.
    EXPECT_LT(feeds[0].title.size(), 16u);
    EXPECT_THAT(feeds[0].title, ::testing::Not(HasSubstr("lollol")));
}

TEST(OpmlHostile, AFeedIsNotAFeedList) {
    auto r = read_opml(fixture("not_opml.xml"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, "opml");
    EXPECT_EQ(r.error().message, "opml: the root element is <rss>, not <opml> (line 2)");
}

TEST(OpmlHostile, HtmlIsNotXml) {
    auto r = read_opml(fixture("not_xml.html"));
    ASSERT_FALSE(r);
    EXPECT_THAT(r.error().message, ::testing::StartsWith("opml: not well-formed XML at line 3"));
}

TEST(OpmlHostile, EmptyAndBodylessDocumentsFail) {
    EXPECT_FALSE(read_opml(""));
    EXPECT_FALSE(read_opml("\xFF\xFE\x00"));
    auto r = read_opml("<opml version=\"2.0\"><head/></opml>");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "opml: the document has no <body>");
    auto empty = read_opml("<opml><body/></opml>");
    ASSERT_TRUE(empty);
    EXPECT_THAT(*empty, IsEmpty());
}

TEST(OpmlHostile, OutlinesWithoutAUsableUrlAreReportedWithTheirLine) {
    const auto feeds = read_fixture("invalid_outlines.opml");
    ASSERT_EQ(feeds.size(), 7u);
    const auto plan = plan_import(feeds, {}, {});
    ASSERT_EQ(plan.add.size(), 1u);
    EXPECT_EQ(plan.add[0].url, "https://good.example.org/feed");  // trimmed, scheme lower-cased
    ASSERT_EQ(plan.invalid.size(), 6u);
    struct Want {
        int line;
        std::string reason;
    };
    const std::vector<Want> want{
        {5, "the outline has no xmlUrl"},
        {6, "the outline has no xmlUrl"},
        {7, "not an http(s) URL: gopher://hole.example.org/1/feed"},
        {8, "not an http(s) URL: /feed.xml"},
        {9, "the URL contains a space or a control character"},
        {10, "type=\"link\" links to a page or another OPML file, not to a feed"},
    };
    for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(plan.invalid[i].feed.line, want[i].line) << i;
        EXPECT_EQ(plan.invalid[i].reason, want[i].reason) << i;
    }
}

std::string many_feeds(int n) {
    std::string xml = "<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><head><title>big</title></head><body>\n";
    for (int i = 0; i < n; ++i) {
        if (i % 100 == 0) xml += "<outline text=\"folder " + std::to_string(i / 100) + "\">\n";
        xml += "<outline type=\"rss\" text=\"Feed " + std::to_string(i) + "\" xmlUrl=\"https://f" +
               std::to_string(i) + ".example.org/rss\"/>\n";
        if (i % 100 == 99) xml += "</outline>\n";
    }
    return xml + "</body></opml>\n";
}

TEST(OpmlHostile, TenThousandFeeds) {
    auto r = read_opml(many_feeds(10'000));
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 10'000u);
    EXPECT_EQ(r->back().url, "https://f9999.example.org/rss");
    EXPECT_THAT(r->back().tags, ElementsAre("folder 99"));
    EXPECT_EQ(r->back().line, 2 + 10'000 + 100 + 99);  // 100 folders opened, 99 closed before it
    const auto plan = plan_import(*r, {}, {});
    EXPECT_EQ(plan.add.size(), 10'000u);
    auto loaded = config::load_string(to_feed_toml(plan.add), "big.toml");
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->feeds.size(), 10'000u);
}

TEST(OpmlHostile, DeepNestingNeitherRecursesNorGrowsTagsWithoutBound) {
    std::string xml = "<opml><body>";
    const int depth = 100'000;
    for (int i = 0; i < depth; ++i) xml += "<outline text=\"d\">";
    xml += "<outline xmlUrl=\"https://deep.example.org/\"/>";
    for (int i = 0; i < depth; ++i) xml += "</outline>";
    xml += "</body></opml>";
    auto r = read_opml(xml);
    if (!r) GTEST_SKIP() << "pugixml refused the depth itself: " << r.error().message;
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].tags.size(), 1u);  // "d" repeated is one tag
    EXPECT_FALSE(write_opml(*r, "deep").empty());
}

TEST(OpmlHostile, AFeedAtEveryLevelOfDeepNestingStaysLinear) {
    // 20,000 levels, each with a feed: walking the folder list per feed would be 2e8 steps.
    std::string xml = "<opml><body>";
    const int depth = 20'000;
    for (int i = 0; i < depth; ++i)
        xml += "<outline text=\"d" + std::to_string(i % 40) + "\"><outline xmlUrl=\"https://l" +
               std::to_string(i) + ".example/\"/>";
    for (int i = 0; i < depth; ++i) xml += "</outline>";
    xml += "</body></opml>";
    auto r = read_opml(xml);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), static_cast<std::size_t>(depth));
    EXPECT_EQ((*r)[0].tags.size(), 1u);
    EXPECT_EQ(r->back().tags.size(), 16u);  // capped
    EXPECT_EQ(r->back().tags.front(), "d0");
}

// ---- Pure decisions, by table ----------------------------------------------------------

TEST(OpmlDecisions, ProblemOf) {
    struct Case {
        const char* name;
        OpmlFeed feed;
        std::string want;  // "" = importable; otherwise a substring of the reason
    };
    const std::vector<Case> cases{
        {"https", {"https://a.example/", "", {}, 1, "rss"}, ""},
        {"http, atom type", {"http://a.example/x", "", {}, 1, "atom"}, ""},
        {"no type", {"http://a.example/x", "", {}, 1, ""}, ""},
        {"empty", {"", "t", {}, 1, "rss"}, "no xmlUrl"},
        {"ftp", {"ftp://a.example/", "", {}, 1, ""}, "not an http(s) URL"},
        {"no host", {"http://", "", {}, 1, ""}, "no host"},
        {"path only host", {"https:///feed", "", {}, 1, ""}, "no host"},
        {"tab inside", {"https://a.example/a\tb", "", {}, 1, ""}, "space or a control"},
        {"xpath", {"https://a.example/", "", {}, 1, "XML+XPath"}, "scraping source"},
        {"include", {"https://a.example/list.opml", "", {}, 1, "include"}, "not to a feed"},
    };
    for (const auto& c : cases) {
        const auto got = problem_of(c.feed);
        if (c.want.empty())
            EXPECT_EQ(got, "") << c.name;
        else
            EXPECT_THAT(got, HasSubstr(c.want)) << c.name;
    }
}

TEST(OpmlDecisions, UrlKey) {
    struct Case {
        std::string a, b;
        bool same;
    };
    const std::vector<Case> cases{
        {"https://Example.ORG/feed", "https://example.org/feed", true},
        {"HTTPS://example.org/feed", "https://example.org/feed", true},
        {"https://example.org/Feed", "https://example.org/feed", false},
        {"https://example.org/feed?A=1", "https://example.org/feed?a=1", false},
        {"https://EXAMPLE.org?x", "https://example.org?x", true},
        {"http://example.org/feed", "https://example.org/feed", false},
    };
    for (const auto& c : cases) EXPECT_EQ(url_key(c.a) == url_key(c.b), c.same) << c.a << " vs " << c.b;
}

TEST(OpmlDecisions, PlanSkipsConfiguredUrlsAndMakesNamesUnique) {
    const std::vector<OpmlFeed> read{
        {"https://Old.example.org/rss", "Old", {}, 3, "rss"},
        {"https://new.example.org/rss", "News", {}, 4, "rss"},
        {"https://new2.example.org/rss", "News", {}, 5, "rss"},
        {"https://new3.example.org/rss", "News", {}, 6, "rss"},
        {"https://same.example.org/", "https://same.example.org/", {}, 7, "rss"},
    };
    const std::vector<std::string> urls{"https://old.example.org/rss"};
    const std::vector<std::string> names{"News (2)"};
    const auto plan = plan_import(read, urls, names);
    ASSERT_EQ(plan.duplicates.size(), 1u);
    EXPECT_EQ(plan.duplicates[0].reason, "already configured");
    ASSERT_EQ(plan.add.size(), 4u);
    EXPECT_EQ(plan.add[0].title, "News");
    EXPECT_EQ(plan.add[1].title, "News (3)");  // "News (2)" is taken by the config
    EXPECT_EQ(plan.add[2].title, "News (4)");
    EXPECT_EQ(plan.add[3].title, "");  // a name equal to the URL is no name
    EXPECT_THAT(plan.invalid, IsEmpty());
}

TEST(OpmlHostile, SurrogateReferencesBecomeReplacementCharactersBeforeNamesAreMadeUnique) {
    auto r = read_opml(
        "<opml><body><outline text=\"x&#xD800;\" xmlUrl=\"https://a.example/\"/>"
        "<outline text=\"x&#xD801;\" xmlUrl=\"https://b.example/\"/></body></opml>");
    ASSERT_TRUE(r);
    const auto plan = plan_import(*r, {}, {});
    ASSERT_EQ(plan.add.size(), 2u);
    auto loaded = config::load_string(to_feed_toml(plan.add), "s.toml");
    ASSERT_TRUE(loaded) << config::to_string(loaded.error().front());
    EXPECT_NE(loaded->feeds[0].name, loaded->feeds[1].name);
}

TEST(OpmlDecisions, CategoryAttributeAddsTags) {
    auto r = read_opml(
        "<opml><body><outline text=\"F\"><outline xmlUrl=\"https://c.example/\" "
        "category=\"/Tech/Linux, /News,F\"/></outline></body></opml>");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 1u);
    EXPECT_THAT((*r)[0].tags, ElementsAre("F", "Tech", "Linux", "News"));
}

TEST(OpmlDecisions, FeedSchemeVariants) {
    auto r = read_opml(
        "<opml><body><outline xmlUrl=\"feed:https://a.example/x\"/>"
        "<outline xmlUrl=\"FEED://b.example/y\"/><outline url=\"https://c.example/z\"/></body></opml>");
    ASSERT_TRUE(r);
    EXPECT_THAT(urls_of(*r), ElementsAre("https://a.example/x", "http://b.example/y", "https://c.example/z"));
    std::string many = "<opml><body><outline xmlUrl=\"";
    for (int i = 0; i < 200'000; ++i) many += "feed:";
    many += "https://d.example/\"/></body></opml>";
    auto deep = read_opml(many);
    ASSERT_TRUE(deep);
    EXPECT_EQ((*deep)[0].url, "https://d.example/");
}

// ---- TOML out ---------------------------------------------------------------------------

TEST(OpmlToml, StringEscapes) {
    struct Case {
        std::string in, want;
    };
    const std::vector<Case> cases{
        {"plain", "\"plain\""},
        {"say \"hi\"", R"("say \"hi\"")"},
        {R"(C:\dir)", R"("C:\\dir")"},
        {"a\nb\tc\rd", R"("a\nb\tc\rd")"},
        {std::string("nul\0x", 5), R"("nul\u0000x")"},
        {"\x7f\x1b", R"("\u007F\u001B")"},
        {"Économie 経済", "\"Économie 経済\""},
        {"bad \xC3 byte", "\"bad \xEF\xBF\xBD byte\""},
        {"surrogate \xED\xA0\x80", "\"surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
        {"overlong \xC0\xAF", "\"overlong \xEF\xBF\xBD\xEF\xBF\xBD\""},
    };
    for (const auto& c : cases) EXPECT_EQ(toml_string(c.in), c.want) << c.in;
}

TEST(OpmlToml, HostileTitlesRoundTripThroughTheConfigLoader) {
    const std::vector<std::string> titles{
        "Quotes \"inside\"", R"(Back\slash\)", "Line\nbreak", "Tab\there", "Triple \"\"\" quotes",
        "Ctrl \x01\x1f", "# not a comment", "]] [[feed]] url = \"x\"", "'single'", "Ünïcödé 🎉",
    };
    std::vector<OpmlFeed> feeds;
    for (std::size_t i = 0; i < titles.size(); ++i)
        feeds.push_back({"https://t" + std::to_string(i) + ".example.org/", titles[i],
                         {"tag \"q\"", "back\\slash"}, static_cast<int>(i + 1), "rss"});
    const auto toml = to_feed_toml(feeds);
    auto loaded = config::load_string(toml, "imported.toml");
    ASSERT_TRUE(loaded) << config::to_string(loaded.error().front()) << "\n" << toml;
    ASSERT_EQ(loaded->feeds.size(), titles.size());
    for (std::size_t i = 0; i < titles.size(); ++i) {
        EXPECT_EQ(loaded->feeds[i].name, titles[i]);
        EXPECT_EQ(loaded->feeds[i].url, feeds[i].url);
        EXPECT_THAT(loaded->feeds[i].tags, ElementsAre("tag \"q\"", "back\\slash"));
    }
}

TEST(OpmlToml, NoTitleMeansNoNameAndNoTagsMeansNoTagsKey) {
    const auto toml = to_feed_toml({{"https://a.example/", "", {}, 0, ""}});
    EXPECT_EQ(toml, "[[feed]]\nurl = \"https://a.example/\"\n");
}

// ---- OPML out ---------------------------------------------------------------------------

TEST(OpmlWrite, RoundTripsTitlesUrlsAndTagPaths) {
    const std::vector<OpmlFeed> feeds{
        {"https://a.example/rss?x=1&y=2", "A & <B> \"C\"", {"World", "Europe"}, 0, "rss"},
        {"https://b.example/rss", "Line\nbreak\ttab", {"World"}, 0, "rss"},
        {"https://c.example/rss", "", {}, 0, "rss"},
        {"https://d.example/rss", "D", {"World", "Europe"}, 0, "rss"},
    };
    const auto xml = write_opml(feeds, "wirewatch & friends");
    EXPECT_THAT(xml, HasSubstr("<opml version=\"2.0\">"));
    EXPECT_THAT(xml, HasSubstr("<title>wirewatch &amp; friends</title>"));
    auto r = read_opml(xml);
    ASSERT_TRUE(r) << r.error().message << "\n" << xml;
    ASSERT_EQ(r->size(), 4u);
    // Grouped by folder: the top level first, then World, then World/Europe.
    EXPECT_EQ((*r)[0].url, "https://c.example/rss");
    EXPECT_EQ((*r)[0].title, "https://c.example/rss");  // OPML needs text: the URL stands in
    EXPECT_EQ((*r)[1].title, "Line\nbreak\ttab");
    EXPECT_THAT((*r)[1].tags, ElementsAre("World"));
    EXPECT_EQ((*r)[2].url, "https://a.example/rss?x=1&y=2");
    EXPECT_EQ((*r)[2].title, "A & <B> \"C\"");
    EXPECT_THAT((*r)[2].tags, ElementsAre("World", "Europe"));
    EXPECT_EQ((*r)[3].title, "D");
}

TEST(OpmlWrite, ControlCharactersXmlCannotCarryAreDropped) {
    const auto xml = write_opml({{"https://a.example/", "bell\x07", {}, 0, ""}}, "t");
    auto r = read_opml(xml);
    ASSERT_TRUE(r) << xml;
    EXPECT_EQ((*r)[0].title, "bell");
}

// ---- The command, end to end (a private build of the CLI with only `opml`) -------------

class OpmlCli : public ::testing::Test {
protected:
    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "ww_opml_XXXXXX").string();
        ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
        dir_ = tmpl;
        config_ = dir_ / "wirewatch.toml";
        std::ofstream(config_) << "[[feed]]\nurl = \"https://ballot.example.com/rss.xml\"\nname = \"Ballot Box\"\n";
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Runs the command; returns its exit status and fills out_ with its stdout.
    int run(const std::string& args) {
        const std::string cmd = std::string(WW_OPML_CLI) + " opml " + args + " 2>" + (dir_ / "stderr").string();
        out_.clear();
        FILE* p = popen(cmd.c_str(), "r");
        if (!p) return -1;
        char buf[4096];
        for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out_.append(buf, n);
        const int status = pclose(p);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::string read(const fs::path& p) {
        std::ifstream in(p);
        std::ostringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

    fs::path dir_, config_;
    std::string out_;
};

TEST_F(OpmlCli, ImportWritesADropInTheConfigAcceptsAndSkipsDuplicates) {
    const std::string opml = std::string(WW_OPML_FIXTURES) + "/feedly.opml";
    ASSERT_EQ(run("import " + opml + " --config " + config_.string()), 0) << read(dir_ / "stderr");
    const fs::path dropin = dir_ / "feeds.d" / "imported.toml";
    ASSERT_TRUE(fs::exists(dropin)) << out_;
    EXPECT_THAT(out_, HasSubstr("imported 2 feeds into " + dropin.string()));
    EXPECT_THAT(out_, HasSubstr("skipped 2 as duplicates:"));
    EXPECT_THAT(out_, HasSubstr("line 10: https://ballot.example.com/rss.xml: already configured"));
    EXPECT_THAT(out_, HasSubstr("line 13: https://capitol.example.com/feed: repeated in the OPML (first at line 9)"));

    auto cfg = config::load(config_);
    ASSERT_TRUE(cfg) << config::to_string(cfg.error().front());
    ASSERT_EQ(cfg->feeds.size(), 3u);
    EXPECT_EQ(cfg->feeds[1].name, "Capitol Watch");
    EXPECT_THAT(cfg->feeds[1].tags, ElementsAre("Politics", "Europe"));
    EXPECT_EQ(cfg->feeds[2].url, "http://brussels.example.eu/feed/");

    // Again: everything is configured now, the drop-in is left as it was.
    const auto before = read(dropin);
    ASSERT_EQ(run("import " + opml + " --config " + config_.string()), 0);
    EXPECT_THAT(out_, HasSubstr("imported 0 feeds"));
    EXPECT_THAT(out_, HasSubstr("skipped 4 as duplicates:"));
    EXPECT_EQ(read(dropin), before);
}

TEST_F(OpmlCli, SecondImportAppendsToTheSameDropIn) {
    const std::string fx = WW_OPML_FIXTURES;
    ASSERT_EQ(run("import " + fx + "/inoreader.opml --config " + config_.string()), 0) << read(dir_ / "stderr");
    ASSERT_EQ(run("import " + fx + "/miniflux.opml --config " + config_.string()), 0) << read(dir_ / "stderr");
    auto cfg = config::load(config_);
    ASSERT_TRUE(cfg) << config::to_string(cfg.error().front());
    EXPECT_EQ(cfg->feeds.size(), 1u + 3u + 3u);
}

TEST_F(OpmlCli, InvalidOutlinesAreListedWithLineAndReason) {
    ASSERT_EQ(run("import " + std::string(WW_OPML_FIXTURES) + "/freshrss.opml --config " + config_.string() +
                  " --output feeds.d/freshrss.toml"),
              0);
    EXPECT_THAT(out_, HasSubstr("imported 2 feeds"));
    EXPECT_THAT(out_, HasSubstr("skipped 1 as invalid:\n  line 13: https://scrape.example.fr/list.html: "
                                "type=\"HTML+XPath\" is a scraping source, not a feed"));
    EXPECT_TRUE(fs::exists(dir_ / "feeds.d" / "freshrss.toml"));
    EXPECT_TRUE(config::load(config_));
}

TEST_F(OpmlCli, DryRunPrintsTomlAndWritesNothing) {
    ASSERT_EQ(run("import " + std::string(WW_OPML_FIXTURES) + "/newsboat.opml --dry-run --config " + config_.string()), 0);
    EXPECT_THAT(out_, ::testing::StartsWith("# OPML line 7\n[[feed]]\nurl = \"https://one.example.org/rss.xml\"\nname = \"One\"\n"));
    EXPECT_THAT(read(dir_ / "stderr"), HasSubstr("dry run: 3 feeds to import, nothing written"));
    EXPECT_FALSE(fs::exists(dir_ / "feeds.d"));
}

TEST_F(OpmlCli, AFileTheLoaderWouldRefuseIsPutBackAsItWas) {
    // Outside feeds.d the file is checked on its own; this one is already broken, so appending
    // cannot make it loadable and the import must leave it byte for byte.
    const fs::path elsewhere = dir_ / "elsewhere.toml";
    std::ofstream(elsewhere) << "not = [toml";
    EXPECT_EQ(run("import " + std::string(WW_OPML_FIXTURES) + "/newsboat.opml --config " + config_.string() +
                  " --output " + elsewhere.string()),
              1);
    EXPECT_THAT(read(dir_ / "stderr"), HasSubstr("left unchanged"));
    EXPECT_EQ(read(elsewhere), "not = [toml");
}

TEST_F(OpmlCli, AnOutputOutsideFeedsDIsWrittenWithANote) {
    EXPECT_EQ(run("import " + std::string(WW_OPML_FIXTURES) + "/newsboat.opml --config " + config_.string() +
                  " --output other.toml"),
              0);
    EXPECT_THAT(read(dir_ / "stderr"), HasSubstr("the daemon reads only"));
    auto alone = config::load_string(read(dir_ / "other.toml"), "other.toml");
    ASSERT_TRUE(alone);
    EXPECT_EQ(alone->feeds.size(), 3u);
}

TEST_F(OpmlCli, NotOpmlFailsAndWritesNothing) {
    EXPECT_EQ(run("import " + std::string(WW_OPML_FIXTURES) + "/not_opml.xml --config " + config_.string()), 1);
    EXPECT_THAT(read(dir_ / "stderr"), HasSubstr("opml: the root element is <rss>, not <opml>"));
    EXPECT_FALSE(fs::exists(dir_ / "feeds.d"));
    EXPECT_EQ(run("import"), 2);
    EXPECT_EQ(run("frobnicate"), 2);
}

TEST_F(OpmlCli, ExportWritesTheConfiguredFeedsAsOpml) {
    ASSERT_EQ(run("import " + std::string(WW_OPML_FIXTURES) + "/inoreader.opml --config " + config_.string()), 0);
    ASSERT_EQ(run("export --config " + config_.string()), 0) << read(dir_ / "stderr");
    auto r = read_opml(out_);
    ASSERT_TRUE(r) << out_;
    ASSERT_EQ(r->size(), 4u);
    EXPECT_EQ((*r)[0].title, "Ballot Box");
    EXPECT_EQ((*r)[1].url, "https://unfiled.example.com/atom");
    EXPECT_EQ((*r)[2].title, "Rates");
    EXPECT_THAT((*r)[2].tags, ElementsAre("Markets"));
    EXPECT_EQ((*r)[3].title, "Oil Desk");
    EXPECT_THAT((*r)[3].tags, ElementsAre("Markets", "Commodities"));
}

}  // namespace
}  // namespace ww::feed
