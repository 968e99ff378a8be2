#include "websub/lease.h"

#include <gtest/gtest.h>

namespace ww::websub {
namespace {

using namespace std::chrono_literals;

const SysSeconds t0{std::chrono::seconds{1'800'000'000}};

TEST(Lease, RenewsATenthBeforeTheEndWithinBounds) {
    struct Case {
        Seconds lease;
        SysSeconds now;
        SysSeconds expected;
    };
    const Case cases[] = {
        {10 * 24h, t0, t0 + 10 * 24h - 1h},   // long lease: an hour ahead at most
        {5h, t0, t0 + 5h - 30min},            // a tenth
        {100s, t0, t0 + 90s},                 // a tenth
        {5s, t0, t0 + 4s},                    // at least a second ahead
        {2s, t0, t0 + 1s},                    // too short for the margin: half way
        {1s, t0, t0 + 1s},                    // half of 1 s is 0 s of margin
        {0s, t0 + 7s, t0 + 7s},               // no lease: now
        {100s, t0 + 95s, t0 + 95s},           // already late: now, never in the past
        {100s, t0 + 200s, t0 + 200s},         // expired: now
    };
    for (const auto& c : cases)
        EXPECT_EQ(renew_at(t0, c.lease, c.now), c.expected) << "lease " << c.lease.count() << "s";
}

TEST(Lease, ActiveOnlyWhileVerifiedAndUnexpired) {
    EXPECT_TRUE(lease_active(true, t0 + 1s, t0));
    EXPECT_FALSE(lease_active(true, t0, t0));
    EXPECT_FALSE(lease_active(true, std::nullopt, t0));
    EXPECT_FALSE(lease_active(false, t0 + 1h, t0));
}

TEST(Lease, PushStretchesPollingToTheSafetyNet) {
    EXPECT_EQ(poll_delay(5min, 24h, true), 24h);
    EXPECT_EQ(poll_delay(48h, 24h, true), 48h);  // a longer backoff or explicit interval stays
    EXPECT_EQ(poll_delay(5min, 24h, false), 5min);
}

TEST(Lease, SubscribesWhenNothingRunsAndRetriesHourly) {
    const Discovery found{{"https://hub/"}, "https://t/"};
    auto held = [](std::string state, SysSeconds updated, std::optional<SysSeconds> expires = std::nullopt,
                   bool in_flight = false) {
        return std::optional<Held>(Held{"https://hub/", "https://t/", std::move(state), expires, updated, in_flight});
    };
    struct Case {
        const char* name;
        std::optional<Held> held;
        Discovery found;
        bool expected;
    };
    const Case cases[] = {
        {"nothing held", std::nullopt, found, true},
        {"no hub found", std::nullopt, Discovery{{}, "https://t/"}, false},
        {"lease running", held("active", t0, t0 + 1h), found, false},
        {"lease lapsed long after", held("active", t0 - 2h, t0 - 1s), found, true},
        {"lease lapsed, verified lately", held("active", t0 - 10s, t0 - 1s), found, false},
        {"awaiting verification", held("subscribing", t0 - 5min), found, false},
        {"never verified", held("subscribing", t0 - 2h), found, true},
        {"request in flight", held("subscribing", t0 - 2h, std::nullopt, true), found, false},
        {"failed lately", held("failed", t0 - 5min), found, false},
        {"failed an hour ago", held("failed", t0 - 1h), found, true},
        {"denied lately", held("denied", t0 - 5min), found, false},
        {"unsubscribing", held("unsubscribing", t0 - 5min), found, false},
        {"hub changed", held("active", t0, t0 + 1h), Discovery{{"https://other-hub/"}, "https://t/"}, true},
        {"topic changed", held("active", t0, t0 + 1h), Discovery{{"https://hub/"}, "https://t2/"}, true},
        {"our hub among several", held("active", t0, t0 + 1h), Discovery{{"https://x/", "https://hub/"}, "https://t/"},
         false},
    };
    for (const auto& c : cases) EXPECT_EQ(should_subscribe(c.held, c.found, t0), c.expected) << c.name;
}

}  // namespace
}  // namespace ww::websub

namespace ww::websub {
namespace {

// hub.lease_seconds from a hostile hub: 2^63-1 gave the year -19742 and an immediate renewal.
TEST(AcceptedLease, ClampedBeforeAnyArithmetic) {
    using namespace std::chrono_literals;
    struct Case {
        std::string_view text;
        std::optional<Seconds> expected;
    };
    const Case cases[] = {
        {"600", 600s},
        {"1", 1s},
        {"2592000", kMaxLease},
        {"2592001", kMaxLease},
        {"9223372036854775807", kMaxLease},             // 2^63-1
        {"99999999999999999999999999999", kMaxLease},   // past 64 bits
        {"0", std::nullopt},
        {"-5", std::nullopt},
        {"-9223372036854775808", std::nullopt},
        {"+60", std::nullopt},
        {"", std::nullopt},
        {"60s", std::nullopt},
        {"abc", std::nullopt},
        {" 60", std::nullopt},
    };
    for (const auto& c : cases) EXPECT_EQ(accepted_lease(c.text), c.expected) << c.text;
    // What the subscriber then computes stays in range.
    const auto lease = *accepted_lease("9223372036854775807");
    EXPECT_GT(renew_at(t0, lease, t0), t0);
    EXPECT_LE(renew_at(t0, lease, t0), t0 + kMaxLease);
    EXPECT_EQ(clamp_lease(INT64_MAX), kMaxLease);
    EXPECT_EQ(clamp_lease(-1), kMinLease);
    EXPECT_EQ(clamp_lease(3600), 3600s);
}

TEST(HubForSecret, AnHttpHubOnlyWhenTheFeedAllowsIt) {
    const std::vector<std::string> mixed{"http://hub.example/", "https://secure.example/hub"};
    const std::vector<std::string> plain{"http://hub.example/"};
    EXPECT_EQ(hub_for_secret(mixed, false), "https://secure.example/hub");
    EXPECT_EQ(hub_for_secret(mixed, true), "https://secure.example/hub");  // https first anyway
    EXPECT_EQ(hub_for_secret(plain, false), std::nullopt);
    EXPECT_EQ(hub_for_secret(plain, true), "http://hub.example/");
    EXPECT_EQ(hub_for_secret({}, true), std::nullopt);
}

}  // namespace
}  // namespace ww::websub
