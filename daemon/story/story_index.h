#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/item.h"
#include "story/sketch.h"

namespace ww::story {

// What an item is recognised by across feeds.
struct Fingerprint {
    std::string link;  // canonical_link() of the item (may be empty)
    Sketch sketch;     // sketch_of() its analysed title and text
};

struct StoryOptions {
    std::chrono::seconds window = std::chrono::hours(48);  // from the story's first alert
    // overlap() at or above which an item joins a story (the share of the shorter item's
    // words found in the other); measured on the labelled pairs (docs/stories.md).
    double threshold = 0.4;
    // ... and at least this many shared words: two bare headlines that share "Ukraine" and
    // "war" are not one story.
    std::size_t min_shared_words = 3;
    // Sketches with fewer distinct words than this join by link only.
    std::uint16_t min_features = 4;
    // Each story is compared through at most this many of its sources' sketches (the first
    // ones): outlets retell a story differently, and more members find more of them.
    std::size_t sketches_per_story = 4;
    std::size_t links_per_story = 64;  // distinct links remembered per story
    // Words found in more open stories than this are not looked up, only counted when a
    // candidate is checked: in a watchlist about Ukraine, "ukraine" names every story, and
    // reading its posting list would cost more than it tells.
    std::size_t max_postings = 64;
    // Memory bound: beyond this many open stories in one watchlist, the oldest close early.
    std::size_t max_open_stories = 10'000;
};

// The answer for one item.
struct Assignment {
    std::string story_id;   // the first alert's alert_id
    bool is_new = false;    // true: alert; false: a story.update for story_id
    std::uint32_t sources = 1;  // sources of the story, this one included
    // The item's link was already a source of this story (a re-publication or an edit of the
    // same article): not counted again in `sources`.
    bool known_link = false;
    double similarity = 0.0;  // overlap() with the story's closest sketch; 1 for a link match
};

// The persistent form of one open story: plain values, so that the caller can store them or
// rebuild them from the alert log.
struct StoryState {
    std::string watchlist;
    std::string story_id;
    SysSeconds first_seen{};
    SysSeconds last_seen{};
    std::uint32_t sources = 1;
    std::vector<std::string> links;   // canonical links, first source first
    std::vector<Sketch> sketches;     // first sources first
};

// Work counters since construction (benchmarks, metrics).
struct StoryStats {
    std::uint64_t lookups = 0;   // sketch lookups (link matches not counted)
    std::uint64_t postings = 0;  // posting entries read
    std::uint64_t compared = 0;  // stories compared word by word
};

// Open stories per watchlist. Not thread-safe: the pipeline owns one and calls it from the
// place that records alerts. Candidates come from an inverted index of sketch words (each
// word's posting list of open stories), and only stories that can still reach the threshold
// are compared exactly: assign() costs a link lookup, one hash probe per word of the item and
// the postings of its rarer words (bench/story/RESULTS.md).
class StoryIndex {
public:
    explicit StoryIndex(StoryOptions options = {});
    ~StoryIndex();
    StoryIndex(StoryIndex&&) noexcept;
    StoryIndex& operator=(StoryIndex&&) noexcept;

    // Joins the item to an open story of `watchlist` (same link, or sketch overlap at or
    // above the threshold, the closest story winning) or opens a new story with id
    // `new_story_id` (the alert_id the caller will give the item's alert). Stories older than
    // the window are closed first. `now` is the caller's clock.
    Assignment assign(std::string_view watchlist, const Fingerprint& fingerprint,
                      std::string_view new_story_id, SysSeconds now);

    // The story the item would join, without recording anything (backtests, explanations).
    std::optional<Assignment> peek(std::string_view watchlist, const Fingerprint& fingerprint,
                                   SysSeconds now) const;

    // Closes every story whose window has passed.
    void expire(SysSeconds now);
    // A watchlist removed from the config: its stories go.
    void forget(std::string_view watchlist);

    std::size_t open_stories() const;
    std::size_t open_stories(std::string_view watchlist) const;
    const StoryOptions& options() const;
    StoryStats stats() const;

    // Every open story, oldest first per watchlist.
    std::vector<StoryState> export_state() const;
    // Replaces the content with these stories (their order does not matter); stories already
    // outside the window at `now` are skipped.
    void import_state(std::span<const StoryState> stories, SysSeconds now);

private:
    struct Shelf;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ww::story
