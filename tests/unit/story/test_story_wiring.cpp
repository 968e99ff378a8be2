// The story module wired into the pipeline (docs/stories.md, "Wiring"): the verdict table, the
// story board, the store's story and kept-item tables with a real SQLite file, the live desk
// across a restart, and backtests agreeing with the live decisions.
#include "app/stories.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <tuple>

#include "app/backtest.h"
#include "app/pipeline.h"
#include "app/reload.h"
#include "core/time.h"
#include "match/stemmer.h"
#include "story/link.h"

namespace ww::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

SysSeconds at(int minutes) { return *parse_rfc3339("2026-11-27T10:00:00Z") + std::chrono::minutes(minutes); }

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "ww-stories-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() { fs::remove_all(path_); }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

const match::Stemming& stemming() {
    static const match::Stemming s(match::default_stem_overrides());
    return s;
}

Item item(std::string key, std::string title, std::string summary, std::string link) {
    Item i;
    i.key = i.guid = std::move(key);
    i.title = std::move(title);
    i.summary = std::move(summary);
    i.link = std::move(link);
    return i;
}

// One story told by three outlets, and another story on the same topic.
const Item kA = item("a-1", "Russia and China agree to deepen security co-operation",
                     "Foreign ministers Sergei Lavrov and Wang Yi met in Beijing on Tuesday and pledged closer "
                     "security ties between Russia and China.",
                     "https://outlet-a.example/world/russia-china?utm_source=rss");
const Item kB = item("b-1", "China and Russia pledge closer security ties after Beijing talks",
                     "Sergei Lavrov and Wang Yi agreed in Beijing to deepen co-operation on security, the two "
                     "foreign ministers said.",
                     "https://outlet-b.example/news/china-russia-ties?fbclid=x");
const Item kC = item("c-1", "Lavrov and Wang Yi agree security co-operation in Beijing",
                     "Russia and China will deepen security co-operation, foreign ministers Lavrov and Wang Yi "
                     "said after talks in Beijing.",
                     "https://outlet-c.example/story/88123?gclid=abc");
const Item kOther = item("d-1", "Russia and China stage joint naval drills in the Pacific",
                         "Warships from both navies began a week of security exercises near Japan.",
                         "https://outlet-d.example/drills");

story::Fingerprint fp(const Item& i) {
    return fingerprint_of(i.title, i.summary, i.content, i.link, i.origin_link, "en", stemming());
}

TEST(StoryVerdict, Table) {
    struct Case {
        const char* name;
        bool is_new, known_link, feed_already_source;
        StoryVerdict want;
    };
    const Case cases[] = {
        {"a new story alerts", true, false, false, StoryVerdict::alert},
        {"a similar item from another outlet is an update", false, false, false, StoryVerdict::story_update},
        {"a similar item from the same feed is an update too", false, false, true, StoryVerdict::story_update},
        {"the same article in another feed is an update", false, true, false, StoryVerdict::story_update},
        {"the same article again in the same feed is nothing", false, true, true, StoryVerdict::nothing},
    };
    for (const auto& c : cases) {
        story::Assignment a;
        a.is_new = c.is_new;
        a.known_link = c.known_link;
        EXPECT_EQ(story_verdict(a, c.feed_already_source), c.want) << c.name;
    }
}

TEST(StoryBoard, OneAlertPerStoryThenUpdatesPerWatchlist) {
    StoryBoard board;
    const StorySettings s;
    const auto a = board.place("w", s, fp(kA), "id-a", 1, at(0));
    EXPECT_EQ(a.verdict, StoryVerdict::alert);
    EXPECT_EQ(a.story_id, "id-a");
    const auto b = board.place("w", s, fp(kB), "id-b", 2, at(5));
    EXPECT_EQ(b.verdict, StoryVerdict::story_update);
    EXPECT_EQ(b.story_id, "id-a");
    EXPECT_EQ(b.sources, 2u);
    EXPECT_GE(b.similarity, s.threshold);
    // The same article (tracking parameters aside) again from feed 2: nothing new.
    auto b_again = kB;
    b_again.link = "https://outlet-b.example/news/china-russia-ties?utm_medium=social";
    EXPECT_EQ(board.place("w", s, fp(b_again), "id-b2", 2, at(6)).verdict, StoryVerdict::nothing);
    // ... and from an aggregator, feed 3: another source.
    const auto agg = board.place("w", s, fp(b_again), "id-b3", 3, at(7));
    EXPECT_EQ(agg.verdict, StoryVerdict::story_update);
    EXPECT_EQ(agg.sources, 3u);
    // Another story on the same topic alerts; another watchlist has its own stories.
    EXPECT_EQ(board.place("w", s, fp(kOther), "id-d", 4, at(8)).verdict, StoryVerdict::alert);
    EXPECT_EQ(board.place("v", s, fp(kC), "id-c", 3, at(9)).verdict, StoryVerdict::alert);
    EXPECT_EQ(board.sources("w", "id-a"), 3u);
    // Past the window the story is closed: the next source alerts again.
    const StorySettings short_window{std::chrono::hours(1), 0.4, false};
    EXPECT_EQ(board.place("w", short_window, fp(kC), "id-c", 3, at(120)).verdict, StoryVerdict::alert);
    EXPECT_EQ(board.sources("w", "id-a"), 0u);
}

