// The store side of the delivery policy: held matches and cooldown windows are recorded in
// record()'s transaction, survive a reopen, and each emission happens once, with the next seq.
#include "store/store.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

namespace ww::store {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

SysSeconds at(int minutes) { return SysSeconds{std::chrono::minutes{minutes}}; }

struct TempDir {
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "ww-held-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path = pattern;
    }
    ~TempDir() { fs::remove_all(path); }
    fs::path path;
};

// A cooldown of 10 minutes decided the way app/policy.h does, to exercise the store's half.
PendingAlert cooled(const std::string& key, SysSeconds now) {
    PendingAlert p{"wl", "alert.wl", "wl/" + key,
                   [key](std::int64_t seq) { return "{\"seq\":" + std::to_string(seq) + ",\"k\":\"" + key + "\"}"; },
                   {}};
    p.policy = [now](const PolicyState& state) {
        const auto& window = state.window_until;
        if (state.pending_summary_due) return PolicyDecision{true, "cooldown", *state.pending_summary_due, std::nullopt};
        if (window && *window > now) return PolicyDecision{true, "cooldown", *window, std::nullopt};
        return PolicyDecision{false, "", {}, now + 10min};
    };
    return p;
}

RecordRequest burst(std::int64_t feed, std::vector<std::string> keys, SysSeconds now) {
    RecordRequest r;
    r.feed_id = feed;
    r.now = now;
    for (const auto& k : keys) r.items.push_back({k, "hash-" + k, std::nullopt, {cooled(k, now)}});
    return r;
}

TEST(HeldMatches, ABurstIsOneAlertAndTheRestHeldUntilTheWindowEnds) {
    TempDir dir;
    std::int64_t feed = 0;
    {
        auto store = *Store::open(dir.path);
        feed = store.ensure_feed("http://x/a.rss")->id;
        ASSERT_TRUE(store.record(burst(feed, {"seed"}, at(0))).has_value());  // the catch-up
        auto r = store.record(burst(feed, {"a", "b", "c"}, at(1)));
        ASSERT_TRUE(r.has_value()) << r.error().message;
        ASSERT_EQ(r->alerts.size(), 1u);
        EXPECT_EQ(r->alerts[0].seq, 1);
        EXPECT_EQ(r->held, 2u);
        EXPECT_EQ(*store.cooldown_window("wl"), at(11));
        EXPECT_TRUE(store.due_held(at(10))->empty());
    }
    // Reopened (a restart): the held matches are still there, due at the window's end.
    auto store = *Store::open(dir.path);
    auto due = store.due_held(at(11));
    ASSERT_TRUE(due.has_value());
    ASSERT_EQ(due->size(), 2u);
    EXPECT_EQ((*due)[0].kind, "cooldown");
    EXPECT_EQ((*due)[0].envelope, "{\"seq\":0,\"k\":\"b\"}");
    HeldEmission e{"wl", "alert.wl", "summary-1", {(*due)[0].id, (*due)[1].id},
                   [](std::int64_t seq) { return "summary " + std::to_string(seq); }, at(21)};
    auto emitted = store.emit_held(std::span(&e, 1), at(11));
    ASSERT_TRUE(emitted.has_value()) << emitted.error().message;
    ASSERT_EQ(emitted->size(), 1u);
    EXPECT_EQ((*emitted)[0].seq, 2);
    EXPECT_EQ((*emitted)[0].envelope, "summary 2");
    EXPECT_EQ(*store.held_count(), 0u);
    EXPECT_EQ(*store.cooldown_window("wl"), at(21));
    // The same emission again (a retry) records nothing and takes no seq.
    EXPECT_TRUE(store.emit_held(std::span(&e, 1), at(12))->empty());
    EXPECT_EQ(*store.last_seq(), 2);
    EXPECT_EQ(store.alerts_after(0, "", 10)->size(), 2u);
}

