#include "core/duration.h"

#include <gtest/gtest.h>

namespace ww {
namespace {

TEST(ParseDuration, AcceptsUnitsAndCompounds) {
    struct Case { const char* text; long long seconds; };
    for (const auto& c : {Case{"30s", 30}, {"10m", 600}, {"1h", 3600}, {"2d", 172800},
                          {"1h30m", 5400}, {"0s", 0}}) {
        auto d = parse_duration(c.text);
        ASSERT_TRUE(d.has_value()) << c.text;
        EXPECT_EQ(d->count(), c.seconds) << c.text;
    }
}

TEST(ParseDuration, RejectsWithAReason) {
    for (const char* text : {"", "10", "m", "10x", "-5m", "1.5h", "10 m"}) {
        auto d = parse_duration(text);
        ASSERT_FALSE(d.has_value()) << text;
        EXPECT_FALSE(d.error().message.empty());
    }
    EXPECT_NE(parse_duration("10").error().message.find("missing unit"), std::string::npos);
}

TEST(FormatDuration, RoundTrips) {
    for (long long s : {0LL, 59LL, 60LL, 3599LL, 3600LL, 90061LL}) {
        auto back = parse_duration(format_duration(std::chrono::seconds(s)));
        ASSERT_TRUE(back.has_value());
        EXPECT_EQ(back->count(), s);
    }
}

}  // namespace
}  // namespace ww
