#include "http/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "promtool.h"

namespace ww::http {
namespace {

TEST(MetricsFormat, Names) {
    struct Case {
        std::string_view name;
        bool metric;
        bool label;
    };
    const Case cases[] = {
        {"wirewatch_fetches_total", true, true},
        {"a:b", true, false},          // colons are for recording rules, not labels
        {"_x", true, true},
        {"__reserved", true, false},   // label names starting with __ belong to Prometheus
        {"9lives", false, false},
        {"", false, false},
        {"has-dash", false, false},
        {"has space", false, false},
        {"ümlaut", false, false},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(is_valid_metric_name(c.name), c.metric) << c.name;
        EXPECT_EQ(is_valid_label_name(c.name), c.label) << c.name;
    }
}

TEST(MetricsFormat, Escaping) {
    EXPECT_EQ(escape_label_value(R"(a"b\c)" "\nd"), R"(a\"b\\c\nd)");
    EXPECT_EQ(escape_label_value("Al Jazeera (English)"), "Al Jazeera (English)");
    EXPECT_EQ(escape_help("line\none \\ \"quoted\""), "line\\none \\\\ \"quoted\"");
}

TEST(MetricsFormat, Values) {
    const std::pair<double, std::string_view> cases[] = {
        {0, "0"},
        {3, "3"},
        {-2, "-2"},
        {0.005, "0.005"},
        {1e-9, "1e-09"},
        {1700000000, "1700000000"},
        {std::numeric_limits<double>::infinity(), "+Inf"},
        {-std::numeric_limits<double>::infinity(), "-Inf"},
        {std::nan(""), "NaN"},
    };
    for (const auto& [v, text] : cases) EXPECT_EQ(format_value(v), text) << v;
}

TEST(Metrics, RendersCountersAndGaugesWithHelpAndType) {
    Registry r;
    r.counter("wirewatch_alerts_published_total", "Alerts sent.").inc(3);
    r.gauge("wirewatch_ready", "1 when ready.").set(1);
    EXPECT_EQ(r.render(),
              "# HELP wirewatch_alerts_published_total Alerts sent.\n"
              "# TYPE wirewatch_alerts_published_total counter\n"
              "wirewatch_alerts_published_total 3\n"
              "# HELP wirewatch_ready 1 when ready.\n"
              "# TYPE wirewatch_ready gauge\n"
              "wirewatch_ready 1\n");
}

TEST(Metrics, LabelledFamiliesRenderEachChildSortedAndEscaped) {
    Registry r;
    auto& fetches = r.counter_family("wirewatch_fetches_total", "Fetches.", {"result"});
    fetches.with({"ok"}).inc(2);
    fetches.with({"timeout"}).inc();
    fetches.with({"ok"}).inc();  // the same child again
    auto& streak = r.gauge_family("wirewatch_feed_error_streak", "Streak.", {"feed"});
    streak.with({"Say \"hi\"\\now"}).set(4);
    EXPECT_EQ(r.render(),
              "# HELP wirewatch_fetches_total Fetches.\n"
              "# TYPE wirewatch_fetches_total counter\n"
              "wirewatch_fetches_total{result=\"ok\"} 3\n"
              "wirewatch_fetches_total{result=\"timeout\"} 1\n"
              "# HELP wirewatch_feed_error_streak Streak.\n"
              "# TYPE wirewatch_feed_error_streak gauge\n"
              "wirewatch_feed_error_streak{feed=\"Say \\\"hi\\\"\\\\now\"} 4\n");
}

TEST(Metrics, RemovedChildrenStopBeingExported) {
    Registry r;
    auto& last = r.gauge_family("wirewatch_feed_last_success_timestamp_seconds", "Last.", {"feed"});
    last.with({"a"}).set(1);
    last.with({"b"}).set(2);
    last.remove({"a"});
    const auto text = r.render();
    EXPECT_EQ(text.find("feed=\"a\""), std::string::npos) << text;
    EXPECT_NE(text.find("{feed=\"b\"} 2\n"), std::string::npos) << text;
}

TEST(Metrics, HistogramBucketsAreCumulativeWithInclusiveUpperBounds) {
    Registry r;
    auto& h = r.histogram("wirewatch_fetch_duration_seconds", "Fetch time.", {0.1, 1, 10});
    for (double v : {0.05, 0.1, 0.5, 1.0, 20.0}) h.observe(v);
    EXPECT_EQ(r.render(),
              "# HELP wirewatch_fetch_duration_seconds Fetch time.\n"
              "# TYPE wirewatch_fetch_duration_seconds histogram\n"
              "wirewatch_fetch_duration_seconds_bucket{le=\"0.1\"} 2\n"
              "wirewatch_fetch_duration_seconds_bucket{le=\"1\"} 4\n"
              "wirewatch_fetch_duration_seconds_bucket{le=\"10\"} 4\n"
              "wirewatch_fetch_duration_seconds_bucket{le=\"+Inf\"} 5\n"
              "wirewatch_fetch_duration_seconds_sum 21.65\n"
              "wirewatch_fetch_duration_seconds_count 5\n");
}

TEST(Metrics, LabelledHistogramPutsLeLast) {
    Registry r;
    r.histogram_family("x_seconds", "X.", {"sink"}, {1}).with({"slack"}).observe(2);
    const auto text = r.render();
    EXPECT_NE(text.find("x_seconds_bucket{sink=\"slack\",le=\"1\"} 0\n"), std::string::npos) << text;
    EXPECT_NE(text.find("x_seconds_bucket{sink=\"slack\",le=\"+Inf\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("x_seconds_count{sink=\"slack\"} 1\n"), std::string::npos) << text;
}

TEST(Metrics, ReRegisteringTheSameMetricReturnsIt) {
    Registry r;
    auto& a = r.counter("x_total", "X.");
    auto& b = r.counter("x_total", "X.");
    EXPECT_EQ(&a, &b);
    auto& fa = r.gauge_family("g", "G.", {"feed"});
    auto& fb = r.gauge_family("g", "G.", {"feed"});
    EXPECT_EQ(&fa, &fb);
}

TEST(Metrics, ClashesAndBadInputAreRefused) {
    Registry r;
    r.counter("x_total", "X.");
    r.histogram("lat_seconds", "L.", {1});
    EXPECT_THROW(r.gauge("x_total", "X."), std::invalid_argument);              // another kind
    EXPECT_THROW(r.counter("x_total", "Other help."), std::invalid_argument);   // another help
    EXPECT_THROW(r.counter("lat_seconds_count", "C."), std::invalid_argument);  // the histogram's series
    EXPECT_THROW(r.counter("bad-name", "B."), std::invalid_argument);
    EXPECT_THROW(r.counter_family("y_total", "Y.", {"__x"}), std::invalid_argument);
    EXPECT_THROW(r.histogram_family("h", "H.", {"le"}, {1}), std::invalid_argument);
    EXPECT_THROW(r.histogram("h2", "H.", {2, 1}), std::invalid_argument);
    auto& fam = r.counter_family("z_total", "Z.", {"a", "b"});
    EXPECT_THROW(fam.with({"only-one"}), std::invalid_argument);
}

TEST(Metrics, CollectorsRunBeforeEachRender) {
    Registry r;
    auto& depth = r.gauge_family("wirewatch_queue_depth", "Depth.", {"queue"});
    int calls = 0;
    r.add_collector([&] { depth.with({"store"}).set(++calls * 10); });
    EXPECT_NE(r.render().find("wirewatch_queue_depth{queue=\"store\"} 10\n"), std::string::npos);
    EXPECT_NE(r.render().find("wirewatch_queue_depth{queue=\"store\"} 20\n"), std::string::npos);
}

TEST(Metrics, ConcurrentUpdatesAreAllCounted) {
    Registry r;
    auto& family = r.counter_family("hits_total", "Hits.", {"thread"});
    auto& total = r.counter("all_total", "All.");
    auto& gauge = r.gauge("level", "Level.");
    auto& hist = r.histogram("h_seconds", "H.", {0.5});
    constexpr int kThreads = 8, kPerThread = 20000;
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                family.with({std::to_string(t % 2)}).inc();
                total.inc();
                gauge.add(1);
                hist.observe(i % 2 ? 1.0 : 0.25);
                if (i % 1000 == 0) (void)r.render();  // rendering while others count
            }
        });
    }
    threads.clear();
    EXPECT_EQ(total.value(), std::uint64_t{kThreads} * kPerThread);
    EXPECT_EQ(family.with({"0"}).value() + family.with({"1"}).value(), std::uint64_t{kThreads} * kPerThread);
    EXPECT_EQ(gauge.value(), double(kThreads) * kPerThread);
    const auto snap = hist.snapshot();
    EXPECT_EQ(snap.count, std::uint64_t{kThreads} * kPerThread);
    EXPECT_EQ(snap.cumulative[0], std::uint64_t{kThreads} * kPerThread / 2);
    EXPECT_DOUBLE_EQ(snap.sum, kThreads * (kPerThread / 2) * 1.25);
}

