#include "app/poll_policy.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace ww::app {
namespace {

TEST(PollPolicy, RoundTripsTheStoredState) {
    store::FeedState stored;
    stored.status = "error";
    stored.learned_interval_s = 900;
    stored.initialised = true;
    stored.error_streak = 3;
    stored.last_error_kind = "dns";
    const auto arrival = parse_rfc3339("2026-11-27T10:00:00Z");
    stored.last_arrival_at = arrival;
    const auto s = schedule_state_of(stored);
    EXPECT_EQ(s.status, schedule::FeedStatus::active);
    EXPECT_EQ(s.learned_interval.count(), 900);
    EXPECT_TRUE(s.fetched_before);
    EXPECT_EQ(s.error_streak, 3);
    EXPECT_EQ(s.last_arrival_at, arrival);
}

TEST(PollPolicy, GoneIsKeptBothWays) {
    store::FeedState stored;
    stored.status = "gone";
    EXPECT_EQ(schedule_state_of(stored).status, schedule::FeedStatus::gone);

    schedule::Decision d;
    d.state.status = schedule::FeedStatus::gone;
    d.state.error_streak = 1;
    store::FeedState out;
    out.status = "error";
    apply_decision(d, out);
    EXPECT_EQ(out.status, "gone");
    EXPECT_FALSE(out.next_check_at.has_value());
}

TEST(PollPolicy, DecisionDrivesNextCheckAndStreak) {
    const auto now = *parse_rfc3339("2026-11-27T10:00:00Z");
    schedule::Input in{.now = now, .interval = std::chrono::seconds(600)};
    in.result.outcome = schedule::Outcome::failed;
    in.result.error_kind = "http_5xx";
    const auto d = schedule::next_check(policy_of({}), in);
    store::FeedState out;
    apply_decision(d, out);
    EXPECT_EQ(out.error_streak, 1);
    ASSERT_TRUE(out.next_check_at.has_value());
    EXPECT_GE(*out.next_check_at - now, std::chrono::seconds(54));  // 1 min backoff, +-10 %
    EXPECT_LE(*out.next_check_at - now, std::chrono::seconds(66));
}

}  // namespace
}  // namespace ww::app
