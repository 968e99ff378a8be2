#include "store/migrations.h"

#include <array>

namespace ww::store {

namespace {

// Times are Unix seconds (UTC). `sequence` holds the last seq ever assigned, so that pruning
// every alert never lets a seq be reused: subscribers key their cursors on it.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE feeds (
    id                 INTEGER PRIMARY KEY,
    config_url         TEXT NOT NULL UNIQUE,
    url                TEXT NOT NULL,
    etag               TEXT NOT NULL DEFAULT '',
    last_modified      TEXT NOT NULL DEFAULT '',
    next_check_at      INTEGER,
    last_success_at    INTEGER,
    last_attempt_at    INTEGER,
    error_streak       INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT NOT NULL DEFAULT '',
    last_error_kind    TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL DEFAULT 'new',
    learned_interval_s INTEGER NOT NULL DEFAULT 0,
    initialised        INTEGER NOT NULL DEFAULT 0,
    items_seen         INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE seen_items (
    feed_id      INTEGER NOT NULL REFERENCES feeds(id),
    item_key     TEXT NOT NULL,
    first_seen   INTEGER NOT NULL,
    content_hash TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (feed_id, item_key)
) WITHOUT ROWID;
CREATE INDEX seen_items_first_seen ON seen_items(first_seen);
CREATE TABLE alerts (
    seq        INTEGER PRIMARY KEY,
    watchlist  TEXT NOT NULL,
    topic      TEXT NOT NULL,
    alert_id   TEXT NOT NULL UNIQUE,
    feed_id    INTEGER NOT NULL,
    item_key   TEXT NOT NULL,
    envelope   TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX alerts_created_at ON alerts(created_at);
CREATE TABLE sequence (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq INTEGER NOT NULL
);
INSERT INTO sequence (id, last_seq) VALUES (1, 0);
CREATE TABLE sink_cursors (
    sink       TEXT PRIMARY KEY,
    last_seq   INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
)sql";

// Seen-mark retention: when an item was last present in its feed, so that marks of items that
// left the feed long ago can go while those still listed are kept (they would alert again).
constexpr std::string_view kV2 = R"sql(
ALTER TABLE seen_items ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;
UPDATE seen_items SET last_seen = first_seen;
CREATE INDEX seen_items_feed_last_seen ON seen_items(feed_id, last_seen);
)sql";

// Alerts a sink gave up on are recorded, never silently dropped; a feed's last arrival of new
// items survives restarts, so that a learned polling rhythm does not start over; and seen items
// are found by their text too, so that a re-keyed item is not new.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE sink_failures (
    sink      TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    message   TEXT NOT NULL,
    failed_at INTEGER NOT NULL,
    PRIMARY KEY (sink, seq)
);
ALTER TABLE feeds ADD COLUMN last_arrival_at INTEGER;
CREATE INDEX seen_items_feed_hash ON seen_items(feed_id, content_hash);
)sql";

// WebSub subscriptions, one per feed: what was asked of which hub, the secret pushes are signed
// with, and the lease, so that a restart keeps answering the hub and renews in time.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE websub_subscriptions (
    feed_id       INTEGER PRIMARY KEY,
    topic         TEXT NOT NULL,
    hub           TEXT NOT NULL,
    callback_id   TEXT NOT NULL UNIQUE,
    secret        TEXT NOT NULL,
    state         TEXT NOT NULL,
    lease_seconds INTEGER NOT NULL DEFAULT 0,
    expires_at    INTEGER,
    last_error    TEXT NOT NULL DEFAULT '',
    updated_at    INTEGER NOT NULL
);
)sql";

// Stories and backtests (docs/stories.md): every source of a story, written with the outbox
// row that reported it, so that the story index can be rebuilt after a restart; and the text of
// recent items as matched, so that a watchlist can be replayed over them.
constexpr std::string_view kV5 = R"sql(
CREATE TABLE story_sources (
    watchlist      TEXT NOT NULL,
    story_id       TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    feed_id        INTEGER NOT NULL,
    item_key       TEXT NOT NULL,
    title          TEXT NOT NULL,
    link           TEXT NOT NULL,
    canonical_link TEXT NOT NULL,
    sketch         TEXT NOT NULL,
    opens          INTEGER NOT NULL,
    added_at       INTEGER NOT NULL,
    PRIMARY KEY (watchlist, story_id, seq)
) WITHOUT ROWID;
CREATE INDEX story_sources_added_at ON story_sources(added_at);
CREATE INDEX story_sources_item ON story_sources(feed_id, item_key);
CREATE TABLE kept_items (
    feed_id    INTEGER NOT NULL,
    item_key   TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    feed_title TEXT NOT NULL,
    title      TEXT NOT NULL,
    link       TEXT NOT NULL,
    summary    TEXT NOT NULL,
    content    TEXT NOT NULL,
    language   TEXT NOT NULL,
    categories TEXT NOT NULL,
    authors    TEXT NOT NULL,
    published  INTEGER,
    PRIMARY KEY (feed_id, item_key)
);
CREATE INDEX kept_items_updated_at ON kept_items(updated_at);
CREATE INDEX kept_items_first_seen ON kept_items(first_seen);
)sql";

// Delivery policy: matches held by a cooldown or a digest until their summary is due, and each
// watchlist's open cooldown window; both survive restarts so that nothing held is lost or sent twice.
constexpr std::string_view kV6 = R"sql(
CREATE TABLE held_matches (
    id        INTEGER PRIMARY KEY,
    watchlist TEXT NOT NULL,
    kind      TEXT NOT NULL,
    due_at    INTEGER NOT NULL,
    alert_id  TEXT NOT NULL UNIQUE,
    feed_id   INTEGER NOT NULL,
    item_key  TEXT NOT NULL,
    envelope  TEXT NOT NULL,
    held_at   INTEGER NOT NULL
);
CREATE INDEX held_matches_due ON held_matches(due_at);
CREATE TABLE cooldown_windows (
    watchlist TEXT PRIMARY KEY,
    until     INTEGER NOT NULL
);
)sql";

// The publisher's own link of a kept item (feedburner:origLink, rel="canonical"), so that a
// backtest compares stories by the same link as the live run.
constexpr std::string_view kV7 = R"sql(
ALTER TABLE kept_items ADD COLUMN origin_link TEXT NOT NULL DEFAULT '';
)sql";

// Feeds of alerts and the web page (docs/web.md) ask for the newest alerts of one topic, or of one
// kind of topic ("alert.", "digest."), on the event loop: each is a backwards walk of one of
// these indexes, bounded by its LIMIT, never a scan of the whole log.
constexpr std::string_view kV8 = R"sql(
CREATE INDEX alerts_topic_seq ON alerts(topic, seq);
CREATE INDEX alerts_kind_seq ON alerts(substr(topic, 1, instr(topic, '.')), seq);
)sql";

constexpr std::array<std::string_view, 8> kMigrations{kV1, kV2, kV3, kV4, kV5, kV6, kV7, kV8};

}  // namespace

std::span<const std::string_view> migrations() { return kMigrations; }

}  // namespace ww::store