TEST(HeldMatches, AnItemSeenAgainIsNeitherHeldNorAlertedTwice) {
    TempDir dir;
    auto store = *Store::open(dir.path);
    const auto feed = store.ensure_feed("http://x/a.rss")->id;
    ASSERT_TRUE(store.record(burst(feed, {"seed"}, at(0))).has_value());
    ASSERT_TRUE(store.record(burst(feed, {"a", "b"}, at(1))).has_value());
    auto again = store.record(burst(feed, {"a", "b"}, at(2)));
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->held, 0u);
    EXPECT_EQ(*store.held_count(), 1u);
}

TEST(HeldMatches, AHeldStoryOpenerHeldAgainAfterItsSeenMarkWasPrunedIsRecorded) {
    // The story of a held opener is stored with seq 0; should the same item come back once its
    // seen-mark is pruned and be held again, that row exists already: the record must still go in.
    TempDir dir;
    auto store = *Store::open(dir.path);
    const auto feed = store.ensure_feed("http://x/a.rss")->id;
    ASSERT_TRUE(store.record(burst(feed, {"seed"}, at(0))).has_value());
    auto with_story = [&](SysSeconds now) {
        auto r = burst(feed, {"a", "b"}, now);
        r.items[1].alerts[0].story = StorySource{"wl", "wl/b", "B", "http://x/b", "http://x/b", "00", true};
        return r;
    };
    ASSERT_TRUE(store.record(with_story(at(1))).has_value());
    auto due = store.due_held(at(11));
    ASSERT_EQ(due->size(), 1u);
    HeldEmission e{"wl", "alert.wl", "summary-1", {(*due)[0].id},
                   [](std::int64_t seq) { return "summary " + std::to_string(seq); }, at(21)};
    ASSERT_EQ(store.emit_held(std::span(&e, 1), at(11))->size(), 1u);
    // A later fetch without them, then retention: "a" and "b" are forgotten, "c" is held.
    ASSERT_TRUE(store.record(burst(feed, {"c"}, at(12))).has_value());
    ASSERT_EQ(*store.prune_seen(at(15)), 3u);  // seed, a, b
    auto again = store.record(with_story(at(15)));
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_EQ(again->new_items, 2u);
    EXPECT_TRUE(again->alerts.empty());  // "a" alerted at 1 is not alerted again: its id exists
    EXPECT_EQ(*store.held_count(), 2u);  // "c", and "b" held once more
    EXPECT_EQ(store.story_sources("wl", "wl/b")->size(), 1u);
}

TEST(HeldMatches, AnEmissionWhoseIdIsTakenKeepsItsHeldMatches) {
    TempDir dir;
    auto store = *Store::open(dir.path);
    const auto feed = store.ensure_feed("http://x/a.rss")->id;
    ASSERT_TRUE(store.record(burst(feed, {"seed"}, at(0))).has_value());
    ASSERT_TRUE(store.record(burst(feed, {"a", "b"}, at(1))).has_value());  // "a" alerted: id wl/a
    auto due = store.due_held(at(11));
    ASSERT_EQ(due->size(), 1u);
    HeldEmission clash{"wl", "alert.wl", "wl/a", {(*due)[0].id},
                       [](std::int64_t seq) { return "summary " + std::to_string(seq); }, at(21)};
    EXPECT_FALSE(store.emit_held(std::span(&clash, 1), at(11)).has_value());
    EXPECT_EQ(*store.held_count(), 1u);
    EXPECT_EQ(*store.last_seq(), 1);
}

TEST(HeldMatches, AMatchAfterTheWindowButBeforeItsSummaryJoinsTheSummary) {
    TempDir dir;
    auto store = *Store::open(dir.path);
    const auto feed = store.ensure_feed("http://x/a.rss")->id;
    ASSERT_TRUE(store.record(burst(feed, {"seed"}, at(0))).has_value());
    ASSERT_TRUE(store.record(burst(feed, {"a", "b"}, at(1))).has_value());
    auto late = store.record(burst(feed, {"c"}, at(12)));  // window ended at 11, summary not out
    ASSERT_TRUE(late.has_value());
    EXPECT_TRUE(late->alerts.empty());
    auto due = store.due_held(at(12));
    ASSERT_EQ(due->size(), 2u);
    EXPECT_EQ((*due)[1].due_at, at(11)) << "the same summary as b";
}

}  // namespace
}  // namespace ww::store
