#include "http/daemon_metrics.h"

#include <chrono>

namespace ww::http {

namespace {

double unix_now() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

// A feed fetch spans a fast 304 (milliseconds) to a slow transfer near the 30 s timeout.
std::vector<double> fetch_buckets() { return {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60}; }

// Detected -> published is a parse, a match, a SQLite commit and a ZMQ send: milliseconds
// normally, seconds when the store is slow.
std::vector<double> alert_buckets() {
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

}  // namespace

DaemonMetrics::DaemonMetrics(Registry& r, const std::string& version)
    : registry(r),
      build_info(r.gauge_family("wirewatch_build_info", "Always 1; the version is in the label.", {"version"})
                     .with({version})),
      start_time(r.gauge("wirewatch_start_time_seconds", "Unix time at which the daemon started.")),
      ready(r.gauge("wirewatch_ready", "1 once the store, sockets, HTTP listener and sinks are up.")),
      reloads(r.counter_family("wirewatch_reloads_total", "Configuration reloads by result.", {"result"})),
      last_reload(r.gauge("wirewatch_last_reload_success_timestamp_seconds",
                          "Unix time of the last configuration (re)load that took effect.")),
      fetches(r.counter_family("wirewatch_fetches_total",
                               "Feed fetches by result: ok, not_modified, or the error kind.", {"result"})),
      fetch_bytes(r.counter("wirewatch_fetch_bytes_total", "Feed body bytes received, after decompression.")),
      http_responses(r.counter_family("wirewatch_fetch_http_responses_total",
                                      "HTTP responses to feed fetches by status code.", {"code"})),
      fetch_duration(r.histogram("wirewatch_fetch_duration_seconds", "Duration of feed fetches.",
                                 fetch_buckets())),
      feed_last_success(r.gauge_family("wirewatch_feed_last_success_timestamp_seconds",
                                       "Unix time of the feed's last successful fetch (200 or 304).",
                                       {"feed"})),
      feed_error_streak(r.gauge_family("wirewatch_feed_error_streak",
                                       "Consecutive failed fetches of the feed (0 when healthy).", {"feed"})),
      feeds(r.gauge_family("wirewatch_feeds", "Configured feeds by status.", {"status"})),
      items_parsed(r.counter("wirewatch_items_parsed_total", "Items read from fetched feeds.")),
      items_new(r.counter("wirewatch_items_new_total", "Items never seen before in their feed.")),
      parse_errors(r.counter("wirewatch_parse_errors_total", "Fetched bodies that could not be parsed as a feed.")),
      matches(r.counter_family("wirewatch_watchlist_matches_total", "New items matched, by watchlist.",
                               {"watchlist"})),
      alerts_published(r.counter("wirewatch_alerts_published_total", "Alerts sent on the PUB socket.")),
      last_seq(r.gauge("wirewatch_alert_last_seq", "Sequence number of the last published alert.")),
      replay_requests(r.counter("wirewatch_replay_requests_total", "Replay requests served.")),
      sink_deliveries(r.counter_family("wirewatch_sink_deliveries_total", "Alert deliveries by sink and result.",
                                       {"sink", "result"})),
      queue_depth(r.gauge_family("wirewatch_queue_depth", "Work waiting in each internal queue.", {"queue"})),
      alert_latency(r.histogram("wirewatch_alert_latency_seconds",
                                "Time from an item being detected to its alert being published.",
                                alert_buckets())),
      websub_pushes(r.counter_family("wirewatch_websub_pushes_total",
                                     "WebSub pushes received, by result (rejected: bad signature).", {"result"})),
      websub_subscriptions(r.gauge_family("wirewatch_websub_subscriptions", "WebSub subscriptions by state.",
                                          {"state"})) {
    build_info.set(1);
    start_time.set(unix_now());
}

void DaemonMetrics::forget_feed(const std::string& feed) {
    feed_last_success.remove({feed});
    feed_error_streak.remove({feed});
}

}  // namespace ww::http
