#include "sink/running_sink.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <latch>
#include <map>

namespace ww::sink {
namespace {

using namespace std::chrono_literals;
using Outcome = Delivery::Outcome;

class FakeClock final : public Clock {
public:
    std::chrono::steady_clock::time_point now() override {
        std::lock_guard l(m_);
        return now_;
    }
    SysSeconds system_now() override { return SysSeconds{}; }
    bool sleep_for(milliseconds d, std::stop_token st) override {
        std::lock_guard l(m_);
        sleeps_.push_back(d);
        now_ += d;
        return !st.stop_requested();
    }
    double random01() override { return 0.5; }
    std::vector<milliseconds> sleeps() {
        std::lock_guard l(m_);
        return sleeps_;
    }

private:
    std::mutex m_;
    std::chrono::steady_clock::time_point now_{1h};
    std::vector<milliseconds> sleeps_;
};

class ScriptedDeliverer final : public Deliverer {
public:
    explicit ScriptedDeliverer(std::deque<Delivery> script = {}) : script_(std::move(script)) {}
    Delivery deliver(const OfferedAlert& a) override {
        if (gate_) gate_->wait();
        std::lock_guard l(m_);
        attempts_.push_back(a.seq);
        if (script_.empty()) return {};
        auto d = script_.front();
        script_.pop_front();
        return d;
    }
    std::vector<std::int64_t> attempts() {
        std::lock_guard l(m_);
        return attempts_;
    }
    std::latch* gate_ = nullptr;

private:
    std::mutex m_;
    std::deque<Delivery> script_;
    std::vector<std::int64_t> attempts_;
};

class MemoryCursors final : public CursorStore {
public:
    Result<std::int64_t> load(std::string_view s) override {
        std::lock_guard l(m_);
        return cursors_[std::string(s)];
    }
    Result<void> save(std::string_view s, std::int64_t seq) override {
        std::lock_guard l(m_);
        cursors_[std::string(s)] = seq;
        ++saves_;
        return {};
    }
    Result<void> record_failure(std::string_view s, std::int64_t seq, std::string_view msg) override {
        std::lock_guard l(m_);
        failures_.emplace_back(std::string(s) + ":" + std::to_string(seq) + ":" + std::string(msg));
        return {};
    }
    std::int64_t saved(const std::string& s) {
        std::lock_guard l(m_);
        return cursors_[s];
    }
    std::vector<std::string> failures() {
        std::lock_guard l(m_);
        return failures_;
    }

private:
    std::mutex m_;
    std::map<std::string, std::int64_t> cursors_;
    std::vector<std::string> failures_;
    int saves_ = 0;
};

OfferedAlert alert(std::int64_t seq, std::string watchlist = "china-trade") {
    return {seq, "alert." + watchlist, "{}"};
}

struct Fixture {
    std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
    MemoryCursors cursors;
    ScriptedDeliverer* deliverer = nullptr;
    std::vector<std::string> logs;
    std::mutex log_mutex;

