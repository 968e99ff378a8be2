#include "story/story_index.h"

#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>

#include "story/link.h"

namespace ww::story {
namespace {

constexpr std::uint16_t kMinRareHits = 2;

struct Story {
    std::string id;
    SysSeconds first_seen{};
    SysSeconds last_seen{};
    std::uint32_t sources = 1;
    std::uint32_t generation = 0;  // tells this story's posting entries from a closed one's
    std::vector<std::string> links;
    std::vector<Sketch> sketches;
    bool open = false;
};

struct Entry {
    std::uint32_t slot = 0;
    std::uint32_t generation = 0;
};

// Closed stories leave their entries behind (removing them from long lists on every close
// would cost more than skipping them); a list is compacted once half of it is stale.
struct Posting {
    std::vector<Entry> entries;
    std::uint32_t stale = 0;
    std::size_t live() const { return entries.size() - stale; }
};

struct Match {
    std::uint32_t slot = 0;
    double similarity = 0.0;
    bool by_link = false;
};

bool contains(const Sketch& s, std::uint32_t word) {
    return std::binary_search(s.words.begin(), s.words.end(), word);
}

// Words of sketches[index] that no earlier posted sketch of the story has: a story is posted
// once per word, so a hit count is a count of distinct shared words. Sketches with fewer than
// min_features words are never posted, so they do not hide words either.
template <class F>
void for_new_words(const std::vector<Sketch>& sketches, std::size_t index, std::uint16_t min_features, F&& f) {
    for (const auto w : sketches[index].words) {
        bool seen = false;
        for (std::size_t k = 0; k < index && !seen; ++k)
            seen = sketches[k].features >= min_features && contains(sketches[k], w);
        if (!seen) f(w);
    }
}

}  // namespace

struct StoryIndex::Shelf {
    std::vector<Story> stories;          // by slot
    // By slot, what the candidate loop reads, packed so that one posting entry costs one cache
    // line: the open story's generation (0 = closed), its smallest sketch, and the scratch
    // counters of the lookup in progress.
    struct Hot {
        std::uint32_t generation = 0;
        std::uint32_t mark = 0;  // the lookup that last counted this slot
        std::uint16_t hits = 0;
        std::uint16_t smallest = 0;  // words in the story's smallest comparable sketch
    };
    mutable std::vector<Hot> hot;
    std::vector<std::uint32_t> free;     // closed slots, reused
    std::deque<std::uint32_t> order;     // open slots, oldest first
    std::unordered_map<std::string, std::uint32_t> by_link;  // link_key -> slot
    std::unordered_map<std::uint32_t, Posting> postings;     // sketch word -> open stories
    std::uint32_t generation = 0;
    mutable std::vector<std::uint32_t> touched;  // slots counted by the lookup in progress
    mutable std::uint32_t probe = 0;
    std::size_t open = 0;
};

struct StoryIndex::Impl {
    StoryOptions options;
    mutable StoryStats stats;
    std::map<std::string, Shelf, std::less<>> shelves;

    bool expired(const Story& s, SysSeconds now) const { return now - s.first_seen > options.window; }
    bool comparable(const Sketch& s) const { return s.features >= options.min_features; }

    // Adds sketch `index` of the story in `slot` to the posting lists.
    void post_sketch(Shelf& shelf, std::uint32_t slot, std::size_t index) const {
        const auto& story = shelf.stories[slot];
        if (!comparable(story.sketches[index])) return;
        for_new_words(story.sketches, index, options.min_features, [&](std::uint32_t w) {
            shelf.postings[w].entries.push_back({slot, story.generation});
        });
    }

    void add_link(Shelf& shelf, std::uint32_t slot, const std::string& link) const {
        auto& story = shelf.stories[slot];
        if (link.empty() || story.links.size() >= options.links_per_story) return;
        auto key = link_key(link);
        if (key.empty()) return;
        story.links.push_back(link);
        shelf.by_link.emplace(std::move(key), slot);  // the first story to claim a link keeps it
    }

    void add_sketch(Shelf& shelf, std::uint32_t slot, const Sketch& sketch) const {
        auto& story = shelf.stories[slot];
        if (story.sketches.size() >= options.sketches_per_story) return;
        story.sketches.push_back(sketch);
        post_sketch(shelf, slot, story.sketches.size() - 1);
        if (comparable(sketch)) {
            auto& smallest = shelf.hot[slot].smallest;
            smallest = std::min<std::uint16_t>(smallest, static_cast<std::uint16_t>(sketch.words.size()));
        }
    }

