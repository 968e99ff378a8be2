#include "schedule/network_health.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace ww::schedule {
namespace {

using namespace std::chrono_literals;

const SysSeconds kNow = *parse_rfc3339("2026-11-27T12:00:00Z");

struct Event {
    const char* host;
    const char* kind;
    Seconds ago;
};

bool down_after(const std::vector<Event>& events) {
    NetworkHealth health(10min, 3);
    for (const auto& e : events) health.record(e.host, e.kind, kNow - e.ago);
    return health.down(kNow);
}

TEST(NetworkHealth, DownWhenMostRecentHostsFailAtTheNetworkLevel) {
    struct Case {
        const char* name;
        std::vector<Event> events;
        bool down;
    };
    const Case cases[] = {
        {"nothing heard", {}, false},
        {"three hosts, all dns", {{"a", "dns", 1s}, {"b", "dns", 2s}, {"c", "connect", 3s}}, true},
        {"one host failing many times is that host's problem",
         {{"a", "dns", 1s}, {"a", "dns", 2s}, {"a", "dns", 3s}, {"a", "connect", 4s}}, false},
        {"other hosts answer", {{"a", "dns", 1s}, {"b", "dns", 1s}, {"c", "dns", 1s}, {"d", "", 1s}, {"e", "", 1s}}, false},
        {"mostly failing", {{"a", "dns", 1s}, {"b", "dns", 1s}, {"c", "dns", 1s}, {"d", "connect", 1s}, {"e", "", 1s}}, true},
        {"http errors are not the network", {{"a", "http_5xx", 1s}, {"b", "timeout", 1s}, {"c", "tls", 1s}}, false},
        {"old failures expire", {{"a", "dns", 20min}, {"b", "dns", 20min}, {"c", "dns", 20min}}, false},
        {"a host's latest outcome wins",
         {{"a", "dns", 5min}, {"b", "dns", 5min}, {"c", "dns", 5min}, {"a", "", 1s}, {"b", "", 1s}}, false},
    };
    for (const auto& c : cases) EXPECT_EQ(down_after(c.events), c.down) << c.name;
}

}  // namespace
}  // namespace ww::schedule
