// Quiet hours in RunningSink: an alert offered inside the window is delivered when it ends,
// never dropped, and alerts keep their order.
#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "core/time.h"
#include "sink/running_sink.h"
#include "sink/sink_options.h"

namespace ww::sink {
namespace {

using namespace std::chrono_literals;

// Policy time moves only when the sink sleeps, so the test never waits for a real night.
class NightClock final : public Clock {
public:
    explicit NightClock(SysSeconds start) : policy_(start) {}
    std::chrono::steady_clock::time_point now() override { return std::chrono::steady_clock::time_point{}; }
    SysSeconds system_now() override { return policy_now(); }
    bool sleep_for(std::chrono::milliseconds d, std::stop_token st) override {
        std::lock_guard l(m_);
        policy_ += std::chrono::ceil<std::chrono::seconds>(d);
        return !st.stop_requested();
    }
    double random01() override { return 0.5; }
    SysSeconds policy_now() override {
        std::lock_guard l(m_);
        return policy_;
    }

private:
    std::mutex m_;
    SysSeconds policy_;
};

class Recorder final : public Deliverer {
public:
    explicit Recorder(std::shared_ptr<NightClock> c) : clock_(std::move(c)) {}
    Delivery deliver(const OfferedAlert& a) override {
        std::lock_guard l(m_);
        at_.emplace_back(a.seq, clock_->policy_now());
        return {};
    }
    std::vector<std::pair<std::int64_t, SysSeconds>> deliveries() {
        std::lock_guard l(m_);
        return at_;
    }

private:
    std::shared_ptr<NightClock> clock_;
    std::mutex m_;
    std::vector<std::pair<std::int64_t, SysSeconds>> at_;
};

class Cursors final : public CursorStore {
public:
    Result<std::int64_t> load(std::string_view) override { return 0; }
    Result<void> save(std::string_view, std::int64_t) override { return {}; }
    Result<void> record_failure(std::string_view, std::int64_t, std::string_view) override { return {}; }
};

TEST(QuietHours, HoldsDeliveryUntilTheWindowEndsThenDeliversInOrder) {
    struct Case { const char* quiet; const char* now; const char* delivered_from; } cases[] = {
        {"22:00-07:00 Europe/Berlin", "2026-11-27T22:30:00Z", "2026-11-28T06:00:00Z"},  // 23:30 CET
        {"22:00-07:00 Europe/Berlin", "2026-11-27T12:00:00Z", "2026-11-27T12:00:00Z"},  // daytime: at once
        {"09:00-17:00", "2026-11-27T16:59:30Z", "2026-11-27T17:00:00Z"},
    };
    for (const auto& c : cases) {
        auto clock = std::make_shared<NightClock>(*parse_rfc3339(c.now));
        auto recorder = std::make_unique<Recorder>(clock);
        auto* rec = recorder.get();
        RetryPolicy p;
        p.quiet_hours = *parse_quiet_hours(c.quiet);
        p.quiet_zone = *load_zone(p.quiet_hours->zone);
        Cursors cursors;
        RunningSink sink("night", {}, p, std::move(recorder), cursors, clock, {});
        ASSERT_TRUE(sink.start().has_value());
        for (std::int64_t seq = 1; seq <= 3; ++seq) sink.offer({seq, "alert.w", "{}"});
        ASSERT_TRUE(sink.wait_for_cursor(3, 10s)) << c.quiet;
        const auto d = rec->deliveries();
        ASSERT_EQ(d.size(), 3u) << c.quiet;
        for (std::size_t i = 0; i < d.size(); ++i) {
            EXPECT_EQ(d[i].first, std::int64_t(i + 1));
            EXPECT_GE(d[i].second, *parse_rfc3339(c.delivered_from)) << c.quiet << " now=" << c.now;
        }
        EXPECT_LT(d[0].second, *parse_rfc3339(c.delivered_from) + 5s) << "delivered as soon as the window ended";
        const bool held = std::string(c.now) != c.delivered_from;
        EXPECT_EQ(sink.counters().quiet_holds > 0, held) << c.quiet;
    }
}

TEST(QuietHours, ABadValueNamesTheSink) {
    SinkSpec spec{"night", "webhook", "", {}, {{"quiet_hours", "22:00-07:00 Atlantis/Capital"}}, "w.toml:3:1"};
    auto bad = resolve_sink(spec, {});
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("Atlantis/Capital"), std::string::npos) << bad.error().message;
    EXPECT_NE(bad.error().message.find("sink=night at w.toml:3:1"), std::string::npos) << bad.error().message;
    spec.options["quiet_hours"] = "22:00-07:00 Europe/Berlin";
    auto good = resolve_sink(spec, {});
    ASSERT_TRUE(good.has_value()) << good.error().message;
    EXPECT_TRUE(good->policy.quiet_hours.has_value());
    for (const auto& [k, v] : good->plugin_options) EXPECT_NE(k, "quiet_hours") << "a host key, not the plugin's";
}

}  // namespace
}  // namespace ww::sink
