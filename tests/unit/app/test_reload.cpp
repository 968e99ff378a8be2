#include "app/reload.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "core/time.h"

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


store::KeptItem kept(std::string title, std::string content = "") {
    store::KeptItem k;
    k.text.title = std::move(title);
    k.text.content = std::move(content);
    return k;
}

match::ItemView view(const Item& item) {
    return {.title = item.title, .summary = item.summary, .content = item.content};
}

TEST(TermFrequencies, NoKeptItemsMeansTheLengthGuess) {
    EXPECT_EQ(term_frequencies_of({}, nullptr), nullptr);
    const std::vector<store::KeptItem> one{kept("Talks")};
    EXPECT_EQ(term_frequencies_of(one, nullptr, 0), nullptr);
}

TEST(TermFrequencies, CountsTheNewestItemsOnly) {
    // kept_items is oldest first: with a limit of two, the first item is not counted.
    const std::vector<store::KeptItem> items{kept("Tariffs rise"), kept("Government talks"),
                                             kept("Government budget", "the government said")};
    const auto f = term_frequencies_of(items, nullptr, 2);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->items(), 2u);
    EXPECT_EQ(f->count(match::Ns::exact, "government"), 2u);  // once per item, not per occurrence
    EXPECT_EQ(f->count(match::Ns::exact, "tariffs"), 0u);
}

TEST(TermFrequencies, TheCompiledIndexAnchorsOnTheMeasuredRarerTerm) {
    // By length "government" looks rarer than "xi"; measured, it is in every item.
    std::vector<store::KeptItem> items;
    for (int i = 0; i < 20; ++i) items.push_back(kept("The government met " + std::to_string(i)));
    items.push_back(kept("Xi visits"));
    const auto guessed = compile_watchlists({wl("a", "government Xi")}, {});
    const auto measured = compile_watchlists({wl("a", "government Xi")}, {}, nullptr, term_frequencies_of(items, nullptr));
    Item item;
    item.title = "The government announced a budget";  // no Xi: no hit either way
    match::MatchStats by_guess, by_count;
    EXPECT_TRUE(guessed.snapshot.index->match_ids(view(item), by_guess).empty());
    EXPECT_TRUE(measured.snapshot.index->match_ids(view(item), by_count).empty());
    EXPECT_EQ(by_guess.postings, 1u);  // anchored on "government": read, run, rejected
    EXPECT_EQ(by_count.postings, 0u);  // anchored on "xi": nothing to read
    item.title = "Xi and the government";
    EXPECT_EQ(measured.snapshot.index->match_ids(view(item), by_count).size(), 1u);
}

class KeptStore : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (std::filesystem::temp_directory_path() / "ww-freq-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    std::filesystem::path dir_;
};

TEST_F(KeptStore, RecentFrequenciesAreCountedFromTheStoresKeptTexts) {
    const auto now = *parse_rfc3339("2026-11-27T10:00:00Z");
    EXPECT_EQ(recent_term_frequencies(dir_, std::chrono::hours(48), now, nullptr), nullptr);  // no database yet
    {
        auto store = store::Store::open(dir_);
        ASSERT_TRUE(store) << store.error().message;
        const std::vector<std::string> urls{"http://feeds/world"};
        auto feeds = store->ensure_feeds(urls);
        ASSERT_TRUE(feeds) << feeds.error().message;
        Feed parsed;
        for (const auto* title : {"Kremlin talks", "Kremlin budget", "Harvest festival"}) {
            Item item;
            item.key = title;
            item.title = title;
            parsed.items.push_back(item);
        }
        const FeedContext ctx{feeds->front().id, "World", "World", urls[0], "", 0};
        auto request = build_record_request(ctx, parsed, compile_watchlists({wl("a", "kremlin")}, {}).snapshot, now);
        request.keep_texts = true;
        auto recorded = store->record(request);
        ASSERT_TRUE(recorded) << recorded.error().message;
    }
    const auto later = now + std::chrono::seconds(1);
    EXPECT_EQ(recent_term_frequencies(dir_, std::chrono::hours(48), later, nullptr), nullptr);  // too few to trust
    const auto f = recent_term_frequencies(dir_, std::chrono::hours(48), later, nullptr, /*minimum=*/3);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->items(), 3u);
    EXPECT_EQ(f->count(match::Ns::exact, "kremlin"), 2u);
    EXPECT_EQ(recent_term_frequencies(dir_, std::chrono::seconds(0), now, nullptr), nullptr);  // texts not kept
}

}  // namespace
}  // namespace ww::app
