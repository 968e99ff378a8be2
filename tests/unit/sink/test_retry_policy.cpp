#include "sink/retry_policy.h"

#include <gtest/gtest.h>

namespace ww::sink {
namespace {

using namespace std::chrono_literals;

TEST(BackoffDelay, DoublesFromInitialUpToMaxMinusJitter) {
    RetryPolicy p;
    p.initial = 1000ms;
    p.max = 10'000ms;
    p.jitter = 0.2;
    struct Case {
        std::uint32_t retry;
        double random;
        milliseconds want;
    } cases[] = {
        {1, 0.0, 1000ms}, {2, 0.0, 2000ms}, {3, 0.0, 4000ms}, {4, 0.0, 8000ms},
        {5, 0.0, 10'000ms},  // capped
        {40, 0.0, 10'000ms},  // no overflow on a long outage
        {1, 1.0, 800ms},      // full jitter takes 20% off
        {3, 0.5, 3600ms},
    };
    for (const auto& c : cases)
        EXPECT_EQ(backoff_delay(p, c.retry, c.random), c.want) << "retry " << c.retry << " random " << c.random;
}

TEST(RetryDelay, PrefersTheServicesRetryAfter) {
    RetryPolicy p;
    EXPECT_EQ(retry_delay(p, 1, 7000ms, 0.5), 7000ms);
    EXPECT_EQ(retry_delay(p, 5, 0ms, 0.5), 0ms);
    EXPECT_EQ(retry_delay(p, 1, std::nullopt, 0.0), 2000ms);
    EXPECT_EQ(retry_delay(p, 1, milliseconds{999'999'999'999}, 0.0), milliseconds{86'400'000});
}

TEST(ParseRetryAfter, SecondsAndHttpDates) {
    const SysSeconds now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} + std::chrono::hours{15};
    struct Case {
        const char* value;
        std::optional<milliseconds> want;
    } cases[] = {
        {"7", 7000ms},
        {" 120 ", 120'000ms},
        {"0", 0ms},
        {"Fri, 27 Nov 2026 15:01:30 GMT", 90'000ms},
        {"Fri, 27 Nov 2026 14:00:00 GMT", 0ms},  // already past
        {"", std::nullopt},
        {"-5", std::nullopt},
        {"soon", std::nullopt},
        {"1.5", std::nullopt},
        {"Fri, 27 Nov 2026 15:01:30 PST", std::nullopt},
        {"Fri, 31 Feb 2026 15:01:30 GMT", std::nullopt},
    };
    for (const auto& c : cases) EXPECT_EQ(parse_retry_after(c.value, now), c.want) << "\"" << c.value << "\"";
}

TEST(ParseMillis, AcceptsMillisecondsAndCoreDurations) {
    EXPECT_EQ(parse_millis("250ms").value(), 250ms);
    EXPECT_EQ(parse_millis("2s").value(), 2000ms);
    EXPECT_EQ(parse_millis("5m").value(), 300'000ms);
    EXPECT_FALSE(parse_millis("5").has_value());
    EXPECT_FALSE(parse_millis("xms").has_value());
}

}  // namespace
}  // namespace ww::sink
