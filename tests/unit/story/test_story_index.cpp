#include "story/story_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "story/link.h"

namespace {

using namespace std::chrono_literals;
using ww::SysSeconds;
using ww::story::Fingerprint;
using ww::story::sketch_of;
using ww::story::StoryIndex;
using ww::story::StoryOptions;

const SysSeconds t0{std::chrono::sys_days{std::chrono::year{2026} / 11 / 27}};

std::vector<std::string> words(const std::string& prefix, int from, int to) {
    std::vector<std::string> out;
    for (int i = from; i < to; ++i) out.push_back(prefix + std::to_string(i));
    return out;
}

// An item of `topic` sharing words [shift, shift + 20) of the topic's vocabulary.
Fingerprint item(const std::string& link, const std::string& topic, int shift = 0) {
    return Fingerprint{ww::story::canonical_link(link), sketch_of(words(topic, shift, shift + 20), {})};
}

TEST(StoryIndex, FirstItemOpensAStoryWithTheGivenId) {
    StoryIndex index;
    const auto a = index.assign("tariffs", item("https://a.example/1", "lavrov"), "alert-1", t0);
    EXPECT_TRUE(a.is_new);
    EXPECT_EQ(a.story_id, "alert-1");
    EXPECT_EQ(a.sources, 1u);
    EXPECT_EQ(index.open_stories("tariffs"), 1u);
}

TEST(StoryIndex, SameCanonicalLinkJoinsWithoutCountingASource) {
    StoryIndex index;
    index.assign("w", item("https://www.a.example/1?utm_source=rss", "lavrov"), "alert-1", t0);
    // Retitled: the words changed entirely, the link did not.
    const auto b = index.assign("w", item("http://a.example/1#top", "other"), "alert-2", t0 + 1h);
    EXPECT_FALSE(b.is_new);
    EXPECT_EQ(b.story_id, "alert-1");
    EXPECT_TRUE(b.known_link);
    EXPECT_EQ(b.sources, 1u);
    EXPECT_EQ(b.similarity, 1.0);
}

TEST(StoryIndex, SimilarTextFromAnotherOutletJoinsAndCounts) {
    StoryIndex index;
    index.assign("w", item("https://a.example/1", "lavrov", 0), "alert-1", t0);
    // 15 of 20 words shared: Jaccard 15/25 = 0.6.
    const auto b = index.assign("w", item("https://b.example/x", "lavrov", 5), "alert-2", t0 + 2h);
    EXPECT_FALSE(b.is_new);
    EXPECT_EQ(b.story_id, "alert-1");
    EXPECT_FALSE(b.known_link);
    EXPECT_EQ(b.sources, 2u);
    EXPECT_GT(b.similarity, 0.4);
    // The second outlet's link is now a source too.
    const auto c = index.assign("w", item("https://b.example/x", "unrelated"), "alert-3", t0 + 3h);
    EXPECT_EQ(c.story_id, "alert-1");
    EXPECT_TRUE(c.known_link);
}

TEST(StoryIndex, DifferentStoryOpensItsOwn) {
    StoryIndex index;
    index.assign("w", item("https://a.example/1", "lavrov"), "alert-1", t0);
    const auto b = index.assign("w", item("https://a.example/2", "tariffs"), "alert-2", t0 + 1h);
    EXPECT_TRUE(b.is_new);
    EXPECT_EQ(b.story_id, "alert-2");
    EXPECT_EQ(index.open_stories(), 2u);
}

TEST(StoryIndex, BelowThresholdDoesNotJoin) {
    StoryIndex index(StoryOptions{.threshold = 0.5});
    index.assign("w", item("https://a.example/1", "lavrov", 0), "alert-1", t0);
    // 8 of 20 shared: Jaccard 8/32 = 0.25 < 0.5.
    EXPECT_TRUE(index.assign("w", item("https://b.example/1", "lavrov", 12), "alert-2", t0).is_new);
}

TEST(StoryIndex, ClosestStoryWins) {
    StoryIndex index(StoryOptions{.threshold = 0.2});
    index.assign("w", item("https://a.example/1", "lavrov", 0), "far", t0);
    // No word in common with "far": a story of its own.
    ASSERT_TRUE(index.assign("w", item("https://a.example/2", "lavrov", 20), "near", t0 + 1min).is_new);
    // 8 of 20 words shared with "far", 12 with "near".
    const auto c = index.assign("w", item("https://c.example/1", "lavrov", 12), "alert-3", t0 + 2min);
    EXPECT_EQ(c.story_id, "near");
}

TEST(StoryIndex, WatchlistsAreSeparate) {
    StoryIndex index;
    index.assign("a", item("https://a.example/1", "lavrov"), "alert-a", t0);
    const auto b = index.assign("b", item("https://a.example/1", "lavrov"), "alert-b", t0);
    EXPECT_TRUE(b.is_new);
    EXPECT_EQ(b.story_id, "alert-b");
}

TEST(StoryIndex, StoriesCloseAfterTheWindowFromTheFirstAlert) {
    StoryIndex index(StoryOptions{.window = 48h});
    index.assign("w", item("https://a.example/1", "lavrov"), "alert-1", t0);
    // Still open at exactly 48 h, and a late source does not extend the window.
    EXPECT_FALSE(index.assign("w", item("https://b.example/1", "lavrov", 1), "x", t0 + 47h).is_new);
    EXPECT_FALSE(index.assign("w", item("https://a.example/1", "lavrov"), "x", t0 + 48h).is_new);
    const auto late = index.assign("w", item("https://a.example/1", "lavrov"), "alert-2", t0 + 48h + 1s);
    EXPECT_TRUE(late.is_new);
    EXPECT_EQ(late.story_id, "alert-2");
    EXPECT_EQ(index.open_stories("w"), 1u);
}

TEST(StoryIndex, ExpireClosesEveryWatchlist) {
    StoryIndex index;
    index.assign("a", item("https://a.example/1", "x"), "1", t0);
    index.assign("b", item("https://a.example/2", "y"), "2", t0 + 10h);
    index.expire(t0 + 49h);
    EXPECT_EQ(index.open_stories(), 1u);
    EXPECT_EQ(index.open_stories("b"), 1u);
    index.forget("b");
    EXPECT_EQ(index.open_stories(), 0u);
}

TEST(StoryIndex, MemoryIsBoundedByClosingTheOldest) {
    StoryIndex index(StoryOptions{.max_open_stories = 3});
    for (int i = 0; i < 5; ++i)
        index.assign("w", item("https://a.example/" + std::to_string(i), "topic" + std::to_string(i) + "_"),
                     "alert-" + std::to_string(i), t0 + std::chrono::minutes(i));
    EXPECT_EQ(index.open_stories("w"), 3u);
    // The two oldest are gone (by link and by sketch), the newest still answer.
    EXPECT_TRUE(index.assign("w", item("https://a.example/0", "topic0_"), "again-0", t0 + 1h).is_new);
    EXPECT_EQ(index.assign("w", item("https://a.example/4", "topic4_"), "x", t0 + 1h).story_id, "alert-4");
}

TEST(StoryIndex, ShortTextsJoinByLinkOnly) {
    StoryIndex index(StoryOptions{.min_features = 4});
    const Fingerprint tiny{"https://a.example/1", sketch_of(std::vector<std::string>{"ukraine", "war"}, {})};
    index.assign("w", tiny, "alert-1", t0);
    const Fingerprint other{"https://b.example/9", tiny.sketch};
    EXPECT_TRUE(index.assign("w", other, "alert-2", t0).is_new);
}

// Words in more than max_postings open stories are not looked up; a story is still found
// through two rarer shared words, and the common ones count when it is compared.
TEST(StoryIndex, CommonWordsAreSkippedButStillCount) {
    StoryIndex index(StoryOptions{.max_postings = 10});
    for (int i = 0; i < 100; ++i) {
        auto w = words("common", 0, 6);
        // 6 of 20 words in common with every other story: overlap 0.3, each its own story.
        for (const auto& x : words("story" + std::to_string(i) + "_", 0, 14)) w.push_back(x);
        index.assign("w", Fingerprint{"", sketch_of(w, {})}, "s" + std::to_string(i), t0);
    }
    ASSERT_EQ(index.open_stories("w"), 100u);
    // 6 common + 2 of story 42's words, out of 10: overlap 0.8 with story 42 (0.6 with every
    // other story, through common words alone: those never make a story a candidate).
    auto w = words("common", 0, 6);
    for (const auto& x : words("story42_", 0, 2)) w.push_back(x);
    for (const auto& x : words("fresh", 0, 2)) w.push_back(x);
    const auto before = index.stats();
    const auto a = index.peek("w", Fingerprint{"", sketch_of(w, {})}, t0);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->story_id, "s42");
    EXPECT_DOUBLE_EQ(a->similarity, 8.0 / 10.0);
    // Only the rare words' postings were read, and only story 42 was compared.
    EXPECT_EQ(index.stats().compared - before.compared, 1u);
    EXPECT_LE(index.stats().postings - before.postings, 2u);
}