TEST(StoryBoard, TheWatchlistsOwnTermsDoNotMakeAStory) {
    // Both match "China Russia security" and share exactly those three words: two stories.
    const Item warns = item("w-1", "China warns Russia over Arctic security pact", "", "https://x.example/arctic");
    const std::vector<std::string> terms{"China", "Russia", "security"};
    StoryBoard board;
    const StorySettings s;
    auto mine = [&](const Item& i) { return for_watchlist(fp(i), terms, "en", stemming()); };
    EXPECT_EQ(board.place("w", s, mine(kA), "id-a", 1, at(0)).verdict, StoryVerdict::alert);
    EXPECT_EQ(board.place("w", s, mine(warns), "id-w", 2, at(1)).verdict, StoryVerdict::alert);
    // Counted, they would have joined: the reason for_watchlist exists.
    StoryBoard naive;
    naive.place("w", s, fp(kA), "id-a", 1, at(0));
    EXPECT_EQ(naive.place("w", s, fp(warns), "id-w", 2, at(1)).verdict, StoryVerdict::story_update);
    // The same story still joins without the query's words.
    EXPECT_EQ(board.place("w", s, mine(kB), "id-b", 3, at(2)).verdict, StoryVerdict::story_update);
    // Stemmed like the item: "securities" drops "security".
    const auto plural = for_watchlist(fp(warns), std::vector<std::string>{"securities"}, "en", stemming());
    EXPECT_EQ(plural.sketch.words.size() + 1, fp(warns).sketch.words.size());
    EXPECT_EQ(plural.sketch.features + 1, fp(warns).sketch.features);
}

TEST(StoryBoard, ThePublishersOwnLinkJoinsItemsWhoseLinksAndWordsDiffer) {
    // Two aggregators rewrite the article's link to their click trackers and retell it in
    // words too different to join by text; feedburner:origLink / rel=canonical names it.
    Item first = item("x-1", "Budget vote delayed again", "Parliament postponed the vote until spring.",
                      "https://feeds.example/click/111");
    Item second = item("y-1", "Lawmakers push back fiscal decision", "No date was set by the speaker.",
                       "https://news.aggregator.example/r?id=999");
    StoryBoard board;
    const StorySettings s;
    ASSERT_EQ(board.place("w", s, fp(first), "id-x", 1, at(0)).verdict, StoryVerdict::alert);
    // Without the origin link, they are two stories ...
    EXPECT_EQ(board.place("w", s, fp(second), "id-y", 2, at(1)).verdict, StoryVerdict::alert);
    // ... with it, one story.
    first.origin_link = "https://parliament-news.example/budget-vote?utm_source=feedburner";
    second.origin_link = "https://parliament-news.example/budget-vote";
    StoryBoard linked;
    ASSERT_EQ(linked.place("w", s, fp(first), "id-x", 1, at(0)).verdict, StoryVerdict::alert);
    const auto joined = linked.place("w", s, fp(second), "id-y", 2, at(1));
    EXPECT_EQ(joined.verdict, StoryVerdict::story_update);
    EXPECT_EQ(joined.story_id, "id-x");
}

TEST(StoryBoard, AFeedRetellingAStoryDoesNotGrowItsBook) {
    // A live blog re-telling one story item after item: sources count, the feed is remembered once.
    StoryBoard board;
    const StorySettings s;
    ASSERT_EQ(board.place("w", s, fp(kA), "id-a", 1, at(0)).verdict, StoryVerdict::alert);
    for (int i = 0; i < 1000; ++i) {
        auto retold = kB;
        retold.link = "https://outlet-b.example/live/" + std::to_string(i);
        board.place("w", s, fp(retold), "id-b" + std::to_string(i), 2, at(1));
    }
    EXPECT_EQ(board.footprint().books, 1u);
    EXPECT_EQ(board.footprint().feed_entries, 2u);
}

