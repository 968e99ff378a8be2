#include "app/reload.h"

#include <gtest/gtest.h>

namespace ww::app {
namespace {

config::WatchlistConfig wl(std::string name, std::string query, int line = 1) {
    config::WatchlistConfig w;
    w.name = std::move(name);
    w.query = std::move(query);
    w.where = {"w.toml", line, 1};
    return w;
}

config::FeedConfig feed(std::string url, std::string name = "") {
    config::FeedConfig f;
    f.url = std::move(url);
    f.name = name.empty() ? f.url : std::move(name);
    return f;
}

TEST(CompileWatchlists, AllGoodReplacesEverything) {
    const auto out = compile_watchlists({wl("a", "china russia"), wl("b", "tariffs")}, {wl("old", "x")});
    EXPECT_TRUE(out.problems.empty());
    ASSERT_EQ(out.in_force.size(), 2u);
    EXPECT_EQ(out.snapshot.queries.at("a"), "china russia");
    EXPECT_FALSE(out.snapshot.queries.contains("old"));
}

TEST(CompileWatchlists, ABrokenQueryKeepsItsPreviousVersion) {
    const auto out = compile_watchlists({wl("a", "-sport", 7), wl("b", "tariffs")}, {wl("a", "china russia")});
    ASSERT_EQ(out.problems.size(), 1u);
    EXPECT_NE(out.problems[0].find("w.toml:7:1"), std::string::npos) << out.problems[0];
    EXPECT_NE(out.problems[0].find("keeping its previous query"), std::string::npos);
    EXPECT_EQ(out.snapshot.queries.at("a"), "china russia");
    EXPECT_EQ(out.in_force.size(), 2u);
}

TEST(CompileWatchlists, ABrokenNewWatchlistIsNotLoaded) {
    const auto out = compile_watchlists({wl("new", "-sport")}, {});
    ASSERT_EQ(out.problems.size(), 1u);
    EXPECT_NE(out.problems[0].find("not loaded"), std::string::npos);
    EXPECT_TRUE(out.in_force.empty());
    ASSERT_TRUE(out.snapshot.index);
}

TEST(DiffFeeds, FindsAddedRemovedAndChanged) {
    auto changed = feed("http://b/", "B renamed");
    const auto d = diff_feeds({feed("http://a/"), feed("http://b/", "B"), feed("http://c/")},
                              {feed("http://a/"), changed, feed("http://d/")});
    ASSERT_EQ(d.added.size(), 1u);
    EXPECT_EQ(d.added[0].url, "http://d/");
    EXPECT_EQ(d.removed, std::vector<std::string>{"http://c/"});
    ASSERT_EQ(d.changed.size(), 1u);
    EXPECT_EQ(d.changed[0].name, "B renamed");
}

TEST(DiffFeeds, IntervalChangeIsAChange) {
    auto a = feed("http://a/");
    auto b = a;
    b.interval = std::chrono::seconds(60);
    EXPECT_EQ(diff_feeds({a}, {b}).changed.size(), 1u);
    EXPECT_TRUE(diff_feeds({a}, {a}).changed.empty());
}

}  // namespace
}  // namespace ww::app
