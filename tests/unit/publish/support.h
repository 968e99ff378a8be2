#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "publish/publisher.h"
#include "publish/subscriber.h"

namespace ww::publish::testing {

using namespace std::chrono_literals;

// PUB drops what it sends before a subscription has arrived (slow joiner). Synchronise on a
// real signal: heartbeat until the subscriber hears one, which proves its subscription is in.
// The subscriber must be subscribed to "_hb" (heartbeats = true) or to "".
inline bool wait_until_subscribed(Publisher& pub, Subscriber& sub,
                                  std::chrono::milliseconds deadline = 10s) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
        if (!pub.heartbeat(0)) return false;
        auto got = sub.receive(20ms);
        if (!got) return false;
        if (*got && (*got)->topic == kHeartbeatTopic) {
            // Drain the other probes so that the test sees only what it sends next.
            while (true) {
                auto more = sub.receive(0ms);
                if (!more || !*more) break;
            }
            return true;
        }
    }
    return false;
}

// The next message that is not a heartbeat.
inline std::optional<Message> next_alert(Subscriber& sub, std::chrono::milliseconds timeout = 5s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        auto got = sub.receive(50ms);
        if (!got) return std::nullopt;
        if (*got && (*got)->topic != kHeartbeatTopic) return **got;
    }
    return std::nullopt;
}

}  // namespace ww::publish::testing
