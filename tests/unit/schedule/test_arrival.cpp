#include "schedule/arrival.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace ww::schedule {
namespace {

using namespace std::chrono_literals;

const SysSeconds kNow = *parse_rfc3339("2026-11-27T12:00:00Z");

TEST(Arrival, LearnIntervalIsAnEwmaOfGapsClamped) {
    const Policy p;  // weight 0.3, [5 min, 24 h]
    struct Case {
        const char* name;
        Seconds learned, since;
        std::size_t items;
        Seconds expected;
    };
    const Case cases[] = {
        {"first observation is taken as is", 0s, 60min, 1, 60min},
        {"gap split between items", 0s, 60min, 4, 15min},
        {"ewma moves 30 % towards the new gap", 60min, 160min, 1, 90min},
        {"faster gap pulls it down", 60min, 10min, 1, 45min},
        {"no arrival leaves it", 60min, 500min, 0, 60min},
        {"clamped to min", 0s, 1min, 3, 5min},
        {"clamped to max", 0s, 72h, 1, 24h},
    };
    for (const auto& c : cases)
        EXPECT_EQ(learn_interval(p, c.learned, c.since, c.items), c.expected) << c.name;
}

TEST(Arrival, EstimateFromDates) {
    const Policy p;
    struct Case {
        const char* name;
        std::vector<SysSeconds> dates;
        std::optional<Seconds> expected;
    };
    const Case cases[] = {
        {"none", {}, std::nullopt},
        {"one", {kNow - 1h}, std::nullopt},
        {"same date twice", {kNow - 1h, kNow - 1h}, std::nullopt},
        {"mean gap, any order", {kNow - 1h, kNow - 4h, kNow - 2h, kNow - 3h}, 1h},
        {"future dates ignored", {kNow + 10h, kNow - 2h, kNow - 4h}, 2h},
        {"clamped to min", {kNow - 1min, kNow - 2min}, 5min},
        {"clamped to max", {kNow - 1h, kNow - 1000h}, 24h},
    };
    for (const auto& c : cases) EXPECT_EQ(estimate_from_dates(p, c.dates, kNow), c.expected) << c.name;
}

}  // namespace
}  // namespace ww::schedule
