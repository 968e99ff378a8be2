#include "schedule/policy.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace ww::schedule {
namespace {

using namespace std::chrono_literals;

const SysSeconds kNow = *parse_rfc3339("2026-11-27T12:00:00Z");  // a Friday

// A feed fetched before, learned at 1 h, last items 1 h ago.
FeedState settled() {
    FeedState s;
    s.fetched_before = true;
    s.learned_interval = 1h;
    s.last_arrival_at = kNow - 1h;
    return s;
}

FetchResult modified(std::size_t items, std::size_t new_items) {
    FetchResult r;
    r.outcome = Outcome::modified;
    r.items = items;
    r.new_items = new_items;
    return r;
}

FetchResult failed(std::string kind, std::optional<Seconds> retry = std::nullopt) {
    FetchResult r;
    r.outcome = Outcome::failed;
    r.error_kind = std::move(kind);
    r.retry_after = retry;
    return r;
}

Input input(FeedState s, FetchResult r) {
    Input in;
    in.now = kNow;
    in.state = std::move(s);
    in.result = std::move(r);
    return in;
}

TEST(Policy, SuccessfulFetches) {
    const Policy p;
    struct Case {
        const char* name;
        Input in;
        Seconds delay;
        std::string_view reason;
        Seconds learned;
    };
    auto with = [](Input in, auto&& f) {
        f(in);
        return in;
    };
    const Case cases[] = {
        {"explicit interval honoured as written, below min and without jitter",
         with(input(settled(), modified(10, 2)), [](Input& in) { in.interval = 30s; in.jitter = 1; }),
         30s, "explicit", 51min},
        {"explicit ignores hints",
         with(input(settled(), modified(10, 0)), [](Input& in) { in.interval = 10min; in.result.hints.ttl_seconds = 7200; }),
         10min, "explicit", 1h},
        {"auto keeps the learned interval when nothing arrived",
         input(settled(), modified(10, 0)), 1h, "auto", 1h},
        {"not modified is like nothing new",
         with(input(settled(), modified(0, 0)), [](Input& in) { in.result.outcome = Outcome::not_modified; }),
         1h, "auto", 1h},
        {"two items in an hour pull the ewma to 30 min gaps",
         input(settled(), modified(10, 2)), 51min, "auto", 51min},
        {"jitter +1 adds 10 %", with(input(settled(), modified(10, 0)), [](Input& in) { in.jitter = 1; }),
         66min, "auto", 1h},
        {"jitter -1 takes 10 %", with(input(settled(), modified(10, 0)), [](Input& in) { in.jitter = -1; }),
         54min, "auto", 1h},
        {"ttl is a floor", with(input(settled(), modified(10, 0)), [](Input& in) { in.result.hints.ttl_seconds = 3 * 3600; }),
         3h, "hint", 1h},
        {"Cache-Control max-age is a floor", with(input(settled(), modified(10, 0)), [](Input& in) { in.result.freshness = 2h; }),
         2h, "hint", 1h},
        {"a floor below the learned interval changes nothing",
         with(input(settled(), modified(10, 0)), [](Input& in) { in.result.freshness = 10min; }), 1h, "auto", 1h},
        {"a floor beyond max_interval is capped",
         with(input(settled(), modified(10, 0)), [](Input& in) { in.result.hints.ttl_seconds = 365 * 86400; }),
         24h, "hint", 1h},
        {"never below min_interval, even with jitter",
         with(input(settled(), modified(10, 0)), [](Input& in) { in.state.learned_interval = 5min; in.state.last_arrival_at = kNow - 5min; in.jitter = -1; }),
         5min, "auto", 5min},
        {"never above max_interval, even with jitter",
         with(input(settled(), modified(10, 0)), [](Input& in) { in.state.learned_interval = 24h; in.state.last_arrival_at = kNow - 1h; in.jitter = 1; }),
         24h, "auto", 24h},
        {"a long silence stretches the interval",
         with(input(settled(), modified(10, 0)), [](Input& in) { in.state.last_arrival_at = kNow - 20 * 24h; }),
         24h, "auto", 1h},
        {"first fetch learns from the document's dates",
         with(input(FeedState{}, modified(3, 3)), [](Input& in) { in.result.item_dates = {kNow - 1h, kNow - 3h, kNow - 5h}; }),
         2h, "auto", 2h},
        {"first fetch without dates starts at the initial interval",
         input(FeedState{}, modified(3, 3)), 30min, "auto", 0s},
    };
    for (const auto& c : cases) {
        const auto d = next_check(p, c.in);
        ASSERT_TRUE(d.next_check) << c.name;
        EXPECT_EQ(*d.next_check - kNow, c.delay) << c.name;
        EXPECT_EQ(d.delay, c.delay) << c.name;
        EXPECT_EQ(d.reason, c.reason) << c.name;
        EXPECT_EQ(d.state.learned_interval, c.learned) << c.name;
        EXPECT_FALSE(d.gap) << c.name;
        EXPECT_EQ(d.state.status, FeedStatus::active) << c.name;
        EXPECT_TRUE(d.state.fetched_before) << c.name;
    }
}

TEST(Policy, SuccessResetsTheErrorStreak) {
    auto s = settled();
    s.error_streak = 9;
    s.last_error_kind = "timeout";
    const auto d = next_check(Policy{}, input(s, modified(10, 0)));
    EXPECT_EQ(d.state.error_streak, 0);
    EXPECT_EQ(d.state.last_error_kind, "");
    EXPECT_EQ(d.delay, 1h);
}

TEST(Policy, SkipHoursAndDaysMoveTheNextCheck) {
    auto in = input(settled(), modified(10, 0));
    in.result.hints.skip_hours = {13, 14};
    auto d = next_check(Policy{}, in);
    EXPECT_EQ(format_rfc3339(*d.next_check), "2026-11-27T15:00:00Z");
    in.result.hints.skip_days = {"Friday"};
    d = next_check(Policy{}, in);
    EXPECT_EQ(format_rfc3339(*d.next_check), "2026-11-28T00:00:00Z");
}

TEST(Policy, EveryItemNewMeansAMissedWindow) {
    const Policy p;
    struct Case {
        const char* name;
        FeedState state;
        FetchResult result;
        bool gap;
        Seconds learned;
    };
    FeedState first_fetch;
    auto fast = settled();
    fast.learned_interval = 8min;
    const Case cases[] = {
        // ewma of 60 min and 6 min gaps = 43.8 min, halved
        {"all 10 new on a known feed: gap, interval halved after the ewma", settled(), modified(10, 10), true, 1314s},
        {"nine of ten new is no gap", settled(), modified(10, 9), false, 44min},
        {"halving stops at min_interval", fast, modified(5, 5), true, 5min},
        {"first fetch is catch-up, not a gap", first_fetch, modified(10, 10), false, 0s},
        {"empty document is no gap", settled(), modified(0, 0), false, 1h},
    };
    for (const auto& c : cases) {
        const auto d = next_check(p, input(c.state, c.result));
        EXPECT_EQ(d.gap, c.gap) << c.name;
        EXPECT_EQ(d.state.learned_interval, c.learned) << c.name;
    }
}

TEST(Policy, Failures) {
    const Policy p;
    struct Case {
        const char* name;
        Input in;
        std::optional<Seconds> delay;  // nullopt: not polled any more
        std::string_view reason;
        int streak;
        bool counted;
        std::optional<Seconds> host_hold;
    };
    auto streak = [](int n) {
        auto s = settled();
        s.error_streak = n;
        return s;
    };
    auto down = [](Input in) {
        in.network_down = true;
        return in;
    };
    const Case cases[] = {
        {"first failure waits a minute", input(settled(), failed("timeout")), 1min, "backoff", 1, true, {}},
        {"fourth failure waits 8 minutes", input(streak(3), failed("http_5xx")), 8min, "backoff", 4, true, {}},
        {"the cap is 24 h and it never gives up", input(streak(400), failed("not_found")), 24h, "backoff", 401, true, {}},
        {"410 stops polling", input(settled(), failed("gone")), std::nullopt, "gone", 0, false, {}},
        {"429 Retry-After longer than the backoff wins and holds the host",
         input(settled(), failed("rate_limited", 600s)), 600s, "retry_after", 1, true, 600s},
        {"503 Retry-After shorter than the backoff still holds the host",
         input(streak(5), failed("unavailable", 30s)), 32min, "backoff", 6, true, 30s},
        {"Retry-After is capped at 24 h", input(settled(), failed("rate_limited", 30 * 24h)), 24h, "retry_after", 1, true, 24h},
        {"dns failure while the network is down does not count",
         down(input(streak(2), failed("dns"))), 5min, "network_down", 2, false, {}},
        {"connect failure while the network is down does not count",
         down(input(streak(0), failed("connect"))), 5min, "network_down", 0, false, {}},
        {"a timeout while the network is down still counts",
         down(input(streak(0), failed("timeout"))), 1min, "backoff", 1, true, {}},
        {"dns failure with the network up counts", input(streak(0), failed("dns")), 1min, "backoff", 1, true, {}},
        {"explicit-interval feeds back off too",
         [&] { auto in = input(streak(1), failed("timeout")); in.interval = 30s; return in; }(), 2min, "backoff", 2, true, {}},
    };
    for (const auto& c : cases) {
        const auto d = next_check(p, c.in);
        EXPECT_EQ(d.reason, c.reason) << c.name;
        EXPECT_EQ(d.state.error_streak, c.streak) << c.name;
        EXPECT_EQ(d.counted_error, c.counted) << c.name;
        EXPECT_EQ(d.state.last_error_kind, c.in.result.error_kind) << c.name;
        if (c.delay) {
            ASSERT_TRUE(d.next_check) << c.name;
            EXPECT_EQ(*d.next_check - kNow, *c.delay) << c.name;
            EXPECT_EQ(d.state.status, FeedStatus::active) << c.name;
        } else {
            EXPECT_FALSE(d.next_check) << c.name;
            EXPECT_EQ(d.state.status, FeedStatus::gone) << c.name;
        }
        if (c.host_hold)
            EXPECT_EQ(d.host_hold_until, kNow + *c.host_hold) << c.name;
        else
            EXPECT_FALSE(d.host_hold_until) << c.name;
        // A failure never teaches the feed's rhythm.
        EXPECT_EQ(d.state.learned_interval, c.in.state.learned_interval) << c.name;
    }
}

TEST(Policy, IsNetworkError) {
    for (const char* k : {"dns", "connect"}) EXPECT_TRUE(is_network_error(k)) << k;
    for (const char* k : {"", "timeout", "tls", "reset", "http_5xx", "blocked"}) EXPECT_FALSE(is_network_error(k)) << k;
}

}  // namespace
}  // namespace ww::schedule
