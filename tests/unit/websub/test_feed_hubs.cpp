// Discovery starts in the feed parser: every form a publisher uses to name its hub reaches
// FeedHints, and from there websub::discover.
#include <gtest/gtest.h>

#include "feed/parse.h"
#include "websub/link_header.h"

namespace ww::websub {
namespace {

TEST(FeedHubs, EveryDocumentFormNamesTheHubAndTheTopic) {
    struct Case {
        const char* name;
        const char* body;
    };
    const Case cases[] = {
        {"atom", R"(<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
            <link rel="hub" href="https://hub.example/"/><link rel="self" href="https://news.example/self"/>
            <link rel="alternate" href="https://news.example/"/></feed>)"},
        {"rss with atom:link", R"(<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
            <title>t</title><link>https://news.example/</link>
            <atom:link rel="hub" href="https://hub.example/"/><atom:link rel="self" href="https://news.example/self"/>
            </channel></rss>)"},
        {"rss with a plain link rel=hub", R"(<rss version="2.0"><channel><title>t</title>
            <link>https://news.example/</link>
            <link rel="hub" href="https://hub.example/"/><link rel="self" href="https://news.example/self"/>
            </channel></rss>)"},
    };
    for (const auto& c : cases) {
        auto feed = feed::parse(c.body, {.url = "https://news.example/feed"});
        ASSERT_TRUE(feed) << c.name << ": " << feed.error().message;
        EXPECT_EQ(feed->link, "https://news.example/") << c.name;  // the hub link is not the site link
        const auto d = discover({}, feed->hints, "https://news.example/feed");
        EXPECT_EQ(d.hubs, std::vector<std::string>{"https://hub.example/"}) << c.name;
        EXPECT_EQ(d.topic, "https://news.example/self") << c.name;
    }
}

}  // namespace
}  // namespace ww::websub