TEST(StoryBoard, BooksOfStoriesTheIndexClosedEarlyGo) {
    // Past max_open_stories the index closes its oldest stories; their books must go too.
    StoryBoard board;
    const StorySettings s;
    const std::size_t cap = story::StoryOptions{}.max_open_stories;
    for (std::size_t i = 0; i < 3 * cap; ++i) {
        std::vector<std::string> words;
        for (int k = 0; k < 6; ++k) words.push_back("w" + std::to_string(i) + "x" + std::to_string(k));
        const story::Fingerprint f{"https://distinct.example/" + std::to_string(i), story::sketch_of(words, {})};
        ASSERT_EQ(board.place("w", s, f, "id-" + std::to_string(i), 1, at(0)).verdict, StoryVerdict::alert);
    }
    EXPECT_EQ(board.open_stories(), cap);
    EXPECT_LE(board.footprint().books, 2 * cap + 64);
}

TEST(StoryBoard, ThresholdIsPerWatchlist) {
    StoryBoard board;
    const StorySettings strict{std::chrono::hours(48), 0.95, false};
    EXPECT_EQ(board.place("strict", strict, fp(kA), "id-a", 1, at(0)).verdict, StoryVerdict::alert);
    EXPECT_EQ(board.place("strict", strict, fp(kB), "id-b", 2, at(1)).verdict, StoryVerdict::alert);
}

// --- The live desk with a real store

class Desk : public ::testing::Test {
protected:
    Desk() {
        config::WatchlistConfig w;
        w.name = "russia-china";
        w.query = "Russia China security";
        w.alert_on_update = true;
        config::WatchlistConfig v;
        v.name = "beijing";
        v.query = "Beijing";
        watchlists_ = {w, v};
        compiled_ = compile_watchlists(watchlists_, {});
        auto s = store::Store::open(dir_.path());
        if (!s) throw std::runtime_error(s.error().message);
        store_.emplace(std::move(*s));
        for (const char* url : {"http://a/feed", "http://b/feed", "http://c/feed"}) {
            auto f = store_->ensure_feed(url);
            if (!f) throw std::runtime_error(f.error().message);
            feeds_.push_back(*f);
        }
        EXPECT_TRUE(desk_.load(*store_, compiled_.snapshot.stories, at(0)));
    }

    // One poll of feed `n` (0, 1, 2) carrying `items`, recorded through the desk.
    std::vector<store::RecordedAlert> poll(std::size_t n, std::vector<Item> items, SysSeconds now) {
        Feed parsed;
        parsed.title = "Outlet " + std::string(1, char('A' + n));
        parsed.language = "en";
        parsed.items = std::move(items);
        const FeedContext ctx{feeds_[n].id, parsed.title, parsed.title, feeds_[n].config_url, "", 0};
        auto record = build_poll_record(ctx, parsed, compiled_.snapshot, now);
        desk_.attach(record.request, record.alerts, compiled_.snapshot.stories, *compiled_.snapshot.stemming);
        auto result = store_->record(record.request);
        EXPECT_TRUE(result) << (result ? "" : result.error().message);
        return result ? result->alerts : std::vector<store::RecordedAlert>{};
    }

    TempDir dir_;
    std::vector<config::WatchlistConfig> watchlists_;
    CompiledWatchlists compiled_;
    std::optional<store::Store> store_;
    std::vector<store::FeedState> feeds_;
    StoryDesk desk_;
};

std::vector<std::string> topics(const std::vector<store::RecordedAlert>& alerts) {
    std::vector<std::string> out;
    for (const auto& a : alerts) out.push_back(a.topic);
    return out;
}

