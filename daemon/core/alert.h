#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/item.h"

namespace ww {

// Why an item matched: the query terms found, the fields they were found in, and a short
// plain-text snippet around the first match.
struct MatchExplanation {
    std::vector<std::string> terms;
    std::vector<std::string> fields;
    std::string snippet;
};

struct AlertFeed {
    std::int64_t id = 0;
    std::string title;
    std::string url;
};

// The story an alert opened (docs/stories.md): later sources of it arrive as story.update
// events carrying this id. Absent from envelopes of alerts recorded without story clustering.
struct AlertStory {
    std::string id;             // the story's id: the alert_id of its first alert
    std::uint32_t sources = 1;  // sources when the alert was sent (1: it opened the story)
};

// An alert as published (envelope version 1, DESIGN.md section 4).
struct Alert {
    std::int64_t seq = 0;
    std::string alert_id;
    SysSeconds detected_at{};
    std::string watchlist;
    std::string query;
    AlertFeed feed;
    Item item;  // key, title, link, published, authors, categories, summary, language
    MatchExplanation match;
    std::optional<AlertStory> story;
};

inline constexpr int kEnvelopeVersion = 1;
inline constexpr std::size_t kEnvelopeSummaryBytes = 1000;

// "alert.<watchlist>"
std::string alert_topic(std::string_view watchlist);

// Stable across restarts and re-deliveries: the same watchlist, feed and item always give
// the same id, so receivers can deduplicate by it.
std::string make_alert_id(std::string_view watchlist, std::string_view feed_url,
                          std::string_view item_key);

// Envelope JSON, one line, UTF-8. The summary is cut to kEnvelopeSummaryBytes on a
// character boundary.
std::string to_envelope_json(const Alert& alert);
Result<Alert> parse_envelope(std::string_view json);

// Events beside alerts (docs/protocol.md, "Story events"), on topic "story.<watchlist>":
// - "story.update": an item that matched the watchlist joined a story already alerted (another
//   outlet, another wording): no new alert, this event names the new source;
// - "item.updated": an item already alerted (or already a story source) was edited, for
//   watchlists with alert_on_update = true.
// They share the outbox with alerts: the same gapless seq, replay and exactly-once recording.
struct StoryEvent {
    std::string type;  // "story.update" or "item.updated"
    std::int64_t seq = 0;
    std::string event_id;  // unique per event: receivers deduplicate by it
    std::string alert_id;  // the story's first alert (what a receiver threads the event under)
    SysSeconds detected_at{};
    std::string watchlist;
    AlertFeed feed;
    Item item;                    // key, title, link, published
    std::uint32_t sources = 1;    // the story's sources, this one included; 0 = unknown (closed)
    std::string previous_title;   // item.updated: the title before the edit ("" = not kept)
};

inline constexpr std::string_view kStoryUpdate = "story.update";
inline constexpr std::string_view kItemUpdated = "item.updated";

// "story.<watchlist>"
std::string story_topic(std::string_view watchlist);
std::string to_event_json(const StoryEvent& event);

}  // namespace ww