    void unpost(Shelf& shelf, const Story& story) const {
        for (std::size_t i = 0; i < story.sketches.size(); ++i) {
            if (!comparable(story.sketches[i])) continue;
            for_new_words(story.sketches, i, options.min_features, [&](std::uint32_t w) {
                const auto it = shelf.postings.find(w);
                if (it == shelf.postings.end()) return;
                auto& p = it->second;
                if (++p.stale * 2 < p.entries.size()) return;
                std::erase_if(p.entries,
                              [&](const Entry& e) { return shelf.hot[e.slot].generation != e.generation; });
                p.stale = 0;
                if (p.entries.empty()) shelf.postings.erase(it);
            });
        }
    }

    void close_front(Shelf& shelf) const {
        const auto slot = shelf.order.front();
        shelf.order.pop_front();
        auto& story = shelf.stories[slot];
        for (const auto& link : story.links) {
            const auto it = shelf.by_link.find(link_key(link));
            if (it != shelf.by_link.end() && it->second == slot) shelf.by_link.erase(it);
        }
        story.open = false;  // first, so that compaction in unpost() drops its entries
        shelf.hot[slot] = {};
        unpost(shelf, story);
        story = Story{};
        shelf.free.push_back(slot);
        --shelf.open;
    }

    void expire(Shelf& shelf, SysSeconds now) const {
        while (!shelf.order.empty() && expired(shelf.stories[shelf.order.front()], now)) close_front(shelf);
    }

    std::uint32_t open_story(Shelf& shelf, Story story) const {
        std::uint32_t slot;
        if (!shelf.free.empty()) {
            slot = shelf.free.back();
            shelf.free.pop_back();
        } else {
            slot = static_cast<std::uint32_t>(shelf.stories.size());
            shelf.stories.emplace_back();
            shelf.hot.emplace_back();
        }
        auto links = std::move(story.links);
        auto sketches = std::move(story.sketches);
        story.links.clear();
        story.sketches.clear();
        story.open = true;
        story.generation = ++shelf.generation;
        shelf.hot[slot] = {story.generation, 0, 0, 0xffff};
        shelf.stories[slot] = std::move(story);
        for (const auto& link : links) add_link(shelf, slot, link);
        for (const auto& sketch : sketches) add_sketch(shelf, slot, sketch);
        shelf.order.push_back(slot);
        ++shelf.open;
        while (shelf.open > options.max_open_stories) close_front(shelf);
        return slot;
    }

    // Counts, per open story, the item's rarer words it holds; `common` is how many of the
    // item's words were too common to look up (any story may hold them).
    std::size_t count_hits(const Shelf& shelf, const Sketch& sketch) const {
        std::size_t common = 0;
        if (++shelf.probe == 0) {  // wrapped: old marks could pass for this lookup's
            for (auto& h : shelf.hot) h.mark = 0;
            shelf.probe = 1;
        }
        const auto probe = shelf.probe;
        ++stats.lookups;
        shelf.touched.clear();
        for (const auto w : sketch.words) {
            const auto it = shelf.postings.find(w);
            if (it == shelf.postings.end()) continue;
            if (it->second.live() > options.max_postings) {
                ++common;
                continue;
            }
            stats.postings += it->second.entries.size();
            for (const auto& e : it->second.entries) {
                auto& h = shelf.hot[e.slot];
                if (h.generation != e.generation) continue;
                if (h.mark != probe) {
                    h.mark = probe;
                    h.hits = 0;
                    shelf.touched.push_back(e.slot);
                }
                ++h.hits;
            }
        }
        return common;
    }

    std::optional<Match> find(const Shelf& shelf, const Fingerprint& fp, SysSeconds now) const {
        if (const auto key = link_key(fp.link); !key.empty()) {
            const auto it = shelf.by_link.find(key);
            if (it != shelf.by_link.end() && !expired(shelf.stories[it->second], now))
                return Match{it->second, 1.0, true};
        }
        if (!comparable(fp.sketch)) return std::nullopt;
        const auto common = count_hits(shelf, fp.sketch);
        const auto n = fp.sketch.words.size();
        std::optional<Match> best;
        for (const auto slot : shelf.touched) {
            // At most hits + common shared words: skip the story unless that could reach both
            // the word minimum and the threshold against its smallest sketch. When common words
            // were skipped, two rarer shared words are also required: otherwise every story
            // holding one rare word would be compared (bench/story/RESULTS.md).
            const auto& h = shelf.hot[slot];
            if (common > 0 && h.hits < kMinRareHits) continue;
            const std::size_t reachable = h.hits + common;
            if (reachable < options.min_shared_words) continue;
            if (static_cast<double>(reachable) < options.threshold * static_cast<double>(std::min<std::size_t>(n, h.smallest)))
                continue;
            const auto& story = shelf.stories[slot];
            if (expired(story, now)) continue;
            ++stats.compared;
            for (const auto& sketch : story.sketches) {
                if (!comparable(sketch)) continue;
                const auto shared = shared_words(fp.sketch, sketch);
                if (shared < options.min_shared_words) continue;
                const auto sim = static_cast<double>(shared) /
                                 static_cast<double>(std::min(fp.sketch.words.size(), sketch.words.size()));
                // Ties go to the older story, so the answer does not depend on hash-map order.
                if (sim >= options.threshold &&
                    (!best || sim > best->similarity ||
                     (sim == best->similarity && story.first_seen < shelf.stories[best->slot].first_seen)))
                    best = Match{slot, sim, false};
            }
        }
        return best;
    }

