#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ww::http {

// A small, thread-safe metrics registry rendered in the Prometheus text exposition format
// (version 0.0.4). Updates are lock-free atomics, so any thread (io loop, workers, the store
// thread, sink threads) may count without coordination; only registration, label lookup and
// rendering take a lock. References returned by the registry stay valid for its lifetime
// (until `remove` for a labelled child), so callers look a metric up once and keep it.
//
// Registering a name twice with the same kind, help and labels returns the same metric (a
// reload may re-register); any other clash is a programming error and throws
// std::invalid_argument, as do invalid metric or label names.

class Counter {
public:
    void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

class Gauge {
public:
    void set(double v) { value_.store(v, std::memory_order_relaxed); }
    void add(double d);
    void inc() { add(1); }
    void dec() { add(-1); }
    double value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0};
};

// Fixed upper bounds, strictly increasing; the +Inf bucket is implicit.
class Histogram {
public:
    explicit Histogram(std::vector<double> bounds);
    void observe(double v);

    struct Snapshot {
        std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (== count)
        double sum = 0;
        std::uint64_t count = 0;
    };
    Snapshot snapshot() const;
    const std::vector<double>& bounds() const { return bounds_; }

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // non-cumulative, bounds_.size()+1
    std::atomic<double> sum_{0};
};

// Bucket bounds that suit network and pipeline latencies, in seconds.
std::vector<double> latency_buckets();  // 0.005 .. 60
// start, start*factor, ... (count bounds); the usual Prometheus helper.
std::vector<double> exponential_buckets(double start, double factor, std::size_t count);

enum class Kind { counter, gauge, histogram };

// A metric with label names; each distinct tuple of label values is a child.
template <class Metric>
class Family {
public:
    // The child for these label values (created on first use). values.size() must equal the
    // number of label names.
    Metric& with(const std::vector<std::string>& values);
    // Forgets a child, e.g. a feed removed by a reload, so that it stops being exported.
    // References to it become dangling: callers must drop theirs first.
    void remove(const std::vector<std::string>& values);
    const std::vector<std::string>& label_names() const { return labels_; }

private:
    friend class Registry;
    Family(std::vector<std::string> labels, std::vector<double> bounds)
        : labels_(std::move(labels)), bounds_(std::move(bounds)) {}
    std::vector<std::string> labels_;
    std::vector<double> bounds_;  // histograms only
    mutable std::mutex mutex_;
    std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
    template <class F>
    void for_each(F&& f) const;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class Registry {
public:
    Registry();
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // Counter names should end in `_total` (promtool insists); `_total` is not added for you.
    Counter& counter(const std::string& name, const std::string& help);
    Gauge& gauge(const std::string& name, const std::string& help);
    Histogram& histogram(const std::string& name, const std::string& help, std::vector<double> bounds);
    CounterFamily& counter_family(const std::string& name, const std::string& help,
                                  std::vector<std::string> labels);
    GaugeFamily& gauge_family(const std::string& name, const std::string& help,
                              std::vector<std::string> labels);
    HistogramFamily& histogram_family(const std::string& name, const std::string& help,
                                      std::vector<std::string> labels, std::vector<double> bounds);

    // Runs before every render, outside the registry's lock: the place to set gauges whose
    // truth lives elsewhere (queue depths, per-feed state) right when they are scraped.
    void add_collector(std::function<void()> collect);

    // The whole registry in the text exposition format, metrics in registration order.
    std::string render() const;

private:
    struct Entry;
    Entry& entry(const std::string& name, const std::string& help, Kind kind,
                 const std::vector<std::string>& labels, const std::vector<double>& bounds);
    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<Entry>> entries_;
    std::vector<std::function<void()>> collectors_;
};

// Content-Type of `Registry::render()`.
inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// Pure pieces of the format, exposed for tests.
bool is_valid_metric_name(std::string_view name);
bool is_valid_label_name(std::string_view name);
std::string escape_label_value(std::string_view value);  // \ " and newline
std::string escape_help(std::string_view help);          // \ and newline
std::string format_value(double v);                      // integers exactly, +Inf, -Inf, NaN

}  // namespace ww::http
