#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/alert.h"
#include "core/item.h"
#include "store/store.h"
#include "story/story_index.h"

namespace ww::match {
class Stemming;
}

namespace ww::app {

// A watchlist's story settings (config keys story_window, story_threshold, alert_on_update).
struct StorySettings {
    std::chrono::seconds window{48 * 3600};
    double threshold = 0.4;
    bool alert_on_update = false;
    bool operator==(const StorySettings&) const = default;
};

// What a would-be alert becomes once its story is known.
enum class StoryVerdict {
    alert,         // it opens a story: the alert goes out, with story {id, sources: 1}
    story_update,  // another source of a story already alerted: a story.update event instead
    nothing,       // the same article again from a feed already counted: nothing to say
};

// Pure: the verdict for an item placed in a story. A known link (the same article) from a feed
// that is not yet a source of the story is still news ("it also ran there"); from a feed that
// already is, it is a re-publication.
StoryVerdict story_verdict(const story::Assignment& placed, bool feed_already_source);

// The words the story sketch takes from a text: the match analyzer's tokens (parts of
// hyphenated words left out, the joined word stands for them), stemmed per script and language
// with the override table. The recipe the threshold was measured with (docs/stories.md).
std::vector<std::string> story_words(std::string_view text, std::string_view language,
                                     const match::Stemming& stemming);

// An item's fingerprint: its canonical link (the publisher's origin_link when the feed names
// one) and the sketch of its analysed title and lead (summary, else content).
story::Fingerprint fingerprint_of(std::string_view title, std::string_view summary, std::string_view content,
                                  std::string_view link, std::string_view origin_link,
                                  std::string_view language, const match::Stemming& stemming);

// The fingerprint as one watchlist compares it: without the words of its query terms that
// matched (every item the watchlist matched shares them; docs/stories.md).
story::Fingerprint for_watchlist(const story::Fingerprint& item, std::span<const std::string> terms,
                                 std::string_view language, const match::Stemming& stemming);

// The open stories of every watchlist, in memory, with their sources' feeds: what decides
// alert, story.update or nothing. Pure (values and the caller's clock); the live pipeline owns
// one on its store thread, a backtest builds its own. Not thread-safe.
class StoryBoard {
public:
    struct Placement {
        StoryVerdict verdict = StoryVerdict::alert;
        std::string story_id;
        std::uint32_t sources = 1;  // of the story, this item included when it counts
        double similarity = 0.0;    // 1 for a link match, 0 for a new story
    };

    // Places an item that matched `watchlist` from feed `feed_id`; `alert_id` is the alert it
    // would get (the id of the story it opens, if it opens one).
    Placement place(std::string_view watchlist, const StorySettings& settings, const story::Fingerprint& fp,
                    std::string_view alert_id, std::int64_t feed_id, SysSeconds now);

    // Rebuilds every story from stored sources (store::Store::story_sources_since), grouping
    // them by story; a story whose opening source is missing is skipped.
    void load(std::span<const store::StorySourceRow> rows,
              const std::unordered_map<std::string, StorySettings>& settings, SysSeconds now);

    // Sources of an open story, 0 when the story is not open.
    std::uint32_t sources(std::string_view watchlist, std::string_view story_id) const;
    // Closes stories whose window passed (their source books go too).
    void expire(SysSeconds now);
    std::size_t open_stories() const;
    // What the board holds besides the index (metrics, and the tests that bound it).
    struct Footprint {
        std::size_t books = 0;         // stories with a source book
        std::size_t feed_entries = 0;  // feeds remembered across all books
    };
    Footprint footprint() const;

private:
    struct Book {
        std::uint32_t sources = 0;
        std::vector<std::int64_t> feeds;
        SysSeconds opened{};
    };
    struct Shelf {
        StorySettings settings;
        story::StoryIndex index;
        std::unordered_map<std::string, Book> books;
    };
    Shelf& shelf_for(std::string_view watchlist, const StorySettings& settings, SysSeconds now);
    static void drop_closed_books(Shelf& shelf);
    std::map<std::string, Shelf, std::less<>> shelves_;
};

// The story settings of each watchlist in force (missing watchlists get the defaults).
using StorySettingsMap = std::unordered_map<std::string, StorySettings>;

// Per-item data the decider needs beside the store's ItemRecord: the shared Alert objects of
// its would-be alerts, in the order of ItemRecord::alerts (the decider sets their `story`
// before the store renders them).
using ItemAlerts = std::vector<std::vector<std::shared_ptr<Alert>>>;

// The live side, on the store thread: sets RecordRequest::decide so that record() asks the
// board, inside its transaction, what each fresh or edited item writes to the outbox.
class StoryDesk {
public:
    // The stories recorded in the last `lookback` (the longest window), from the store.
    Result<void> load(store::Store& store, const StorySettingsMap& settings, SysSeconds now);

    // `alerts`, `settings` and `stemming` must outlive the record() call.
    void attach(store::RecordRequest& request, const ItemAlerts& alerts, const StorySettingsMap& settings,
                const match::Stemming& stemming);

    StoryBoard& board() { return board_; }

private:
    std::vector<store::PendingAlert> decide(const store::RecordRequest& request, const store::ItemSeen& seen,
                                            const ItemAlerts& alerts, const StorySettingsMap& settings,
                                            const match::Stemming& stemming);
    std::vector<store::PendingAlert> updated_events(const store::ItemRecord& item, const store::ItemSeen& seen,
                                                    const std::vector<std::shared_ptr<Alert>>& shared,
                                                    const StorySettingsMap& settings) const;
    StoryBoard board_;
};

// The outbox row of a story.update or item.updated event.
store::PendingAlert story_event_row(std::shared_ptr<StoryEvent> event, std::string row_id);

}  // namespace ww::app