    Assignment answer(const Shelf& shelf, const Match& m) const {
        const auto& story = shelf.stories[m.slot];
        return Assignment{story.id, false, story.sources, m.by_link, m.similarity};
    }
};

StoryIndex::StoryIndex(StoryOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = options;
}
StoryIndex::~StoryIndex() = default;
StoryIndex::StoryIndex(StoryIndex&&) noexcept = default;
StoryIndex& StoryIndex::operator=(StoryIndex&&) noexcept = default;

Assignment StoryIndex::assign(std::string_view watchlist, const Fingerprint& fp,
                              std::string_view new_story_id, SysSeconds now) {
    auto it = impl_->shelves.find(watchlist);
    if (it == impl_->shelves.end()) it = impl_->shelves.emplace(std::string(watchlist), Shelf{}).first;
    auto& shelf = it->second;
    impl_->expire(shelf, now);
    if (const auto m = impl_->find(shelf, fp, now)) {
        auto& story = shelf.stories[m->slot];
        story.last_seen = std::max(story.last_seen, now);
        if (!m->by_link) {
            ++story.sources;
            impl_->add_link(shelf, m->slot, fp.link);
            impl_->add_sketch(shelf, m->slot, fp.sketch);
        }
        return impl_->answer(shelf, *m);
    }
    Story story;
    story.id = std::string(new_story_id);
    story.first_seen = now;
    story.last_seen = now;
    if (!fp.link.empty()) story.links.push_back(fp.link);
    story.sketches.push_back(fp.sketch);
    impl_->open_story(shelf, std::move(story));
    return Assignment{std::string(new_story_id), true, 1, false, 0.0};
}

std::optional<Assignment> StoryIndex::peek(std::string_view watchlist, const Fingerprint& fp,
                                           SysSeconds now) const {
    const auto it = impl_->shelves.find(watchlist);
    if (it == impl_->shelves.end()) return std::nullopt;
    const auto m = impl_->find(it->second, fp, now);
    if (!m) return std::nullopt;
    auto a = impl_->answer(it->second, *m);
    if (!m->by_link) ++a.sources;
    return a;
}

void StoryIndex::expire(SysSeconds now) {
    for (auto& [name, shelf] : impl_->shelves) impl_->expire(shelf, now);
}

void StoryIndex::forget(std::string_view watchlist) {
    const auto it = impl_->shelves.find(watchlist);
    if (it != impl_->shelves.end()) impl_->shelves.erase(it);
}

std::size_t StoryIndex::open_stories() const {
    std::size_t n = 0;
    for (const auto& [name, shelf] : impl_->shelves) n += shelf.open;
    return n;
}

std::size_t StoryIndex::open_stories(std::string_view watchlist) const {
    const auto it = impl_->shelves.find(watchlist);
    return it == impl_->shelves.end() ? 0 : it->second.open;
}

const StoryOptions& StoryIndex::options() const { return impl_->options; }
StoryStats StoryIndex::stats() const { return impl_->stats; }

std::vector<StoryState> StoryIndex::export_state() const {
    std::vector<StoryState> out;
    for (const auto& [name, shelf] : impl_->shelves) {
        for (const auto slot : shelf.order) {
            const auto& s = shelf.stories[slot];
            out.push_back(StoryState{name, s.id, s.first_seen, s.last_seen, s.sources, s.links, s.sketches});
        }
    }
    return out;
}

void StoryIndex::import_state(std::span<const StoryState> stories, SysSeconds now) {
    impl_->shelves.clear();
    std::vector<const StoryState*> sorted;
    for (const auto& s : stories) sorted.push_back(&s);
    // Oldest first, so that expiry and the memory bound close the right ones.
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const StoryState* a, const StoryState* b) { return a->first_seen < b->first_seen; });
    for (const auto* s : sorted) {
        if (now - s->first_seen > impl_->options.window) continue;
        auto it = impl_->shelves.find(s->watchlist);
        if (it == impl_->shelves.end()) it = impl_->shelves.emplace(s->watchlist, Shelf{}).first;
        Story story;
        story.id = s->story_id;
        story.first_seen = s->first_seen;
        story.last_seen = s->last_seen;
        story.sources = s->sources;
        story.links = s->links;
        story.sketches = s->sketches;
        impl_->open_story(it->second, std::move(story));
    }
}

}  // namespace ww::story