TEST(StoryIndex, PeekRecordsNothing) {
    StoryIndex index;
    index.assign("w", item("https://a.example/1", "lavrov", 0), "alert-1", t0);
    const auto p = index.peek("w", item("https://b.example/1", "lavrov", 2), t0 + 1h);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->story_id, "alert-1");
    EXPECT_EQ(p->sources, 2u);
    EXPECT_FALSE(index.peek("w", item("https://b.example/1", "other"), t0).has_value());
    EXPECT_FALSE(index.peek("nobody", item("https://a.example/1", "lavrov"), t0).has_value());
    EXPECT_EQ(index.assign("w", item("https://c.example/1", "lavrov", 1), "x", t0).sources, 2u);
}

TEST(StoryIndex, ExportImportRoundTrip) {
    StoryIndex index;
    index.assign("w", item("https://a.example/1", "lavrov", 0), "alert-1", t0);
    index.assign("w", item("https://b.example/1", "lavrov", 3), "x", t0 + 1h);
    index.assign("w", item("https://a.example/2", "tariffs"), "alert-2", t0 + 2h);
    index.assign("v", item("https://a.example/3", "old"), "alert-3", t0 - 47h);
    const auto state = index.export_state();
    ASSERT_EQ(state.size(), 3u);

    StoryIndex rebuilt;
    rebuilt.import_state(state, t0 + 2h);  // "v"'s story is past the window by now
    EXPECT_EQ(rebuilt.open_stories(), 2u);
    const auto a = rebuilt.assign("w", item("https://b.example/1?utm_medium=x", "zzz"), "new", t0 + 3h);
    EXPECT_EQ(a.story_id, "alert-1");
    EXPECT_EQ(a.sources, 2u);
    const auto b = rebuilt.assign("w", item("https://c.example/1", "lavrov", 2), "new", t0 + 3h);
    EXPECT_EQ(b.story_id, "alert-1");
    EXPECT_EQ(b.sources, 3u);
    const auto c = rebuilt.assign("w", item("https://d.example/1", "tariffs", 1), "new", t0 + 3h);
    EXPECT_EQ(c.story_id, "alert-2");

    auto again = rebuilt.export_state();
    ASSERT_EQ(again.size(), 2u);
    EXPECT_EQ(again[0].story_id, "alert-1");
    EXPECT_EQ(again[0].first_seen, t0);
    EXPECT_EQ(again[0].last_seen, t0 + 3h);
    EXPECT_EQ(again[0].links.size(), 3u);
}

