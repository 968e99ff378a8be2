#include "websub/link_header.h"

#include <gtest/gtest.h>

namespace ww::websub {
namespace {

using Rels = std::vector<std::string>;

TEST(LinkHeader, ParsesTheFormsPublishersSend) {
    struct Case {
        const char* name;
        const char* header;
        std::vector<LinkValue> expected;
    };
    const Case cases[] = {
        {"one hub", R"(<https://hub.example/>; rel="hub")", {{"https://hub.example/", {"hub"}}}},
        {"hub and self", R"(<https://hub.example/>; rel="hub", <https://news.example/feed>; rel="self")",
         {{"https://hub.example/", {"hub"}}, {"https://news.example/feed", {"self"}}}},
        {"unquoted rel", "<https://hub.example/>; rel=hub", {{"https://hub.example/", {"hub"}}}},
        {"upper-case rel and param", R"(<https://h/>; REL="HUB")", {{"https://h/", {"hub"}}}},
        {"several rels in one", R"(<https://h/>; rel="self hub")", {{"https://h/", {"self", "hub"}}}},
        {"other params around", R"(<https://h/>; title="a, b; c"; rel="hub"; type=text/html)",
         {{"https://h/", {"hub"}}}},
        {"comma inside the target", R"(<https://h/a,b>; rel="hub")", {{"https://h/a,b", {"hub"}}}},
        {"only the first rel counts", R"(<https://h/>; rel="hub"; rel="self")", {{"https://h/", {"hub"}}}},
        {"no rel", "<https://h/>", {{"https://h/", {}}}},
        {"spaces and empty values", R"( , <https://h/> ;rel = "hub" ,, )", {{"https://h/", {"hub"}}}},
        {"escaped quote in rel", R"(<https://h/>; rel="h\"ub")", {{"https://h/", {"h\"ub"}}}},
        {"garbage before a good value", R"(garbage; rel="hub", <https://h/>; rel="hub")",
         {{"https://h/", {"hub"}}}},
        {"unterminated target", R"(<https://h/; rel="hub")", {}},
        {"empty", "", {}},
    };
    for (const auto& c : cases) {
        const auto got = parse_link_header(c.header);
        ASSERT_EQ(got.size(), c.expected.size()) << c.name;
        for (std::size_t i = 0; i < got.size(); ++i) {
            EXPECT_EQ(got[i].target, c.expected[i].target) << c.name;
            EXPECT_EQ(got[i].rels, c.expected[i].rels) << c.name;
        }
    }
}

TEST(Discover, HeadersComeFirstThenTheDocument) {
    FeedHints doc;
    doc.hubs = {"https://doc-hub.example/"};
    doc.self_url = "https://news.example/self.xml";
    struct Case {
        const char* name;
        std::vector<std::string> headers;
        FeedHints hints;
        Rels hubs;
        const char* topic;
    };
    const Case cases[] = {
        {"document only", {}, doc, {"https://doc-hub.example/"}, "https://news.example/self.xml"},
        {"headers win", {R"(<https://hdr-hub.example/>; rel="hub", <https://news.example/t>; rel="self")"}, doc,
         {"https://hdr-hub.example/"}, "https://news.example/t"},
        {"header hub, document self", {R"(<https://hdr-hub.example/>; rel="hub")"}, doc,
         {"https://hdr-hub.example/"}, "https://news.example/self.xml"},
        {"two Link headers", {R"(<https://a.example/>; rel="hub")", R"(<https://b.example/>; rel="hub")"}, {},
         {"https://a.example/", "https://b.example/"}, "https://news.example/feed.xml"},
        {"nothing: the fetched URL is the topic", {}, {}, {}, "https://news.example/feed.xml"},
        {"relative targets resolve against the fetched URL", {R"(</hub>; rel="hub", <self.xml>; rel="self")"}, {},
         {"https://news.example/hub"}, "https://news.example/self.xml"},
        {"a non-web hub is ignored", {R"(<mailto:x@y>; rel="hub")"}, {}, {}, "https://news.example/feed.xml"},
        {"duplicates once", {R"(<https://a.example/>; rel="hub", <https://a.example/>; rel="hub")"}, {},
         {"https://a.example/"}, "https://news.example/feed.xml"},
    };
    for (const auto& c : cases) {
        const auto d = discover(c.headers, c.hints, "https://news.example/feed.xml");
        EXPECT_EQ(d.hubs, c.hubs) << c.name;
        EXPECT_EQ(d.topic, c.topic) << c.name;
    }
}

}  // namespace
}  // namespace ww::websub
