#include "schedule/jitter.h"

#include <gtest/gtest.h>

namespace ww::schedule {
namespace {

TEST(Jitter, StaysInRangeSpreadsAndRepeatsPerSeed) {
    Jitter a(42), b(42), c(7);
    double lo = 1, hi = -1;
    bool differs = false;
    for (int i = 0; i < 1000; ++i) {
        const double x = a.next();
        EXPECT_EQ(x, b.next());
        differs = differs || x != c.next();
        EXPECT_GE(x, -1.0);
        EXPECT_LE(x, 1.0);
        lo = std::min(lo, x);
        hi = std::max(hi, x);
    }
    EXPECT_TRUE(differs);
    EXPECT_LT(lo, -0.9);
    EXPECT_GT(hi, 0.9);
}

}  // namespace
}  // namespace ww::schedule
