#include "schedule/backoff.h"

#include <gtest/gtest.h>

namespace ww::schedule {
namespace {

using namespace std::chrono_literals;

TEST(Backoff, DoublesFromOneMinuteToTheCapAndNeverGivesUp) {
    const Policy p;
    struct Case {
        int streak;
        double jitter;
        Seconds expected;
    };
    const Case cases[] = {
        {1, 0.0, 1min},   {2, 0.0, 2min},   {3, 0.0, 4min},    {6, 0.0, 32min},
        {11, 0.0, 1024min}, {12, 0.0, 24h}, {50, 0.0, 24h},   {100000, 0.0, 24h},
        {3, 1.0, 264s},   {3, -1.0, 216s},
        {1, -1.0, 1min},  // jitter never goes below the base
        {20, 1.0, 24h},   // nor above the cap
        {0, 0.0, 1min},   // a nonsense streak is treated as the first failure
    };
    for (const auto& c : cases)
        EXPECT_EQ(backoff_delay(p, c.streak, c.jitter), c.expected)
            << "streak " << c.streak << " jitter " << c.jitter;
}

TEST(Backoff, HonoursConfiguredBaseAndCap) {
    Policy p;
    p.backoff_base = 10s;
    p.backoff_cap = 1min;
    EXPECT_EQ(backoff_delay(p, 1, 0.0), 10s);
    EXPECT_EQ(backoff_delay(p, 3, 0.0), 40s);
    EXPECT_EQ(backoff_delay(p, 4, 0.0), 1min);
}

}  // namespace
}  // namespace ww::schedule
