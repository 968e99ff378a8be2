#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/item.h"

namespace ww::store {

// Per-feed state that survives restarts (DESIGN.md section 6).
struct FeedState {
    std::int64_t id = 0;
    std::string config_url;  // the URL as configured: the feed's identity in the config
    std::string url;         // the URL to fetch (after permanent redirects)
    std::string etag;
    std::string last_modified;
    std::optional<SysSeconds> next_check_at;
    std::optional<SysSeconds> last_success_at;
    std::optional<SysSeconds> last_attempt_at;
    int error_streak = 0;
    std::string last_error;
    std::string last_error_kind;
    std::string status = "new";  // new, ok, error, gone
    std::int64_t learned_interval_s = 0;
    bool initialised = false;  // first successful fetch done (catch-up recorded)
    std::int64_t items_seen = 0;
};

struct PendingAlert {
    std::string watchlist;
    std::string topic;  // "alert.<watchlist>"
    std::string alert_id;
    // Renders the envelope once the store has assigned the seq.
    std::function<std::string(std::int64_t seq)> render;
};

struct ItemRecord {
    std::string key;
    std::string content_hash;
    std::optional<SysSeconds> published;  // orders the catch-up backfill
    std::vector<PendingAlert> alerts;     // what this item would alert if it is new
};

struct RecordRequest {
    std::int64_t feed_id = 0;
    std::vector<ItemRecord> items;
    std::size_t backfill = 0;  // on a first fetch, alert the newest N items anyway
    SysSeconds now{};
};

struct RecordedAlert {
    std::int64_t seq = 0;
    std::string topic;
    std::string envelope;
};

struct RecordResult {
    bool first_fetch = false;
    std::size_t new_items = 0;
    std::vector<RecordedAlert> alerts;  // committed, in seq order
};

enum class Mode { read_write, read_only };

// The state database: one SQLite file in WAL mode under the state directory.
// Not thread-safe: each thread opens its own Store (SQLite serialises writers).
class Store {
public:
    static Result<Store> open(const std::filesystem::path& state_dir, Mode mode = Mode::read_write);
    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    // Finds or creates the row for a configured feed URL.
    Result<FeedState> ensure_feed(std::string_view config_url);
    Result<std::vector<FeedState>> feeds();
    Result<void> save_feed_state(const FeedState& state);

    // One transaction: marks the items seen; an item this feed never recorded gets its alerts
    // with the next gapless seqs, except on the feed's first fetch (catch-up: seen, not alerted,
    // but for the newest `backfill`).
    Result<RecordResult> record(const RecordRequest& request);

    Result<std::int64_t> last_seq();
    // Alerts with seq > after whose topic starts with prefix, in seq order, at most limit.
    Result<std::vector<RecordedAlert>> alerts_after(std::int64_t after, std::string_view prefix,
                                                    std::size_t limit);

    std::filesystem::path path() const;

private:
    struct Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ww::store
