#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/item.h"

namespace ww::schedule {

using Seconds = std::chrono::seconds;

// `[schedule]` settings and the constants of the policy.
struct Policy {
    Seconds min_interval{std::chrono::minutes(5)};
    Seconds max_interval{std::chrono::hours(24)};
    Seconds initial_interval{std::chrono::minutes(30)};  // auto feed with nothing learned
    Seconds backoff_base{std::chrono::minutes(1)};
    Seconds backoff_cap{std::chrono::hours(24)};
    Seconds network_down_retry{std::chrono::minutes(5)};
    double jitter = 0.10;          // +-10 % of the chosen delay
    double ewma_weight = 0.3;      // weight of the newest observed gap between arrivals
    // A feed silent for a long time is polled at least this fraction of its silence apart, so
    // dead feeds drift towards max_interval instead of being polled at their old rhythm.
    double silence_factor = 0.25;
};

enum class FeedStatus { active, gone };

// What the store keeps per feed between fetches (and across restarts).
struct FeedState {
    FeedStatus status = FeedStatus::active;
    Seconds learned_interval{0};                // 0: nothing learned yet
    std::optional<SysSeconds> last_arrival_at;  // when new items were last seen
    bool fetched_before = false;                // a fetch has succeeded once (catch-up done)
    int error_streak = 0;
    std::string last_error_kind;
};

enum class Outcome { modified, not_modified, failed };

// What one fetch produced.
struct FetchResult {
    Outcome outcome = Outcome::modified;
    // When failed: a fetch::HttpClient kind ("dns", "connect", "timeout", ...) or a
    // fetch::status_error kind ("gone", "rate_limited", "unavailable", "http_5xx", ...) or a
    // parse kind. "gone" stops polling.
    std::string error_kind;
    std::size_t items = 0;      // items in the document
    std::size_t new_items = 0;  // of them, never seen by this feed before
    std::vector<SysSeconds> item_dates;  // published/updated dates, used on the first fetch
    std::optional<Seconds> retry_after;  // fetch::retry_after of a 429/503
    std::optional<Seconds> freshness;    // fetch::freshness_of (Cache-Control, Expires)
    // ttl_seconds (RSS ttl or sy:updatePeriod), skip_hours (UTC), skip_days. On a 304 pass the
    // hints of the last parse if they are kept, else leave them empty.
    FeedHints hints;
};

struct Input {
    SysSeconds now;
    std::optional<Seconds> interval;  // the feed's explicit interval; nullopt = "auto"
    FeedState state;
    FetchResult result;
    bool network_down = false;  // NetworkHealth::down(now), after recording this result
    double jitter = 0.0;        // uniform in [-1, 1], from Jitter::next()
};

struct Decision {
    std::optional<SysSeconds> next_check;  // nullopt: gone, no longer polled
    FeedState state;                       // to store
    Seconds delay{0};                      // next_check - now (before skipHours moved it)
    // For the log line: "explicit", "auto", "hint" (ttl/Cache-Control/Expires held it back),
    // "backoff", "retry_after", "network_down", "gone".
    std::string_view reason;
    bool gap = false;            // every item was new on a feed seen before: items were missed
    bool counted_error = false;  // the failure counted against the feed's streak
    // 429/503 with Retry-After: the whole host waits until then (HostGate::hold).
    std::optional<SysSeconds> host_hold_until;
};

// The one scheduling decision after a fetch: pure over its arguments.
Decision next_check(const Policy& policy, const Input& in);

// Whether an error kind says "the network may be down" rather than "this feed is broken".
bool is_network_error(std::string_view kind);

}  // namespace ww::schedule
