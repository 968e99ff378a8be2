#include "publish/subscriber.h"

#include <gtest/gtest.h>

#include "outbox.h"
#include "support.h"

namespace ww::publish {
namespace {

using namespace std::chrono_literals;
using testing::must;

TEST(Subscriber, ReceiveTimesOutWithNothing) {
    auto sub = must(Subscriber::connect({"tcp://127.0.0.1:1", {""}}));
    auto got = sub.receive(10ms);
    ASSERT_TRUE(got);
    EXPECT_FALSE(got->has_value());
}

TEST(Subscriber, HeartbeatsOnlyWhenAsked) {
    auto pub = must(Publisher::bind({"tcp://127.0.0.1:*"}));
    auto alerts_only = must(Subscriber::connect({pub.endpoint(), {"alert."}, false}));
    auto with_hb = must(Subscriber::connect({pub.endpoint(), {"alert."}, true}));
    ASSERT_TRUE(testing::wait_until_subscribed(pub, with_hb));
    // alerts_only has no heartbeat to synchronise on: send alerts until it hears one.
    std::optional<Message> got;
    for (int i = 0; i < 500 && !got; ++i) {
        ASSERT_TRUE(pub.send("alert.wl", "x"));
        auto r = alerts_only.receive(20ms);
        ASSERT_TRUE(r);
        if (*r) got = **r;
    }
    ASSERT_TRUE(got);
    ASSERT_TRUE(pub.heartbeat(1));
    ASSERT_TRUE(pub.send("alert.wl", "last"));
    // In order: the heartbeat was sent first, so seeing "last" proves it was filtered out.
    for (;;) {
        auto r = alerts_only.receive(5s);
        ASSERT_TRUE(r && *r);
        EXPECT_NE((*r)->topic, "_hb");
        if ((*r)->body == "last") break;
    }
}

TEST(ReplayClient, TimesOutAgainstNoServerAndRecovers) {
    auto client = must(ReplayClient::connect({"tcp://127.0.0.1:1", {}, 50ms}));
    auto r = client.request(0, "");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, "timeout");
    EXPECT_NE(r.error().message.find("tcp://127.0.0.1:1"), std::string::npos);
    EXPECT_EQ(client.request(0, "").error().kind, "timeout");
}

}  // namespace
}  // namespace ww::publish
