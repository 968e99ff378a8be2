#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/time.h"
#include "store/store.h"

namespace ww::app {

// Feeds of alerts (docs/web.md): the alert log as Atom 1.0 and JSON Feed 1.1, so that any feed
// reader can subscribe to a watchlist. Pure: alerts and metadata in, a document out.

enum class FeedFormat { atom, json };

// "/feeds/alerts.atom" -> every watchlist (watchlist ""); "/feeds/<name>.json" -> one watchlist,
// the name percent-decoded. nullopt: not a feed path (404).
struct FeedPath {
    std::string watchlist;
    FeedFormat format = FeedFormat::atom;
};
std::optional<FeedPath> parse_feed_path(std::string_view path);

struct FeedMeta {
    std::string title;     // "wirewatch: all alerts", "wirewatch: <watchlist>"
    std::string id;        // the feed's own stable id (urn:wirewatch:alerts[:<watchlist>])
    std::string self_url;  // the absolute URL this document was asked at
    std::string home_url;  // the web page
    SysSeconds empty_updated{};  // the feed's `updated` when it has no entry yet
};
FeedMeta feed_meta(const FeedPath& path, std::string_view base_url, SysSeconds now);

// `alerts` newest first, as Store::recent_alerts gives them; envelopes that are not JSON objects
// are left out (the log holds only what the daemon rendered, so this is a defence, not a case).
std::string render_atom(std::span<const store::RecordedAlert> alerts, const FeedMeta& meta);
std::string render_json_feed(std::span<const store::RecordedAlert> alerts, const FeedMeta& meta);

// An entry's id: stable for the alert, whatever the feed or the format it appears in.
std::string entry_id(std::string_view alert_id);

// The envelope's detected_at (nullopt when it has none).
std::optional<SysSeconds> detected_at(const store::RecordedAlert& alert);

// A link a reader may follow: http(s) only (a feed item could carry javascript: or data:).
bool is_web_link(std::string_view link);

}  // namespace ww::app