TEST(Metrics, PromtoolAcceptsTheOutput) {
    if (!test::promtool_available()) GTEST_SKIP() << "promtool not installed (Debian package prometheus)";
    Registry r;
    r.counter("wirewatch_alerts_published_total", "Alerts sent.").inc(3);
    r.counter_family("wirewatch_fetches_total", "Fetches.", {"result"}).with({"ok"}).inc();
    r.gauge_family("wirewatch_feed_error_streak", "Streak.", {"feed"}).with({"Say \"hi\"\n"}).set(2);
    r.histogram("wirewatch_fetch_duration_seconds", "Fetch time.", latency_buckets()).observe(0.3);
    r.histogram_family("wirewatch_sink_seconds", "Sink time.", {"sink"}, {1, 2}).with({"a"}).observe(3);
    const auto result = test::promtool_check(r.render());
    EXPECT_EQ(result.status, 0) << result.output;
    EXPECT_EQ(result.output, "") << "promtool has lint remarks";
}

TEST(Metrics, BucketHelpers) {
    EXPECT_EQ(exponential_buckets(1, 2, 4), (std::vector<double>{1, 2, 4, 8}));
    EXPECT_THROW(exponential_buckets(0, 2, 3), std::invalid_argument);
    const auto l = latency_buckets();
    EXPECT_TRUE(std::ranges::is_sorted(l));
    EXPECT_NO_THROW(Histogram{l});
}

}  // namespace
}  // namespace ww::http
