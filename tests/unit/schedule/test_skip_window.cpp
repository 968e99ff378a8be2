#include "schedule/skip_window.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace ww::schedule {
namespace {

TEST(SkipWindow, MovesToTheFirstAllowedHour) {
    struct Case {
        const char* name;
        const char* at;  // 2026-11-27 is a Friday
        std::vector<int> hours;
        std::vector<std::string> days;
        const char* expected;
    };
    const Case cases[] = {
        {"no hints", "2026-11-27T03:17:00Z", {}, {}, "2026-11-27T03:17:00Z"},
        {"allowed hour kept", "2026-11-27T03:17:00Z", {1, 2}, {}, "2026-11-27T03:17:00Z"},
        {"skipped hour", "2026-11-27T03:17:00Z", {3}, {}, "2026-11-27T04:00:00Z"},
        {"run of skipped hours", "2026-11-27T22:10:00Z", {22, 23, 0, 1}, {}, "2026-11-28T02:00:00Z"},
        {"skipped day", "2026-11-27T10:00:00Z", {}, {"Friday"}, "2026-11-28T00:00:00Z"},
        {"weekend and night", "2026-11-28T10:00:00Z", {0, 1, 2, 3, 4, 5}, {"saturday", "Sunday"}, "2026-11-30T06:00:00Z"},
        {"every hour skipped is ignored", "2026-11-27T03:17:00Z",
         {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, {},
         "2026-11-27T03:17:00Z"},
        {"every day skipped is ignored", "2026-11-27T03:17:00Z", {},
         {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
         "2026-11-27T03:17:00Z"},
        {"junk values ignored", "2026-11-27T03:17:00Z", {-1, 24, 99}, {"Caturday"}, "2026-11-27T03:17:00Z"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(format_rfc3339(skip_to_allowed(*parse_rfc3339(c.at), c.hours, c.days)), c.expected)
            << c.name;
}

}  // namespace
}  // namespace ww::schedule
