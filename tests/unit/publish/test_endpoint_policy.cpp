#include "publish/endpoint_policy.h"

#include <gtest/gtest.h>

namespace ww::publish {
namespace {

TEST(EndpointPolicy, WhatIsLocal) {
    const std::vector<std::pair<const char*, bool>> cases = {
        {"tcp://127.0.0.1:5556", true},
        {"tcp://127.1.2.3:5556", true},
        {"tcp://[::1]:5556", true},
        {"tcp://localhost:5556", true},
        {"tcp://lo:5556", true},
        {"ipc:///run/wirewatch/pub.sock", true},
        {"inproc://x", true},
        {"tcp://*:5556", false},
        {"tcp://0.0.0.0:5556", false},
        {"tcp://[::]:5556", false},
        {"tcp://192.168.1.10:5556", false},
        {"tcp://eth0:5556", false},
        {"tcp://127.0.0.1.evil.example:5556", false},
        {"tcp://1270.0.0.1:5556", false},
        {"ws://127.0.0.1:5556", false},
        {"", false},
    };
    for (const auto& [endpoint, local] : cases) EXPECT_EQ(is_local_endpoint(endpoint), local) << endpoint;
}

TEST(EndpointPolicy, NonLocalNeedsCurveOrAnExplicitOptOut) {
    EXPECT_TRUE(check_bind_allowed("endpoint", "tcp://127.0.0.1:1", false, false));
    EXPECT_TRUE(check_bind_allowed("endpoint", "tcp://*:1", true, false));
    EXPECT_TRUE(check_bind_allowed("endpoint", "tcp://*:1", false, true));
    auto refused = check_bind_allowed("replay_endpoint", "tcp://*:1", false, false);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, "config");
    EXPECT_NE(refused.error().message.find("replay_endpoint tcp://*:1"), std::string::npos);
    EXPECT_NE(refused.error().message.find("allow_insecure"), std::string::npos);
}

}  // namespace
}  // namespace ww::publish
