#include "core/time.h"

#include <gtest/gtest.h>

namespace ww {
namespace {

using namespace std::chrono;

TEST(Rfc3339, FormatsUtc) {
    const SysSeconds t = sys_days{2026y / November / 27} + 14h + 5min + 9s;
    EXPECT_EQ(format_rfc3339(t), "2026-11-27T14:05:09Z");
}

TEST(Rfc3339, ParsesOffsetsAndFractions) {
    const SysSeconds t = sys_days{2026y / November / 27} + 14h + 5min;
    EXPECT_EQ(parse_rfc3339("2026-11-27T14:05:00Z"), t);
    EXPECT_EQ(parse_rfc3339("2026-11-27T15:05:00+01:00"), t);
    EXPECT_EQ(parse_rfc3339("2026-11-27T09:05:00.123-05:00"), t);
    EXPECT_EQ(parse_rfc3339("2026-11-27"), SysSeconds{sys_days{2026y / November / 27}});
}

TEST(Rfc3339, RejectsGarbage) {
    for (const char* s : {"", "yesterday", "2026-13-01T00:00:00Z", "2026-02-30", "2026-11-27T25:00Z",
                          "2026-11-27T10:00:00Zjunk"})
        EXPECT_FALSE(parse_rfc3339(s).has_value()) << s;
}

}  // namespace
}  // namespace ww
