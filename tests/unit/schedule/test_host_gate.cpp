#include "schedule/host_gate.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace ww::schedule {
namespace {

using namespace std::chrono_literals;

const SysSeconds kNow = *parse_rfc3339("2026-11-27T12:00:00Z");

TEST(HostGate, HoldsEveryFeedOfAHostUntilTheLatestRetryAfter) {
    HostGate gate;
    EXPECT_FALSE(gate.held_until("feeds.example.org", kNow));
    gate.hold("feeds.example.org", kNow + 120s);
    gate.hold("feeds.example.org", kNow + 30s);  // a shorter hold never shortens it
    EXPECT_EQ(gate.held_until("feeds.example.org", kNow), kNow + 120s);
    EXPECT_FALSE(gate.held_until("other.example.org", kNow));
    EXPECT_FALSE(gate.held_until("feeds.example.org", kNow + 120s));
    gate.hold("feeds.example.org", kNow + 600s);
    EXPECT_EQ(gate.held_until("feeds.example.org", kNow + 200s), kNow + 600s);
    gate.hold("b.example", kNow + 10s);
    gate.prune(kNow + 60s);
    EXPECT_EQ(gate.size(), 1u);
}

TEST(HostGate, HostOf) {
    struct Case {
        const char* url;
        const char* host;
    };
    const Case cases[] = {
        {"https://feeds.example.org/world.rss", "feeds.example.org"},
        {"HTTPS://User:pw@Feeds.Example.ORG:8443/x?y#z", "feeds.example.org"},
        {"http://127.0.0.1:8080", "127.0.0.1"},
        {"http://[::1]:8080/feed", "[::1]"},
        {"http://example.org?q=1", "example.org"},
        {"not a url", ""},
    };
    for (const auto& c : cases) EXPECT_EQ(host_of(c.url), c.host) << c.url;
}

}  // namespace
}  // namespace ww::schedule
