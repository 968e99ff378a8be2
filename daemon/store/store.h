#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
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
    std::optional<SysSeconds> last_arrival_at;  // when new items last arrived (the learned rhythm)
};

// The delivery policy's answer for one match (app/policy.h decides, the store records it).
struct PolicyDecision {
    bool hold = false;     // true: kept in held_matches until `due_at`, not alerted now
    std::string kind;      // "cooldown" | "digest"
    SysSeconds due_at{};
    std::optional<SysSeconds> window_until;  // a cooldown window this alert opens
};

// What the store knows of a watchlist's policy state when it asks the policy.
struct PolicyState {
    std::optional<SysSeconds> window_until;         // its cooldown window's end, if one was opened
    std::optional<SysSeconds> pending_summary_due;  // held cooldown matches still awaiting their summary
};

struct PendingAlert {
    std::string watchlist;
    std::string topic;  // "alert.<watchlist>"
    std::string alert_id;
    // Renders the envelope once the store has assigned the seq.
    std::function<std::string(std::int64_t seq)> render;
    // The watchlist's delivery policy, asked inside record()'s transaction with the watchlist's
    // state. Null: the alert is sent now.
    std::function<PolicyDecision(const PolicyState& state)> policy;
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

// What the replay server needs for one request, read in one snapshot so that a concurrent
// prune cannot slip between "what is the earliest kept" and "the alerts after N".
struct AlertPage {
    std::int64_t earliest_seq = 1;  // smallest seq kept (last_seq + 1 when none)
    std::int64_t last_seq = 0;      // last seq ever assigned
    std::vector<RecordedAlert> alerts;
};

struct RecordResult {
    bool first_fetch = false;
    std::size_t new_items = 0;
    std::size_t held = 0;  // matches held by a delivery policy (cooldown, digest)
    std::vector<RecordedAlert> alerts;  // committed, in seq order
};

enum class Mode { read_write, read_only };

struct StoreOptions {
    // How long a statement waits for another connection's lock before failing "store_busy".
    int busy_timeout_ms = 5000;
    // FULL fsyncs the WAL at every commit. A committed alert is published right after the
    // commit, so a power loss must not be able to roll it back: its seq would be handed out
    // again to a different alert while subscribers already hold the first one.
    bool synchronous_full = true;
    // SQLite's page cache per connection. The alert_id index takes random positions, so a
    // cache that holds it keeps a burst of alerts from re-reading index pages.
    int cache_kib = 16 * 1024;
};

// A match held by a delivery policy, waiting for its summary or digest.
struct HeldMatch {
    std::int64_t id = 0;
    std::string watchlist;
    std::string kind;  // "cooldown" | "digest"
    SysSeconds due_at{};
    std::string envelope;  // the match's envelope, rendered with seq 0
    SysSeconds held_at{};
};

// One summary or digest alert that replaces held matches.
struct HeldEmission {
    std::string watchlist;
    std::string topic;
    std::string alert_id;  // stable per group: a second emission of the same group is a no-op
    std::vector<std::int64_t> held_ids;
    std::function<std::string(std::int64_t seq)> render;
    std::optional<SysSeconds> window_until;  // the cooldown window the summary opens
};

struct SinkCursor {
    std::string sink;
    std::int64_t last_seq = 0;
    SysSeconds updated_at{};
};

// The state database: one SQLite file in WAL mode under the state directory.
// Not thread-safe: each thread opens its own Store (SQLite serialises writers).
class Store {
public:
    // The database is `<state_dir>/wirewatch.db`. read_write creates the directory and the file
    // and runs pending migrations; read_only never writes (for `wirewatch feeds` and the replay
    // server while the daemon writes) and fails when the database does not exist yet.
    static Result<Store> open(const std::filesystem::path& state_dir, Mode mode = Mode::read_write);
    static Result<Store> open(const std::filesystem::path& state_dir, Mode mode,
                              const StoreOptions& options);
    static constexpr std::string_view kFileName = "wirewatch.db";
    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    // Finds or creates the row for a configured feed URL.
    Result<FeedState> ensure_feed(std::string_view config_url);
    Result<std::vector<FeedState>> feeds();
    // Writes the fetch and schedule fields. `initialised` and `items_seen` belong to record()
    // and are NOT written: a caller holding a copy from before its record() must not be able
    // to undo the catch-up (that would replay a whole feed as new alerts).
    Result<void> save_feed_state(const FeedState& state);
    // Several feeds' states in one transaction: one sync for a whole sweep instead of one per feed.
    Result<void> save_feed_states(std::span<const FeedState> states);

    // One transaction: marks the items seen; an item this feed never recorded gets its alerts
    // with the next gapless seqs, except on the feed's first fetch (catch-up: seen, not alerted,
    // but for the newest `backfill`).
    Result<RecordResult> record(const RecordRequest& request);

    // The last seq ever assigned (0 before the first alert); never goes back, even when every
    // alert has been pruned.
    Result<std::int64_t> last_seq();
    // The smallest seq still kept; last_seq() + 1 when no alert is kept.
    Result<std::int64_t> earliest_seq();
    // earliest_seq(), last_seq() and alerts_after() in one read transaction.
    Result<AlertPage> alert_page(std::int64_t after, std::string_view prefix, std::size_t limit);
    // Retention: deletes alerts created before `older_than`; returns earliest_seq() after.
    Result<std::int64_t> prune_alerts(SysSeconds older_than);
    // Alerts with seq > after whose topic starts with prefix, in seq order, at most limit.
    Result<std::vector<RecordedAlert>> alerts_after(std::int64_t after, std::string_view prefix,
                                                    std::size_t limit);

    // Seen-mark retention: forgets items absent from their feed's latest fetch and last seen
    // before `older_than`; returns how many. Items still listed are never forgotten, however
    // old, because they would alert again on the next fetch.
    Result<std::size_t> prune_seen(SysSeconds older_than);

    // Durable delivery cursors of sinks (chat bridges): the last seq a sink delivered.
    Result<std::optional<SinkCursor>> sink_cursor(std::string_view sink);
    Result<void> set_sink_cursor(std::string_view sink, std::int64_t last_seq, SysSeconds now);
    // An alert a sink gave up on (permanent failure); `message` is already free of secrets.
    Result<void> record_sink_failure(std::string_view sink, std::int64_t seq, std::string_view message,
                                     SysSeconds now);
    struct SinkFailure {
        std::string sink;
        std::int64_t seq = 0;
        std::string message;
        SysSeconds failed_at{};
    };
    Result<std::vector<SinkFailure>> sink_failures(std::string_view sink);

    // Delivery policy (docs/delivery-policy.md). Held matches due at or before `now`, ordered by
    // watchlist, kind, due time and arrival.
    Result<std::vector<HeldMatch>> due_held(SysSeconds now);
    // One transaction: each emission deletes its held matches and becomes an alert with the next
    // seq; an emission whose matches are already gone (emitted before) is skipped. Returns the
    // committed alerts in seq order.
    Result<std::vector<RecordedAlert>> emit_held(std::span<const HeldEmission> emissions, SysSeconds now);
    // The end of a watchlist's cooldown window, if one was ever opened.
    Result<std::optional<SysSeconds>> cooldown_window(std::string_view watchlist);
    Result<std::size_t> held_count();

    std::filesystem::path path() const;

private:
    struct Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ww::store
