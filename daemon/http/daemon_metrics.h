#pragma once

#include <string>

#include "http/metrics.h"

namespace ww::http {

// The daemon's metric catalogue, in one place so that names, help texts, labels and buckets
// are decided once (docs/operations.md lists them). The app owns one instance next to its
// Registry and counts through these handles; only names and label *keys* live here, the
// label values (feed names, result kinds) come from the app.
struct DaemonMetrics {
    explicit DaemonMetrics(Registry& registry, const std::string& version);

    Registry& registry;

    // Process.
    Gauge& build_info;          // wirewatch_build_info{version} 1
    Gauge& start_time;          // wirewatch_start_time_seconds (unix time)
    Gauge& ready;               // wirewatch_ready 0/1, what /readyz answers
    CounterFamily& reloads;     // wirewatch_reloads_total{result="ok|invalid"}
    Gauge& last_reload;         // wirewatch_last_reload_success_timestamp_seconds

    // Fetching.
    CounterFamily& fetches;          // wirewatch_fetches_total{result}: ok, not_modified, or Error::kind
    Counter& fetch_bytes;            // wirewatch_fetch_bytes_total (body bytes after decompression)
    CounterFamily& http_responses;   // wirewatch_fetch_http_responses_total{code}
    Histogram& fetch_duration;       // wirewatch_fetch_duration_seconds
    GaugeFamily& feed_last_success;  // wirewatch_feed_last_success_timestamp_seconds{feed}
    GaugeFamily& feed_error_streak;  // wirewatch_feed_error_streak{feed}
    GaugeFamily& feeds;              // wirewatch_feeds{status="ok|error|gone|new"}

    // Parsing and matching.
    Counter& items_parsed;            // wirewatch_items_parsed_total
    Counter& items_new;               // wirewatch_items_new_total
    Counter& parse_errors;            // wirewatch_parse_errors_total
    CounterFamily& matches;           // wirewatch_watchlist_matches_total{watchlist}

    // Publishing and delivery.
    Counter& alerts_published;        // wirewatch_alerts_published_total
    Gauge& last_seq;                  // wirewatch_alert_last_seq
    Counter& replay_requests;         // wirewatch_replay_requests_total
    CounterFamily& sink_deliveries;   // wirewatch_sink_deliveries_total{sink,result="ok|retry|failed|dropped"}
    GaugeFamily& queue_depth;         // wirewatch_queue_depth{queue} (parse, store, sink:<name>)
    Histogram& alert_latency;         // wirewatch_alert_latency_seconds: item detected -> alert published

    // WebSub push.
    CounterFamily& websub_pushes;        // wirewatch_websub_pushes_total{result="ok|rejected|busy|unknown"}
    GaugeFamily& websub_subscriptions;   // wirewatch_websub_subscriptions{state}

    // Forgets a feed's labelled children (a reload removed the feed).
    void forget_feed(const std::string& feed);
};

}  // namespace ww::http
