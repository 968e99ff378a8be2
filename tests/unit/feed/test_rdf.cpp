#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "core/time.h"
#include "feed/parse.h"

namespace ww::feed {
namespace {

TEST(Rdf, ReadsRss10) {
    std::ifstream in(std::string(WW_FIXTURES_DIR) + "/feed/rdf_world.xml", std::ios::binary);
    const std::string body{std::istreambuf_iterator<char>(in), {}};
    const auto feed = parse(body, {});
    ASSERT_TRUE(feed) << feed.error().message;
    EXPECT_EQ(feed->format, "rdf");
    EXPECT_EQ(feed->version, "1.0");
    EXPECT_EQ(feed->title, "Old Style Digest");
    EXPECT_EQ(feed->language, "fr");
    ASSERT_EQ(feed->items.size(), 1u);
    const auto& item = feed->items[0];
    EXPECT_EQ(item.guid, "https://old.example.com/a1");  // rdf:about
    EXPECT_EQ(item.title, "Premier article");
    EXPECT_EQ(item.categories, std::vector<std::string>{"Politique"});
    ASSERT_TRUE(item.published);
    EXPECT_EQ(format_rfc3339(*item.published), "2026-11-27T06:00:00Z");
    EXPECT_EQ(item.language, "fr");
}

TEST(Rdf, ReadsRss090) {
    const auto feed = parse(R"(<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>Ninety</title>
      <link>http://n.example/</link></channel><item><title>One</title><link>http://n.example/1</link>
      </item></rdf:RDF>)", {});
    ASSERT_TRUE(feed) << feed.error().message;
    EXPECT_EQ(feed->version, "0.90");
    ASSERT_EQ(feed->items.size(), 1u);
    EXPECT_EQ(feed->items[0].key, "link:http://n.example/1");  // no rdf:about, no guid
}

}  // namespace
}  // namespace ww::feed
