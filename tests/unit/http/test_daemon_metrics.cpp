#include "http/daemon_metrics.h"

#include <gtest/gtest.h>

#include "promtool.h"

namespace ww::http {
namespace {

// Every metric the daemon exports, touched once, as Prometheus would scrape it.
std::string scrape_after_some_work() {
    static Registry registry;
    static DaemonMetrics m(registry, "0.1.0");
    m.ready.set(1);
    m.reloads.with({"ok"}).inc();
    m.last_reload.set(1.7e9);
    m.fetches.with({"ok"}).inc(3);
    m.fetches.with({"timeout"}).inc();
    m.fetch_bytes.inc(12345);
    m.http_responses.with({"200"}).inc(3);
    m.fetch_duration.observe(0.42);
    m.feed_last_success.with({"BBC World"}).set(1.7e9);
    m.feed_error_streak.with({"BBC World"}).set(0);
    m.feed_error_streak.with({"Flaky \"Feed\""}).set(3);
    m.feeds.with({"ok"}).set(1);
    m.items_parsed.inc(40);
    m.items_new.inc(2);
    m.matches.with({"china-russia-security"}).inc();
    m.alerts_published.inc();
    m.last_seq.set(17);
    m.replay_requests.inc();
    m.sink_deliveries.with({"newsroom", "ok"}).inc();
    m.queue_depth.with({"store"}).set(0);
    m.alert_latency.observe(0.012);
    return registry.render();
}

TEST(DaemonMetrics, ExportsTheCatalogue) {
    const auto text = scrape_after_some_work();
    for (std::string_view line : {
             "wirewatch_build_info{version=\"0.1.0\"} 1\n",
             "wirewatch_ready 1\n",
             "wirewatch_fetches_total{result=\"ok\"} 3\n",
             "wirewatch_fetch_bytes_total 12345\n",
             "wirewatch_fetch_http_responses_total{code=\"200\"} 3\n",
             "wirewatch_fetch_duration_seconds_bucket{le=\"0.5\"} 1\n",
             "wirewatch_feed_last_success_timestamp_seconds{feed=\"BBC World\"} 1700000000\n",
             "wirewatch_feed_error_streak{feed=\"Flaky \\\"Feed\\\"\"} 3\n",
             "wirewatch_items_parsed_total 40\n",
             "wirewatch_items_new_total 2\n",
             "wirewatch_watchlist_matches_total{watchlist=\"china-russia-security\"} 1\n",
             "wirewatch_alerts_published_total 1\n",
             "wirewatch_alert_last_seq 17\n",
             "wirewatch_replay_requests_total 1\n",
             "wirewatch_sink_deliveries_total{sink=\"newsroom\",result=\"ok\"} 1\n",
             "wirewatch_queue_depth{queue=\"store\"} 0\n",
             "wirewatch_alert_latency_seconds_bucket{le=\"0.025\"} 1\n",
             "# TYPE wirewatch_reloads_total counter\n",
             "# TYPE wirewatch_start_time_seconds gauge\n",
         }) {
        EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "in:\n" << text;
    }
}

TEST(DaemonMetrics, ForgettingAFeedDropsItsSeries) {
    Registry registry;
    DaemonMetrics m(registry, "x");
    m.feed_last_success.with({"gone"}).set(1);
    m.feed_error_streak.with({"gone"}).set(1);
    m.forget_feed("gone");
    EXPECT_EQ(registry.render().find("feed=\"gone\""), std::string::npos);
}

TEST(DaemonMetrics, PromtoolAcceptsTheDaemonsOutput) {
    if (!test::promtool_available()) GTEST_SKIP() << "promtool not installed (Debian package prometheus)";
    const auto result = test::promtool_check(scrape_after_some_work());
    EXPECT_EQ(result.status, 0) << result.output;
    EXPECT_EQ(result.output, "") << "promtool has lint remarks";
}

}  // namespace
}  // namespace ww::http
