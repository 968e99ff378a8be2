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

// A WebSub subscription of one feed (the websub_subscriptions table).
struct Subscription {
    std::int64_t feed_id = 0;
    std::string topic;
    std::string hub;
    std::string callback_id;  // the last path segment of hub.callback
    std::string secret;       // hub.secret: the HMAC key of this subscription's pushes
    // "subscribing" (asked, awaiting verification), "active", "unsubscribing", "denied", "failed"
    std::string state;
    std::int64_t lease_seconds = 0;          // as granted by the hub
    std::optional<SysSeconds> expires_at;    // when the granted lease ends
    std::string last_error;
    SysSeconds updated_at{};
};

// One source of a story (docs/stories.md), written in the same transaction as the outbox row
// that reports it (the alert that opened the story, or a story.update), and only if that row
// went in: the stored stories are exactly what subscribers were told.
struct StorySource {
    std::string watchlist;
    std::string story_id;        // the alert_id of the story's first alert
    std::string title;           // the source item's title and link, as published
    std::string link;
    std::string canonical_link;  // what the story index compares links by
    std::string sketch;          // story::to_hex of the item's sketch
    bool opens = false;          // the first source: the alert
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
    std::string topic;  // "alert.<watchlist>" (or "story.<watchlist>" for story events)
    std::string alert_id;  // unique per outbox row: a second row with this id is skipped
    // Renders the envelope once the store has assigned the seq.
    std::function<std::string(std::int64_t seq)> render;
    std::optional<StorySource> story;  // the story source this row reports, if any
    // The watchlist's delivery policy, asked inside record()'s transaction with the watchlist's
    // state. Null: the alert is sent now.
    std::function<PolicyDecision(const PolicyState& state)> policy;
};

// An item's text as it was matched, kept [store] keep_items for backtests.
struct KeptText {
    std::string feed_title;
    std::string title;
    std::string link;
    std::string origin_link;  // Item::origin_link
    std::string summary;
    std::string content;
    std::string language;
    std::vector<std::string> categories;
    std::vector<std::string> authors;
    std::optional<SysSeconds> published;
};

struct ItemRecord {
    std::string key;
    std::string content_hash;
    std::optional<SysSeconds> published;  // orders the catch-up backfill
    std::vector<PendingAlert> alerts;     // what this item would alert if it is new
    std::shared_ptr<const KeptText> kept;  // kept for backtests when new or edited (null: not kept)
};

// What record() found for an item that may write outbox rows.
enum class ItemStatus { fresh, edited };

struct StoryMembership {
    std::string watchlist;
    std::string story_id;
};

// Told to RecordRequest::decide, inside the transaction.
struct ItemSeen {
    std::size_t index = 0;  // in RecordRequest::items
    ItemStatus status = ItemStatus::fresh;
    std::vector<StoryMembership> stories;  // edited: the stories the item is a source of
    std::string previous_title;            // edited: the kept title before the edit, if kept
};

// Decides the outbox rows of a fresh item that may alert, or of an edited item (story
// clustering, app/stories.h). Runs on the caller's thread inside record()'s transaction, in item
// order, so its decisions agree with what is committed; if the commit fails the caller must
// forget them (the store holds the truth).
using EventDecider = std::function<std::vector<PendingAlert>(const ItemSeen&)>;

struct RecordRequest {
    std::int64_t feed_id = 0;
    std::vector<ItemRecord> items;
    std::size_t backfill = 0;  // on a first fetch, alert the newest N items anyway
    SysSeconds now{};
    // Null: a fresh item's `alerts` are written as they are, an edit writes nothing.
    EventDecider decide;
    // Write ItemRecord::kept ([store] keep_items = "0s" turns it off).
    bool keep_texts = true;
    // false: the items were not matched, because the caller expected a catch-up that alerts
    // nothing; record() then refuses (kind "store_stale") a feed recorded in the meantime.
    bool matched = true;
};

// A stored story source (story_sources), for rebuilding the story index and for asking
// "where else did story X run".
struct StorySourceRow {
    std::string watchlist;
    std::string story_id;
    std::int64_t seq = 0;  // the outbox row that reported it
    std::int64_t feed_id = 0;
    std::string feed_url;  // the feed's configured URL
    std::string item_key;
    std::string title;
    std::string link;
    std::string canonical_link;
    std::string sketch;
    bool opens = false;
    SysSeconds added_at{};
};

// A kept item with its feed, for backtests.
struct KeptItem {
    std::int64_t feed_id = 0;
    std::string feed_url;  // configured URL: part of the alert id
    std::string item_key;
    SysSeconds first_seen{};
    SysSeconds updated_at{};
    KeptText text;
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
    // ensure_feed for every URL, in one transaction: one sync at start-up instead of one per feed.
    Result<std::vector<FeedState>> ensure_feeds(std::span<const std::string> config_urls);
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

    // The newest alerts of the log, newest first, at most `limit`: of every topic, of one kind of
    // topic (`kind` = "alert.", "digest.", "story."), or of one exact topic ("alert.<name>").
    // Each walks an index backwards from the end, so its cost is bounded by `limit` (feeds of
    // alerts and the web page read it on the event loop).
    struct RecentFilter {
        enum class By { all, kind, topic } by = By::all;
        std::string value;  // the kind or the topic
    };
    Result<std::vector<RecordedAlert>> recent_alerts(const RecentFilter& filter, std::size_t limit);

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

    // WebSub subscriptions: all of them, one feed's (nullopt when none), insert-or-replace by
    // feed, and delete.
    Result<std::vector<Subscription>> subscriptions();
    Result<std::optional<Subscription>> subscription(std::int64_t feed_id);
    Result<void> save_subscription(const Subscription& s);
    Result<void> delete_subscription(std::int64_t feed_id);

    // Stories (docs/stories.md). Sources added at or after `since`, oldest first: what the
    // daemon rebuilds its story index from at start and after a failed transaction.
    Result<std::vector<StorySourceRow>> story_sources_since(SysSeconds since);
    // Every recorded source of one story of a watchlist, first (the alert) first: what a
    // summary or digest layer lists as "also ran in".
    Result<std::vector<StorySourceRow>> story_sources(std::string_view watchlist, std::string_view story_id);
    // Items kept for backtests first seen at or after `since`, in the order they were first seen,
    // each with its latest text.
    Result<std::vector<KeptItem>> kept_items(SysSeconds since);
    // Retention: kept texts recorded before `items_before`, story sources added before
    // `stories_before`; returns how many rows went.
    Result<std::size_t> prune_kept(SysSeconds items_before, SysSeconds stories_before);

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