TEST_F(Desk, StoryUpdatesEditsRestartAndTheStoredSources) {
    const Item quiet = item("q", "Weather stays mild", "Nothing to see.", "https://x.example/q");
    for (std::size_t n = 0; n < 3; ++n) EXPECT_TRUE(poll(n, {quiet}, at(0)).empty());  // catch-up

    const auto first = poll(0, {kA}, at(1));
    ASSERT_EQ(topics(first), (std::vector<std::string>{"alert.russia-china", "alert.beijing"}));
    const auto alert = json::parse(first[0].envelope);
    EXPECT_EQ(alert["story"], (json{{"id", alert["alert_id"]}, {"sources", 1}}));

    const auto second = poll(1, {kB}, at(2));
    ASSERT_EQ(topics(second), (std::vector<std::string>{"story.russia-china", "story.beijing"}));
    const auto update = json::parse(second[0].envelope);
    EXPECT_EQ(update["type"], "story.update");
    EXPECT_EQ(update["seq"], 3);
    EXPECT_EQ(update["alert_id"], alert["alert_id"]);
    EXPECT_EQ(update["story"]["sources"], 2);
    EXPECT_EQ(update["feed"]["url"], "http://b/feed");
    EXPECT_EQ(update["item"]["title"], kB.title);
    EXPECT_EQ(update["item"]["link"], kB.link);

    // A restart: a new desk rebuilt from the store places C in the same story.
    StoryDesk restarted;
    ASSERT_TRUE(restarted.load(*store_, compiled_.snapshot.stories, at(3)));
    desk_ = std::move(restarted);
    const auto third = poll(2, {kC}, at(3));
    ASSERT_EQ(topics(third), (std::vector<std::string>{"story.russia-china", "story.beijing"}));
    EXPECT_EQ(json::parse(third[0].envelope)["story"]["sources"], 3);

    // Sources of the story, as a summary layer would ask.
    auto sources = store_->story_sources("russia-china", alert["alert_id"].get<std::string>());
    ASSERT_TRUE(sources);
    ASSERT_EQ(sources->size(), 3u);
    EXPECT_TRUE((*sources)[0].opens);
    EXPECT_EQ((*sources)[0].seq, 1);
    EXPECT_EQ((*sources)[1].feed_url, "http://b/feed");
    EXPECT_EQ((*sources)[2].title, kC.title);
    EXPECT_EQ((*sources)[2].canonical_link, story::canonical_link(kC.link));

    // An edit of A: no alert; item.updated for the watchlist that asked, nothing for the other.
    auto edited = kA;
    edited.title = "Russia and China sign a pact to deepen security co-operation";
    const auto fourth = poll(0, {edited}, at(4));
    ASSERT_EQ(topics(fourth), (std::vector<std::string>{"story.russia-china"}));
    const auto upd = json::parse(fourth[0].envelope);
    EXPECT_EQ(upd["type"], "item.updated");
    EXPECT_EQ(upd["alert_id"], alert["alert_id"]);
    EXPECT_EQ(upd["previous"]["title"], kA.title);
    EXPECT_EQ(upd["item"]["title"], edited.title);
    // The same edit seen again is not another edit; a re-keyed copy is not new.
    EXPECT_TRUE(poll(0, {edited}, at(5)).empty());
    auto rekeyed = edited;
    rekeyed.key = rekeyed.guid = "a-1-migrated";
    EXPECT_TRUE(poll(0, {edited, rekeyed}, at(6)).empty());
}

// The daemon reloads the desk when a record fails (Daemon::Impl::record_with_stories): the
// decisions taken inside a transaction that did not commit must not survive it, or the retried
// poll would find "its" story open and send nothing.
TEST_F(Desk, AFailedTransactionIsForgottenByReloadingFromTheStore) {
    const Item quiet = item("q", "Weather stays mild", "Nothing to see.", "https://x.example/q");
    poll(0, {quiet}, at(0));
    Feed parsed;
    parsed.title = "Outlet A";
    parsed.items = {kA};
    const FeedContext ctx{feeds_[0].id, "Outlet A", "Outlet A", feeds_[0].config_url, "", 0};
    auto record = build_poll_record(ctx, parsed, compiled_.snapshot, at(1));
    desk_.attach(record.request, record.alerts, compiled_.snapshot.stories, *compiled_.snapshot.stemming);
    auto decide = record.request.decide;
    record.request.decide = [&](const store::ItemSeen& seen) -> std::vector<store::PendingAlert> {
        decide(seen);
        throw std::runtime_error("the disk went away");  // unwinds record(): rolled back
    };
    EXPECT_THROW((void)store_->record(record.request), std::runtime_error);
    const auto id = make_alert_id("russia-china", feeds_[0].config_url, kA.key);
    EXPECT_EQ(desk_.board().sources("russia-china", id), 1u) << "decided in the failed transaction";

    ASSERT_TRUE(desk_.load(*store_, compiled_.snapshot.stories, at(1)));
    EXPECT_EQ(desk_.board().sources("russia-china", id), 0u);
    EXPECT_EQ(topics(poll(0, {kA}, at(2))), (std::vector<std::string>{"alert.russia-china", "alert.beijing"}));
}

