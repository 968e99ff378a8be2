#include "app/poll_policy.h"

#include <gtest/gtest.h>

namespace ww::app {
namespace {

using std::chrono::seconds;

TEST(NextDelay, ExplicitIntervalIsHonoured) {
    config::FeedConfig f;
    f.interval = seconds(30);
    EXPECT_EQ(next_delay(f, {}, {}), seconds(30));
}

TEST(NextDelay, ErrorsBackOffExponentiallyToADay) {
    config::FeedConfig f;
    f.interval = seconds(30);
    store::FeedState s;
    struct Case { int streak; long long want; };
    for (const auto c : {Case{1, 60}, {2, 120}, {3, 240}, {11, 61440}, {12, 86400}, {500, 86400}}) {
        s.error_streak = c.streak;
        EXPECT_EQ(next_delay(f, s, {}).count(), c.want) << c.streak;
    }
}

}  // namespace
}  // namespace ww::app