// The index against a linear scan of the same rule, on random items that often share words
// and links: with nothing skipped (max_postings above the story count) the answers are equal.
struct RefStory {
    std::string id;
    ww::SysSeconds first_seen;
    std::uint32_t sources = 1;
    std::vector<std::string> link_keys;
    std::vector<ww::story::Sketch> sketches;
};

ww::story::Assignment reference_assign(std::vector<RefStory>& stories, const StoryOptions& o,
                                       const Fingerprint& fp, const std::string& id, ww::SysSeconds now) {
    std::erase_if(stories, [&](const RefStory& s) { return now - s.first_seen > o.window; });
    const auto key = ww::story::link_key(fp.link);
    if (!key.empty()) {
        for (auto& s : stories)
            if (std::find(s.link_keys.begin(), s.link_keys.end(), key) != s.link_keys.end())
                return {s.id, false, s.sources, true, 1.0};
    }
    RefStory* best = nullptr;
    double best_sim = 0;
    if (fp.sketch.features >= o.min_features) {
        for (auto& s : stories) {
            for (const auto& sk : s.sketches) {
                if (sk.features < o.min_features) continue;
                const auto shared = ww::story::shared_words(fp.sketch, sk);
                const double sim = ww::story::overlap(fp.sketch, sk);
                if (shared < o.min_shared_words || sim < o.threshold) continue;
                if (!best || sim > best_sim) {  // stories are in age order: ties keep the older
                    best = &s;
                    best_sim = sim;
                }
            }
        }
    }
    if (best) {
        ++best->sources;
        if (!key.empty()) best->link_keys.push_back(key);
        if (best->sketches.size() < o.sketches_per_story) best->sketches.push_back(fp.sketch);
        return {best->id, false, best->sources, false, best_sim};
    }
    stories.push_back({id, now, 1, key.empty() ? std::vector<std::string>{} : std::vector<std::string>{key},
                       {fp.sketch}});
    return {id, true, 1, false, 0.0};
}

TEST(StoryIndex, AgreesWithALinearScan) {
    const StoryOptions options{.window = 6h, .max_postings = 1'000'000};
    StoryIndex index(options);
    std::vector<RefStory> reference;
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> topic(0, 40), word(0, 11), length(2, 10), coin(0, 9), link(0, 400);
    int joined = 0, by_link = 0;
    for (int i = 0; i < 2'000; ++i) {
        // Items of one topic draw from the same 12 words: many overlap enough to join.
        const auto t = std::to_string(topic(rng));
        std::vector<std::string> title;
        for (int k = length(rng); k > 0; --k) title.push_back("t" + t + "w" + std::to_string(word(rng)));
        const auto url = coin(rng) < 3 ? "https://a.example/" + std::to_string(link(rng)) : std::string();
        const Fingerprint fp{url, sketch_of(title, {})};
        const auto now = t0 + std::chrono::minutes(i);
        const auto id = "alert-" + std::to_string(i);
        const auto got = index.assign("w", fp, id, now);
        const auto want = reference_assign(reference, options, fp, id, now);
        ASSERT_EQ(got.story_id, want.story_id) << "item " << i;
        ASSERT_EQ(got.is_new, want.is_new) << "item " << i;
        ASSERT_EQ(got.sources, want.sources) << "item " << i;
        ASSERT_EQ(got.known_link, want.known_link) << "item " << i;
        ASSERT_DOUBLE_EQ(got.similarity, want.similarity) << "item " << i;
        joined += !got.is_new;
        by_link += got.known_link;
    }
    // The case is only worth something if it exercised every path.
    EXPECT_GT(joined, 200);
    EXPECT_GT(by_link, 20);
    EXPECT_EQ(index.open_stories(), reference.size());
}

}  // namespace