TEST_F(Desk, KeptItemsFeedABacktestThatAgreesWithTheLiveRun) {
    const Item quiet = item("q", "Weather stays mild", "Nothing to see.", "https://x.example/q");
    for (std::size_t n = 0; n < 3; ++n) poll(n, {quiet}, at(0));
    std::vector<store::RecordedAlert> live;
    for (const auto& [n, i, t] : {std::tuple{0u, kA, 1}, {1u, kB, 2}, {0u, kOther, 3}, {2u, kC, 4}})
        for (auto& a : poll(n, {i}, at(t))) live.push_back(std::move(a));

    auto kept = store_->kept_items(at(0));
    ASSERT_TRUE(kept);
    ASSERT_EQ(kept->size(), 7u);  // three catch-up items and four news items, oldest first
    EXPECT_EQ((*kept)[3].text.title, kA.title);
    EXPECT_EQ((*kept)[3].text.feed_title, "Outlet A");
    EXPECT_EQ((*kept)[3].feed_url, "http://a/feed");

    config::Config cfg;
    cfg.watchlists = watchlists_;
    for (const auto& name : {"russia-china", "beijing"}) {
        // The catch-up items match nothing, so the backtest sees what the live run saw.
        auto r = backtest(cfg, BacktestRequest{name, "", std::chrono::hours(24)}, *kept, at(0));
        ASSERT_TRUE(r) << r.error().message;
        std::set<std::string> live_alerts, live_updates, bt_alerts, bt_updates;
        for (const auto& a : live) {
            const auto e = json::parse(a.envelope);
            if (e["watchlist"]["name"] != name) continue;
            (a.topic.starts_with("alert.") ? live_alerts : live_updates)
                .insert(e.contains("event_id") ? e["event_id"].get<std::string>() : e["alert_id"].get<std::string>());
        }
        for (const auto& s : r->stories) {
            bt_alerts.insert(s.sources.front().alert_id);
            for (std::size_t i = 1; i < s.sources.size(); ++i) bt_updates.insert(s.sources[i].alert_id);
        }
        EXPECT_EQ(bt_alerts, live_alerts) << name;
        EXPECT_EQ(bt_updates, live_updates) << name;
        EXPECT_EQ(r->alerts, live_alerts.size());
        EXPECT_FALSE(r->stories.front().sources.front().match.terms.empty());
    }
    // A new query: only what it matches, explained.
    auto lavrov = backtest(cfg, BacktestRequest{"", "Lavrov", std::chrono::hours(24)}, *kept, at(0));
    ASSERT_TRUE(lavrov);
    EXPECT_EQ(lavrov->matches, 3u);
    EXPECT_EQ(lavrov->alerts, 1u);
    EXPECT_EQ(lavrov->story_updates, 2u);
    EXPECT_FALSE(backtest(cfg, BacktestRequest{"nope", "", std::chrono::hours(1)}, *kept, at(0)));
    // Cut by its budget (POST /api/backtest): the partial answer says how far it read.
    auto cut = backtest(cfg, BacktestRequest{"", "Lavrov", std::chrono::hours(24)}, *kept, at(0),
                        {.deadline = std::chrono::steady_clock::now()});
    ASSERT_TRUE(cut);
    EXPECT_TRUE(cut->partial);
    EXPECT_EQ(cut->items_read, 0u);
    EXPECT_EQ(cut->matches, 0u);
    EXPECT_EQ(cut->cut_reason, "time budget");
    EXPECT_FALSE(lavrov->partial);
    EXPECT_EQ(lavrov->items_read, kept->size());

    // Retention: kept texts and story sources go with their own horizons.
    auto pruned = store_->prune_kept(at(3), at(0));
    ASSERT_TRUE(pruned);
    EXPECT_EQ(*pruned, 5u);  // the catch-up items, A and B
    EXPECT_EQ(store_->kept_items(at(0))->size(), 2u);
    EXPECT_EQ(store_->story_sources_since(at(0))->size(), live.size());
}

