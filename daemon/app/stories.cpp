#include "app/stories.h"

#include <algorithm>
#include <unordered_set>

#include "core/text.h"
#include "match/analyzer.h"
#include "match/stemmer.h"
#include "story/link.h"
#include "story/sketch.h"

namespace ww::app {

StoryVerdict story_verdict(const story::Assignment& placed, bool feed_already_source) {
    if (placed.is_new) return StoryVerdict::alert;
    if (!placed.known_link) return StoryVerdict::story_update;
    return feed_already_source ? StoryVerdict::nothing : StoryVerdict::story_update;
}

std::vector<std::string> story_words(std::string_view text, std::string_view language,
                                     const match::Stemming& stemming) {
    std::string stripped;
    if (match::has_markup(text)) {
        stripped = match::strip_markup(text);
        text = stripped;
    }
    std::vector<match::Token> tokens;
    match::TokenCursor cursor;
    match::tokenize(text, match::Field::title, cursor, tokens, /*surfaces=*/false);
    const bool given = !language.empty();
    const auto lang = match::stem_language_of(language);
    std::vector<std::string> words;
    words.reserve(tokens.size());
    for (const auto& t : tokens)
        if (!t.part) words.push_back(stemming.stem(match::stem_language_for(t.script, lang, given), t.word));
    return words;
}

story::Fingerprint fingerprint_of(std::string_view title, std::string_view summary, std::string_view content,
                                  std::string_view link, std::string_view origin_link,
                                  std::string_view language, const match::Stemming& stemming) {
    const auto t = story_words(title, language, stemming);
    const auto x = story_words(summary.empty() ? content : summary, language, stemming);
    return story::Fingerprint{story::canonical_link(link, origin_link), story::sketch_of(t, x)};
}

story::Fingerprint for_watchlist(const story::Fingerprint& item, std::span<const std::string> terms,
                                 std::string_view language, const match::Stemming& stemming) {
    std::vector<std::string> words;
    for (const auto& term : terms)
        for (auto& w : story_words(term, language, stemming)) words.push_back(std::move(w));
    return story::Fingerprint{item.link, story::without_words(item.sketch, story::sketch_of(words, {}))};
}

// --- StoryBoard

StoryBoard::Shelf& StoryBoard::shelf_for(std::string_view watchlist, const StorySettings& settings,
                                        SysSeconds now) {
    const auto options = [&] {
        story::StoryOptions o;
        o.window = settings.window;
        o.threshold = settings.threshold;
        return o;
    };
    auto it = shelves_.find(watchlist);
    if (it == shelves_.end())
        return shelves_.emplace(std::string(watchlist), Shelf{settings, story::StoryIndex(options()), {}})
            .first->second;
    auto& shelf = it->second;
    if (!(shelf.settings == settings)) {
        // A reload changed the window or threshold: the open stories stay, judged by the new rules.
        const auto states = shelf.index.export_state();
        shelf.index = story::StoryIndex(options());
        shelf.index.import_state(states, now);
        shelf.settings = settings;
        std::erase_if(shelf.books, [&](const auto& b) { return now - b.second.opened > settings.window; });
    }
    return shelf;
}

void StoryBoard::drop_closed_books(Shelf& shelf) {
    std::unordered_set<std::string> open;
    for (auto& state : shelf.index.export_state()) open.insert(std::move(state.story_id));
    std::erase_if(shelf.books, [&](const auto& b) { return !open.contains(b.first); });
}

StoryBoard::Placement StoryBoard::place(std::string_view watchlist, const StorySettings& settings,
                                        const story::Fingerprint& fp, std::string_view alert_id,
                                        std::int64_t feed_id, SysSeconds now) {
    auto& shelf = shelf_for(watchlist, settings, now);
    const auto a = shelf.index.assign(watchlist, fp, alert_id, now);
    if (a.is_new) {
        shelf.books[a.story_id] = Book{1, {feed_id}, now};
        // The index closes its oldest stories early past max_open_stories; their books must go
        // too, or a busy watchlist's books would grow for a whole window. Checked rarely.
        if (shelf.books.size() > 2 * shelf.index.open_stories(watchlist) + 64) drop_closed_books(shelf);
        return {StoryVerdict::alert, a.story_id, 1, 0.0};
    }
    auto& book = shelf.books[a.story_id];
    if (book.sources == 0) book = Book{a.sources, {}, now};  // opened before the books were kept
    const bool known_feed = std::ranges::find(book.feeds, feed_id) != book.feeds.end();
    const auto verdict = story_verdict(a, known_feed);
    if (verdict == StoryVerdict::story_update) {
        ++book.sources;
        // A set of feeds, not a log of updates: a feed that keeps retelling a story (a live
        // blog) must not grow the book with every item.
        if (!known_feed) book.feeds.push_back(feed_id);
    }
    return {verdict, a.story_id, book.sources, a.similarity};
}

void StoryBoard::load(std::span<const store::StorySourceRow> rows,
                      const std::unordered_map<std::string, StorySettings>& settings, SysSeconds now) {
    shelves_.clear();
    // Group by watchlist, then by story in order of first appearance (rows come in seq order).
    std::map<std::string, std::vector<story::StoryState>, std::less<>> states;
    std::map<std::pair<std::string, std::string>, std::size_t> slot;
    std::map<std::pair<std::string, std::string>, Book> books;
    for (const auto& r : rows) {
        const auto key = std::pair{r.watchlist, r.story_id};
        auto& list = states[r.watchlist];
        auto [it, inserted] = slot.emplace(key, list.size());
        if (inserted) {
            if (!r.opens) {  // its opening source was pruned: the story is past any window
                slot.erase(it);
                continue;
            }
            list.push_back(story::StoryState{r.watchlist, r.story_id, r.added_at, r.added_at, 0, {}, {}});
        }
        auto& s = list[it->second];
        s.last_seen = std::max(s.last_seen, r.added_at);
        ++s.sources;
        if (!r.canonical_link.empty() && std::ranges::find(s.links, r.canonical_link) == s.links.end())
            s.links.push_back(r.canonical_link);
        if (auto sketch = story::sketch_from_hex(r.sketch); sketch && sketch->features > 0)
            s.sketches.push_back(std::move(*sketch));
        auto& book = books[key];
        ++book.sources;
        book.opened = s.first_seen;
        if (std::ranges::find(book.feeds, r.feed_id) == book.feeds.end()) book.feeds.push_back(r.feed_id);
    }
    for (auto& [watchlist, list] : states) {
        const auto found = settings.find(watchlist);
        auto& shelf = shelf_for(watchlist, found != settings.end() ? found->second : StorySettings{}, now);
        shelf.index.import_state(list, now);
    }
    for (auto& [key, book] : books) {
        const auto it = shelves_.find(key.first);
        if (it != shelves_.end()) it->second.books.emplace(key.second, std::move(book));
    }
    expire(now);
}

std::uint32_t StoryBoard::sources(std::string_view watchlist, std::string_view story_id) const {
    const auto it = shelves_.find(watchlist);
    if (it == shelves_.end()) return 0;
    const auto b = it->second.books.find(std::string(story_id));
    return b == it->second.books.end() ? 0 : b->second.sources;
}

void StoryBoard::expire(SysSeconds now) {
    for (auto& [name, shelf] : shelves_) {
        shelf.index.expire(now);
        std::erase_if(shelf.books, [&](const auto& b) { return now - b.second.opened > shelf.settings.window; });
    }
}

StoryBoard::Footprint StoryBoard::footprint() const {
    Footprint f;
    for (const auto& [name, shelf] : shelves_) {
        f.books += shelf.books.size();
        for (const auto& [id, book] : shelf.books) f.feed_entries += book.feeds.size();
    }
    return f;
}

std::size_t StoryBoard::open_stories() const {
    std::size_t n = 0;
    for (const auto& [name, shelf] : shelves_) n += shelf.index.open_stories();
    return n;
}

// --- StoryDesk

store::PendingAlert story_event_row(std::shared_ptr<StoryEvent> event, std::string row_id) {
    store::PendingAlert row;
    row.watchlist = event->watchlist;
    row.topic = story_topic(event->watchlist);
    row.alert_id = std::move(row_id);
    row.render = [event](std::int64_t seq) {
        event->seq = seq;
        return to_event_json(*event);
    };
    return row;
}

namespace {

const StorySettings& settings_of(const StorySettingsMap& settings, std::string_view watchlist) {
    static const StorySettings defaults;
    const auto it = settings.find(std::string(watchlist));
    return it == settings.end() ? defaults : it->second;
}

std::shared_ptr<StoryEvent> event_of(std::string_view type, const Alert& alert, std::string story_id) {
    auto e = std::make_shared<StoryEvent>();
    e->type = std::string(type);
    e->alert_id = std::move(story_id);
    e->detected_at = alert.detected_at;
    e->watchlist = alert.watchlist;
    e->feed = alert.feed;
    e->item.key = alert.item.key;
    e->item.title = alert.item.title;
    e->item.link = alert.item.link;
    e->item.published = alert.item.published;
    return e;
}

}  // namespace

Result<void> StoryDesk::load(store::Store& store, const StorySettingsMap& settings, SysSeconds now) {
    std::chrono::seconds lookback{48 * 3600};
    for (const auto& [name, s] : settings) lookback = std::max(lookback, s.window);
    auto rows = store.story_sources_since(now - lookback);
    if (!rows) return std::unexpected(rows.error());
    board_.load(*rows, settings, now);
    return {};
}

void StoryDesk::attach(store::RecordRequest& request, const ItemAlerts& alerts, const StorySettingsMap& settings,
                       const match::Stemming& stemming) {
    request.decide = [this, req = &request, &alerts, &settings, &stemming](const store::ItemSeen& seen) {
        return decide(*req, seen, alerts, settings, stemming);
    };
}

// Edits never alert again; a watchlist that asked for it hears of an edit of an item it was told
// about (an alert or a story source), if the item still matches it.
std::vector<store::PendingAlert> StoryDesk::updated_events(const store::ItemRecord& item, const store::ItemSeen& seen,
                                                           const std::vector<std::shared_ptr<Alert>>& shared,
                                                           const StorySettingsMap& settings) const {
    std::vector<store::PendingAlert> out;
    for (const auto& m : seen.stories) {
        if (!settings_of(settings, m.watchlist).alert_on_update) continue;
        const auto hit = std::ranges::find(shared, m.watchlist, [](const auto& a) { return a->watchlist; });
        if (hit == shared.end()) continue;
        auto e = event_of(kItemUpdated, **hit, m.story_id);
        e->sources = board_.sources(m.watchlist, m.story_id);
        e->previous_title = seen.previous_title;
        e->event_id = hex64(fnv1a64(item.content_hash, fnv1a64((*hit)->alert_id)));  // one per edit
        out.push_back(story_event_row(e, e->event_id));
    }
    return out;
}

std::vector<store::PendingAlert> StoryDesk::decide(const store::RecordRequest& request, const store::ItemSeen& seen,
                                                   const ItemAlerts& alerts, const StorySettingsMap& settings,
                                                   const match::Stemming& stemming) {
    const auto& item = request.items[seen.index];
    const auto& shared = alerts[seen.index];
    std::vector<store::PendingAlert> out;
    if (item.alerts.empty() || shared.size() != item.alerts.size()) return seen.status == store::ItemStatus::fresh
                                                                               ? item.alerts
                                                                               : out;
    if (seen.status == store::ItemStatus::edited) return updated_events(item, seen, shared, settings);
    const Item& first = shared.front()->item;  // the envelope's copy: content is not kept there
    const story::Fingerprint fp =
        item.kept ? fingerprint_of(item.kept->title, item.kept->summary, item.kept->content, item.kept->link,
                                   item.kept->origin_link, item.kept->language, stemming)
                  : fingerprint_of(first.title, first.summary, {}, first.link, first.origin_link,
                                   first.language, stemming);
    const std::string_view language = item.kept ? std::string_view(item.kept->language) : first.language;
    for (std::size_t k = 0; k < item.alerts.size(); ++k) {
        const auto& alert = shared[k];
        const auto mine = for_watchlist(fp, alert->match.terms, language, stemming);
        const auto placed = board_.place(alert->watchlist, settings_of(settings, alert->watchlist), mine,
                                         alert->alert_id, request.feed_id, request.now);
        store::StorySource source{alert->watchlist, placed.story_id, alert->item.title, alert->item.link,
                                  mine.link, story::to_hex(mine.sketch), placed.verdict == StoryVerdict::alert};
        if (placed.verdict == StoryVerdict::alert) {
            alert->story = AlertStory{placed.story_id, 1};
            auto row = item.alerts[k];
            row.story = std::move(source);
            out.push_back(std::move(row));
        } else if (placed.verdict == StoryVerdict::story_update) {
            auto e = event_of(kStoryUpdate, *alert, placed.story_id);
            e->sources = placed.sources;
            e->event_id = alert->alert_id;  // the item's own alert id: one event per item and watchlist
            auto row = story_event_row(e, alert->alert_id);
            row.story = std::move(source);
            out.push_back(std::move(row));
        }
    }
    return out;
}

}  // namespace ww::app
