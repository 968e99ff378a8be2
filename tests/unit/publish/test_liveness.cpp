#include "publish/liveness.h"

#include <gtest/gtest.h>

namespace ww::publish {
namespace {

using namespace std::chrono_literals;
using Clock = Liveness::Clock;

const Clock::time_point t0{};

TEST(Liveness, SilenceIsToldOnceAfterTwoIntervalsAndItsEndToo) {
    Liveness l("tcp://127.0.0.1:5556", t0);
    EXPECT_FALSE(l.on_idle(t0 + 9s));  // the default interval is 5 s
    EXPECT_EQ(l.on_idle(t0 + 10s).value_or(""),
              "no heartbeat from tcp://127.0.0.1:5556 for 10 s (is wirewatchd running, and is this its "
              "[publish] endpoint?)");
    EXPECT_FALSE(l.on_idle(t0 + 30s));  // once, not every second
    EXPECT_EQ(l.on_heartbeat(0, t0 + 31s), std::vector<std::string>{"heartbeats from tcp://127.0.0.1:5556 again"});
    EXPECT_TRUE(l.on_heartbeat(0, t0 + 32s).empty());
}

TEST(Liveness, TheIntervalIsLearnedFromTheHeartbeats) {
    Liveness l("e", t0);
    l.on_heartbeat(3, t0 + 1s);
    l.on_heartbeat(3, t0 + 2s);
    EXPECT_EQ(l.interval(), 1s);
    EXPECT_FALSE(l.on_idle(t0 + 3s + 900ms));
    EXPECT_TRUE(l.on_idle(t0 + 4s));
}

TEST(Liveness, SeqGapsAreMissedAlertsButHistoryIsNot) {
    Liveness l("e", t0);
    EXPECT_TRUE(l.on_heartbeat(4, t0).empty());        // alerts 1-4 predate us: the replay has them
    EXPECT_TRUE(l.on_message(5, t0).empty());
    EXPECT_EQ(l.on_message(8, t0), std::vector<std::string>{"missed alerts 6-7: use --resume to fetch them"});
    EXPECT_EQ(l.on_message(10, t0), std::vector<std::string>{"missed alert 9: use --resume to fetch them"});
    EXPECT_TRUE(l.on_heartbeat(10, t0).empty());
    // A heartbeat reveals a loss at the end of a burst: seq 11-12 were published, none came.
    EXPECT_EQ(l.on_heartbeat(12, t0), std::vector<std::string>{"missed alerts 11-12: use --resume to fetch them"});
    EXPECT_TRUE(l.on_message(13, t0).empty());
}

TEST(Liveness, AFirstMessageBeforeAnyHeartbeatIsTheBaseline) {
    Liveness l("e", t0);
    EXPECT_TRUE(l.on_message(42, t0).empty());
    EXPECT_TRUE(l.on_heartbeat(42, t0).empty());
    EXPECT_TRUE(l.on_message(43, t0).empty());
}

}  // namespace
}  // namespace ww::publish
