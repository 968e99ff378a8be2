#include "http/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace ww::http {

void Gauge::add(double d) { value_.fetch_add(d, std::memory_order_relaxed); }

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        if (std::isnan(bounds_[i]) || std::isinf(bounds_[i]) || (i > 0 && bounds_[i] <= bounds_[i - 1]))
            throw std::invalid_argument("metrics: histogram bounds must be finite and strictly increasing");
    }
    for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) {
    // Bucket i counts values in (bounds[i-1], bounds[i]]: Prometheus' `le` is inclusive.
    const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
    buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
    Snapshot s;
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        s.cumulative.push_back(running);
    }
    // Read without a lock: a concurrent observe may land in the buckets and not yet in the sum.
    // Scrapes tolerate that; counts stay monotonic, which is what rate() needs.
    s.count = running;
    s.sum = sum_.load(std::memory_order_relaxed);
    return s;
}

std::vector<double> latency_buckets() {
    return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

std::vector<double> exponential_buckets(double start, double factor, std::size_t count) {
    if (start <= 0 || factor <= 1) throw std::invalid_argument("metrics: exponential buckets need start > 0 and factor > 1");
    std::vector<double> b;
    for (double v = start; b.size() < count; v *= factor) b.push_back(v);
    return b;
}

template <class Metric>
Metric& Family<Metric>::with(const std::vector<std::string>& values) {
    if (values.size() != labels_.size())
        throw std::invalid_argument("metrics: " + std::to_string(values.size()) + " label values for " +
                                    std::to_string(labels_.size()) + " labels");
    std::lock_guard lock(mutex_);
    auto& slot = children_[values];
    if (!slot) {
        if constexpr (std::is_same_v<Metric, Histogram>)
            slot = std::make_unique<Histogram>(bounds_);
        else
            slot = std::make_unique<Metric>();
    }
    return *slot;
}

template <class Metric>
void Family<Metric>::remove(const std::vector<std::string>& values) {
    std::lock_guard lock(mutex_);
    children_.erase(values);
}

template <class Metric>
template <class F>
void Family<Metric>::for_each(F&& f) const {
    std::lock_guard lock(mutex_);
    for (const auto& [values, metric] : children_) f(values, *metric);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

bool is_valid_metric_name(std::string_view name) {
    if (name.empty()) return false;
    auto first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; };
    if (!first(name[0])) return false;
    return std::ranges::all_of(name, [&](char c) { return first(c) || (c >= '0' && c <= '9'); });
}

bool is_valid_label_name(std::string_view name) {
    if (name.empty() || name.starts_with("__")) return false;  // reserved for Prometheus itself
    auto first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (!first(name[0])) return false;
    return std::ranges::all_of(name, [&](char c) { return first(c) || (c >= '0' && c <= '9'); });
}

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string escape_help(std::string_view help) {
    std::string out;
    out.reserve(help.size());
    for (char c : help) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string format_value(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    // Whole numbers (counts, unix times) as integers; else the shortest text that reads back to
    // the same double: 0.005 stays "0.005", not 0.005000000000000001.
    if (std::trunc(v) == v && std::fabs(v) < 9007199254740992.0) return std::to_string(static_cast<std::int64_t>(v));
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc{} ? std::string(buf, end) : std::string("NaN");
}

namespace {

std::string_view kind_name(Kind k) {
    switch (k) {
        case Kind::counter: return "counter";
        case Kind::gauge: return "gauge";
        case Kind::histogram: return "histogram";
    }
    return "untyped";
}

// {a="x",b="y"} with an optional extra pair (the histogram's `le`); "" when there is nothing.
std::string label_set(const std::vector<std::string>& names, const std::vector<std::string>& values,
                      std::string_view extra_name = {}, std::string_view extra_value = {}) {
    if (names.empty() && extra_name.empty()) return {};
    std::string s = "{";
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) s += ',';
        s += names[i] + "=\"" + escape_label_value(values[i]) + '"';
    }
    if (!extra_name.empty()) {
        if (!names.empty()) s += ',';
        s += std::string(extra_name) + "=\"" + std::string(extra_value) + '"';
    }
    return s + '}';
}

}  // namespace

struct Registry::Entry {
    std::string name;
    std::string help;
    Kind kind;
    std::vector<std::string> labels;
    std::vector<double> bounds;
    std::unique_ptr<CounterFamily> counters;
    std::unique_ptr<GaugeFamily> gauges;
    std::unique_ptr<HistogramFamily> histograms;

