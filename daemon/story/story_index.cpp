#include "story/story_index.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <unordered_map>

#include "story/link.h"

namespace ww::story {
namespace {

// LSH bands of two slots each: a story whose sketch agrees with the item's in both slots of at
// least one band is a candidate. With 64 bands, a pair at Jaccard 0.25 becomes a candidate
// with probability 1 - (1 - 0.25^2)^64 = 0.98, a pair at 0.05 with 0.15.
constexpr std::size_t kRowsPerBand = 2;
constexpr std::size_t kBands = kSketchSlots / kRowsPerBand;

std::uint64_t band_key(const Sketch& s, std::size_t band) {
    return (static_cast<std::uint64_t>(band) << 32) |
           (static_cast<std::uint64_t>(s.slots[band * 2]) << 16) | s.slots[band * 2 + 1];
}

struct Story {
    std::string id;
    SysSeconds first_seen{};
    SysSeconds last_seen{};
    std::uint32_t sources = 1;
    std::vector<std::string> links;
    std::vector<Sketch> sketches;
    bool open = false;
};

struct Match {
    std::uint32_t slot = 0;
    double similarity = 0.0;
    bool by_link = false;
};

}  // namespace

struct StoryIndex::Shelf {
    std::vector<Story> stories;          // by slot
    std::vector<std::uint32_t> free;     // closed slots, reused
    std::deque<std::uint32_t> order;     // open slots, oldest first
    std::unordered_map<std::string, std::uint32_t> by_link;  // link_key -> slot
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> bands;
    mutable std::vector<std::uint32_t> seen_mark;  // per slot: the probe that last saw it
    mutable std::uint32_t probe = 0;
    std::size_t open = 0;
};

struct StoryIndex::Impl {
    StoryOptions options;
    std::map<std::string, Shelf, std::less<>> shelves;

    bool expired(const Story& s, SysSeconds now) const { return now - s.first_seen > options.window; }

    void index_sketch(Shelf& shelf, std::uint32_t slot, const Sketch& sketch) const {
        if (sketch.features < options.min_features) return;
        for (std::size_t b = 0; b < kBands; ++b) shelf.bands[band_key(sketch, b)].push_back(slot);
    }

    void index_link(Shelf& shelf, std::uint32_t slot, Story& story, const std::string& link) const {
        if (link.empty() || story.links.size() >= options.links_per_story) return;
        auto key = link_key(link);
        if (key.empty()) return;
        story.links.push_back(link);
        shelf.by_link.emplace(std::move(key), slot);  // the first story to claim a link keeps it
    }

    void close_front(Shelf& shelf) const {
        const auto slot = shelf.order.front();
        shelf.order.pop_front();
        auto& story = shelf.stories[slot];
        for (const auto& link : story.links) {
            const auto it = shelf.by_link.find(link_key(link));
            if (it != shelf.by_link.end() && it->second == slot) shelf.by_link.erase(it);
        }
        for (const auto& sketch : story.sketches) {
            if (sketch.features < options.min_features) continue;
            for (std::size_t b = 0; b < kBands; ++b) {
                const auto it = shelf.bands.find(band_key(sketch, b));
                if (it == shelf.bands.end()) continue;
                auto& v = it->second;
                // A slot appears once per band per sketch; two sketches of one story may share
                // a band, so remove one occurrence per sketch.
                const auto pos = std::find(v.begin(), v.end(), slot);
                if (pos != v.end()) {
                    *pos = v.back();
                    v.pop_back();
                }
                if (v.empty()) shelf.bands.erase(it);
            }
        }
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
            shelf.seen_mark.push_back(0);
        }
        auto links = std::move(story.links);
        auto sketches = std::move(story.sketches);
        story.links.clear();
        story.sketches.clear();
        story.open = true;
        shelf.stories[slot] = std::move(story);
        auto& s = shelf.stories[slot];
        for (const auto& link : links) index_link(shelf, slot, s, link);
        for (auto& sketch : sketches) {
            if (s.sketches.size() >= options.sketches_per_story) break;
            index_sketch(shelf, slot, sketch);
            s.sketches.push_back(sketch);
        }
        shelf.order.push_back(slot);
        ++shelf.open;
        while (shelf.open > options.max_open_stories) close_front(shelf);
        return slot;
    }

    std::optional<Match> find(const Shelf& shelf, const Fingerprint& fp, SysSeconds now) const {
        if (const auto key = link_key(fp.link); !key.empty()) {
            const auto it = shelf.by_link.find(key);
            if (it != shelf.by_link.end() && !expired(shelf.stories[it->second], now))
                return Match{it->second, 1.0, true};
        }
        if (fp.sketch.features < options.min_features) return std::nullopt;
        std::optional<Match> best;
        const auto probe = ++shelf.probe;
        for (std::size_t b = 0; b < kBands; ++b) {
            const auto it = shelf.bands.find(band_key(fp.sketch, b));
            if (it == shelf.bands.end()) continue;
            for (const auto slot : it->second) {
                if (shelf.seen_mark[slot] == probe) continue;
                shelf.seen_mark[slot] = probe;
                const auto& story = shelf.stories[slot];
                if (expired(story, now)) continue;
                for (const auto& sketch : story.sketches) {
                    if (std::lround(shared_words(fp.sketch, sketch)) < options.min_shared_words) continue;
                    const auto sim = overlap(fp.sketch, sketch);
                    // Ties go to the older story (smaller first_seen), so the answer does not
                    // depend on hash-map order.
                    if (sim >= options.threshold &&
                        (!best || sim > best->similarity ||
                         (sim == best->similarity && story.first_seen < shelf.stories[best->slot].first_seen)))
                        best = Match{slot, sim, false};
                }
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
            impl_->index_link(shelf, m->slot, story, fp.link);
            if (story.sketches.size() < impl_->options.sketches_per_story) {
                impl_->index_sketch(shelf, m->slot, fp.sketch);
                story.sketches.push_back(fp.sketch);
            }
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