// Without a decider (callers that do not cluster stories) record() keeps its old promise: an
// edit writes nothing, even when the new text matches where the old did not.
TEST_F(Desk, WithoutADeciderAnEditWritesNothing) {
    auto record = [&](std::string hash, bool matches, SysSeconds now) {
        store::RecordRequest r;
        r.feed_id = feeds_[0].id;
        r.now = now;
        store::ItemRecord i{"k", std::move(hash), {}, {}, {}};
        if (matches) i.alerts.push_back({"w", "alert.w", "id-k", [](std::int64_t) { return std::string("{}"); }, {}});
        r.items.push_back(std::move(i));
        auto result = store_->record(r);
        EXPECT_TRUE(result);
        return result ? result->alerts.size() : 99u;
    };
    EXPECT_EQ(record("h0", false, at(0)), 0u);  // catch-up
    EXPECT_EQ(record("h1", true, at(1)), 0u);   // edited, now matching: still not new
    EXPECT_TRUE(store_->kept_items(at(0))->empty()) << "no text was given to keep";
}

TEST(BacktestQuery, Table) {
    struct Case {
        const char* query;
        bool ok;
        const char* watchlist;
        const char* text;
        long long since_s;
    };
    const Case cases[] = {
        {"watchlist=china&since=2d", true, "china", "", 2 * 86400},
        {"query=Russia+%22security+pact%22&since=1h", true, "", "Russia \"security pact\"", 3600},
        {"watchlist=w&query=a%20OR%20b", true, "w", "a OR b", 7 * 86400},
        {"since=2d", false, "", "", 0},
        {"watchlist=w&since=soon", false, "", "", 0},
        {"watchlist=w&limit=3", false, "", "", 0},
        {"query=100%", true, "", "100%", 7 * 86400},
    };
    for (const auto& c : cases) {
        const auto r = parse_backtest_query(c.query);
        ASSERT_EQ(bool(r), c.ok) << c.query;
        if (!r) {
            EXPECT_TRUE(r.error().message.starts_with("backtest: ")) << c.query;
            continue;
        }
        EXPECT_EQ(r->watchlist, c.watchlist) << c.query;
        EXPECT_EQ(r->query, c.text) << c.query;
        EXPECT_EQ(r->since.count(), c.since_s) << c.query;
    }
}

TEST(StoryEnvelope, AlertsCarryTheirStoryAndEventsRoundTheirFields) {
    Alert a;
    a.alert_id = "abc";
    a.watchlist = "w";
    EXPECT_FALSE(json::parse(to_envelope_json(a)).contains("story"));  // recorded without stories
    a.story = AlertStory{"abc", 1};
    const auto parsed = parse_envelope(to_envelope_json(a));
    ASSERT_TRUE(parsed);
    ASSERT_TRUE(parsed->story);
    EXPECT_EQ(parsed->story->id, "abc");

    StoryEvent e;
    e.type = std::string(kItemUpdated);
    e.seq = 9;
    e.event_id = "e1";
    e.alert_id = "abc";
    e.watchlist = "w";
    e.sources = 0;
    e.previous_title = "Old";
    const auto j = json::parse(to_event_json(e));
    EXPECT_EQ(j["v"], 1);
    EXPECT_EQ(j["seq"], 9);
    EXPECT_EQ(j["story"], (json{{"id", "abc"}}));  // a closed story: its count is unknown
    EXPECT_EQ(j["previous"]["title"], "Old");
    EXPECT_EQ(story_topic("w"), "story.w");
}

TEST(StoryConfig, WatchlistKeys) {
    auto cfg = config::load_string(R"(
[[watchlist]]
name = "a"
query = "x"
story_window = "12h"
story_threshold = 0.5
alert_on_update = true
[[watchlist]]
name = "b"
query = "y"
story_threshold = 1
)", "t.toml");
    ASSERT_TRUE(cfg);
    EXPECT_EQ(story_settings_of(cfg->watchlists[0]), (StorySettings{std::chrono::hours(12), 0.5, true}));
    EXPECT_EQ(story_settings_of(cfg->watchlists[1]), (StorySettings{std::chrono::hours(48), 1.0, false}));
    auto bad = config::load_string("[[watchlist]]\nname = \"a\"\nquery = \"x\"\nstory_threshold = 2.0\n", "t.toml");
    ASSERT_FALSE(bad);
    EXPECT_NE(config::to_string(bad.error().front()).find("t.toml:4:"), std::string::npos);
}

}  // namespace
}  // namespace ww::app
