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

// Delivery policy: matches held by a cooldown or a digest until their summary is due, and each
// watchlist's open cooldown window; both survive restarts so that nothing held is lost or sent twice.
constexpr std::string_view kV4 = R"sql(
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

constexpr std::array<std::string_view, 4> kMigrations{kV1, kV2, kV3, kV4};

}  // namespace

std::span<const std::string_view> migrations() { return kMigrations; }

}  // namespace ww::store