    std::unique_ptr<RunningSink> make(std::deque<Delivery> script = {}, RetryPolicy p = {},
                                      std::vector<std::string> globs = {}) {
        auto d = std::make_unique<ScriptedDeliverer>(std::move(script));
        deliverer = d.get();
        return std::make_unique<RunningSink>("s", std::move(globs), p, std::move(d), cursors, clock,
                                             [this](LogLevel, std::string_view l) {
                                                 std::lock_guard g(log_mutex);
                                                 logs.emplace_back(l);
                                             });
    }
};

TEST(RunningSink, DeliversInOrderOnceAndSavesTheCursor) {
    Fixture f;
    auto s = f.make();
    ASSERT_TRUE(s->start().has_value());
    for (std::int64_t seq : {1, 2, 2, 1, 3}) s->offer(alert(seq));  // live and replayed copies
    ASSERT_TRUE(s->wait_for_cursor(3, 10s));
    EXPECT_EQ(f.deliverer->attempts(), (std::vector<std::int64_t>{1, 2, 3}));
    EXPECT_EQ(f.cursors.saved("s"), 3);
    EXPECT_EQ(s->counters().delivered, 3u);
}

TEST(RunningSink, ResumesAfterTheStoredCursor) {
    Fixture f;
    ASSERT_TRUE(f.cursors.save("s", 10).has_value());
    auto s = f.make();
    ASSERT_TRUE(s->start().has_value());
    for (std::int64_t seq = 8; seq <= 12; ++seq) s->offer(alert(seq));
    ASSERT_TRUE(s->wait_for_cursor(12, 10s));
    EXPECT_EQ(f.deliverer->attempts(), (std::vector<std::int64_t>{11, 12}));
}

TEST(RunningSink, RetriesWithExponentialBackoffAndHoldsLaterAlertsBack) {
    Fixture f;
    auto s = f.make({{Outcome::retry, {}, "HTTP 500"}, {Outcome::retry, {}, "HTTP 502"}, {}, {}});
    ASSERT_TRUE(s->start().has_value());
    s->offer(alert(1));
    s->offer(alert(2));
    ASSERT_TRUE(s->wait_for_cursor(2, 10s));
    EXPECT_EQ(f.deliverer->attempts(), (std::vector<std::int64_t>{1, 1, 1, 2}));
    EXPECT_EQ(f.clock->sleeps(), (std::vector<milliseconds>{1800ms, 3600ms}));
    EXPECT_EQ(s->counters().retries, 2u);
    EXPECT_EQ(s->counters().delivered, 2u);
}

TEST(RunningSink, HonoursRetryAfter) {
    Fixture f;
    auto s = f.make({{Outcome::retry, 7000ms, "HTTP 429"}});
    ASSERT_TRUE(s->start().has_value());
    s->offer(alert(1));
    ASSERT_TRUE(s->wait_for_cursor(1, 10s));
    EXPECT_EQ(f.clock->sleeps(), std::vector<milliseconds>{7000ms});
}

TEST(RunningSink, RecordsAPermanentFailureAndMovesOn) {
    Fixture f;
    auto s = f.make({{Outcome::permanent, {}, "HTTP 403: forbidden"}});
    ASSERT_TRUE(s->start().has_value());
    s->offer(alert(1));
    s->offer(alert(2));
    ASSERT_TRUE(s->wait_for_cursor(2, 10s));
    EXPECT_EQ(f.cursors.failures(), std::vector<std::string>{"s:1:HTTP 403: forbidden"});
    EXPECT_EQ(s->counters().failed, 1u);
    EXPECT_EQ(s->counters().delivered, 1u);
    EXPECT_TRUE(f.clock->sleeps().empty());
    std::lock_guard g(f.log_mutex);
    EXPECT_NE(std::ranges::find_if(f.logs, [](const auto& l) { return l.find("seq=1 outcome=failed") != l.npos; }),
              f.logs.end());
}

TEST(RunningSink, GivesUpAfterMaxAttempts) {
    Fixture f;
    RetryPolicy p;
    p.max_attempts = 2;
    auto s = f.make({{Outcome::retry, {}, "timeout"}, {Outcome::retry, {}, "timeout"}}, p);
    ASSERT_TRUE(s->start().has_value());
    s->offer(alert(1));
    ASSERT_TRUE(s->wait_for_cursor(1, 10s));
    EXPECT_EQ(f.cursors.failures(), std::vector<std::string>{"s:1:gave up after 2 attempts: timeout"});
}

TEST(RunningSink, SkipsUnroutedWatchlistsButMovesTheCursor) {
    Fixture f;
    auto s = f.make({}, {}, {"china-*", "tariffs-*"});
    ASSERT_TRUE(s->start().has_value());
    s->offer(alert(1, "sport"));
    s->offer(alert(2, "tariffs-eu"));
    s->offer(alert(3, "weather"));
    ASSERT_TRUE(s->wait_for_cursor(3, 10s));
    EXPECT_EQ(f.deliverer->attempts(), std::vector<std::int64_t>{2});
    EXPECT_EQ(s->counters().skipped, 2u);
    EXPECT_EQ(f.cursors.saved("s"), 3);  // the last skip of a drained queue is written out
}

TEST(RunningSink, PacesAttemptsByMinInterval) {
    Fixture f;
    RetryPolicy p;
    p.min_interval = 1500ms;
    auto s = f.make({}, p);
    ASSERT_TRUE(s->start().has_value());
    for (int i = 1; i <= 3; ++i) s->offer(alert(i));
    ASSERT_TRUE(s->wait_for_cursor(3, 10s));
    // The fake clock stands still between attempts, so each one waits the whole interval.
    EXPECT_EQ(f.clock->sleeps(), (std::vector<milliseconds>{1500ms, 1500ms}));
}

TEST(RunningSink, ASlowSinkDoesNotHoldAnotherBack) {
    Fixture slow_f, fast_f;
    auto slow = slow_f.make();
    std::latch gate(1);
    slow_f.deliverer->gate_ = &gate;
    auto fast = fast_f.make();
    ASSERT_TRUE(slow->start().has_value());
    ASSERT_TRUE(fast->start().has_value());
    for (int i = 1; i <= 3; ++i) {
        slow->offer(alert(i));
        fast->offer(alert(i));
    }
    EXPECT_TRUE(fast->wait_for_cursor(3, 10s));
    EXPECT_EQ(slow->cursor(), 0);
    gate.count_down();
    EXPECT_TRUE(slow->wait_for_cursor(3, 10s));
}

TEST(RunningSink, StopInterruptsABackoffAndKeepsTheAlertOwed) {
    MemoryCursors cursors;
    RetryPolicy p;
    p.initial = std::chrono::hours(1);
    auto d = std::make_unique<ScriptedDeliverer>(std::deque<Delivery>{{Outcome::retry, {}, "down"}});
    auto* raw = d.get();
    RunningSink s("s", {}, p, std::move(d), cursors, std::make_shared<SteadyClock>(), nullptr);
    ASSERT_TRUE(s.start().has_value());
    s.offer(alert(1));
    while (raw->attempts().empty()) std::this_thread::yield();  // the first attempt happened
    const auto t0 = std::chrono::steady_clock::now();
    s.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
    EXPECT_EQ(cursors.saved("s"), 0);
}

}  // namespace
}  // namespace ww::sink