    void render(std::string& out) const {
        out += "# HELP " + name + ' ' + escape_help(help) + '\n';
        out += "# TYPE " + name + ' ' + std::string(kind_name(kind)) + '\n';
        if (counters) {
            counters->for_each([&](const auto& values, const Counter& c) {
                out += name + label_set(labels, values) + ' ' + std::to_string(c.value()) + '\n';
            });
        } else if (gauges) {
            gauges->for_each([&](const auto& values, const Gauge& g) {
                out += name + label_set(labels, values) + ' ' + format_value(g.value()) + '\n';
            });
        } else {
            histograms->for_each([&](const auto& values, const Histogram& h) {
                const auto snap = h.snapshot();
                for (std::size_t i = 0; i < h.bounds().size(); ++i)
                    out += name + "_bucket" + label_set(labels, values, "le", format_value(h.bounds()[i])) +
                           ' ' + std::to_string(snap.cumulative[i]) + '\n';
                out += name + "_bucket" + label_set(labels, values, "le", "+Inf") + ' ' +
                       std::to_string(snap.count) + '\n';
                out += name + "_sum" + label_set(labels, values) + ' ' + format_value(snap.sum) + '\n';
                out += name + "_count" + label_set(labels, values) + ' ' + std::to_string(snap.count) + '\n';
            });
        }
    }
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Entry& Registry::entry(const std::string& name, const std::string& help, Kind kind,
                                 const std::vector<std::string>& labels, const std::vector<double>& bounds) {
    if (!is_valid_metric_name(name)) throw std::invalid_argument("metrics: invalid metric name \"" + name + "\"");
    for (const auto& l : labels) {
        if (!is_valid_label_name(l) || (kind == Kind::histogram && l == "le"))
            throw std::invalid_argument("metrics: invalid label name \"" + l + "\" on " + name);
    }
    std::lock_guard lock(mutex_);
    for (auto& e : entries_) {
        // A histogram owns name_bucket, name_sum and name_count too; those may not be reused.
        auto clashes = [&](const std::string& a, const std::string& b) {
            if (a == b) return true;
            for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
                if (e->kind == Kind::histogram && b == a + std::string(suffix)) return true;
            }
            return false;
        };
        if (e->name == name) {
            if (e->kind != kind || e->help != help || e->labels != labels || e->bounds != bounds)
                throw std::invalid_argument("metrics: \"" + name + "\" registered twice differently");
            return *e;
        }
        if (clashes(e->name, name) || (kind == Kind::histogram && clashes(name, e->name)))
            throw std::invalid_argument("metrics: \"" + name + "\" clashes with \"" + e->name + "\"");
    }
    auto e = std::make_unique<Entry>();
    e->name = name;
    e->help = help;
    e->kind = kind;
    e->labels = labels;
    e->bounds = bounds;
    switch (kind) {
        case Kind::counter: e->counters.reset(new CounterFamily(labels, {})); break;
        case Kind::gauge: e->gauges.reset(new GaugeFamily(labels, {})); break;
        case Kind::histogram: e->histograms.reset(new HistogramFamily(labels, bounds)); break;
    }
    entries_.push_back(std::move(e));
    return *entries_.back();
}

Counter& Registry::counter(const std::string& name, const std::string& help) {
    return entry(name, help, Kind::counter, {}, {}).counters->with({});
}

Gauge& Registry::gauge(const std::string& name, const std::string& help) {
    return entry(name, help, Kind::gauge, {}, {}).gauges->with({});
}

Histogram& Registry::histogram(const std::string& name, const std::string& help, std::vector<double> bounds) {
    (void)Histogram(bounds);  // validates the bounds before anything is registered
    return entry(name, help, Kind::histogram, {}, bounds).histograms->with({});
}

CounterFamily& Registry::counter_family(const std::string& name, const std::string& help,
                                        std::vector<std::string> labels) {
    return *entry(name, help, Kind::counter, labels, {}).counters;
}

GaugeFamily& Registry::gauge_family(const std::string& name, const std::string& help,
                                    std::vector<std::string> labels) {
    return *entry(name, help, Kind::gauge, labels, {}).gauges;
}

HistogramFamily& Registry::histogram_family(const std::string& name, const std::string& help,
                                            std::vector<std::string> labels, std::vector<double> bounds) {
    (void)Histogram(bounds);
    return *entry(name, help, Kind::histogram, labels, bounds).histograms;
}

void Registry::add_collector(std::function<void()> collect) {
    std::lock_guard lock(mutex_);
    collectors_.push_back(std::move(collect));
}

std::string Registry::render() const {
    std::vector<std::function<void()>> collectors;
    {
        std::lock_guard lock(mutex_);
        collectors = collectors_;
    }
    // Collectors may register or update metrics, so they run without the registry's lock.
    for (const auto& c : collectors) c();
    std::string out;
    std::lock_guard lock(mutex_);
    for (const auto& e : entries_) e->render(out);
    return out;
}

}  // namespace ww::http
