#pragma once

#include <cstdint>
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

}  // namespace ww
