#include "publish/resume.h"

#include <gtest/gtest.h>

#include "outbox.h"

namespace ww::publish {
namespace {

using namespace std::chrono_literals;
using testing::must;
using testing::Outbox;

TEST(Resume, LiveDecisions) {
    struct Case {
        std::int64_t covered, seq;
        LiveAction action;
    };
    const Case cases[] = {
        {0, 1, LiveAction::deliver}, {5, 6, LiveAction::deliver}, {5, 5, LiveAction::drop},
        {5, 2, LiveAction::drop},    {5, 7, LiveAction::replay},  {0, 9, LiveAction::replay},
    };
    for (const auto& c : cases)
        EXPECT_EQ(on_live_alert(c.covered, c.seq), c.action) << c.covered << " " << c.seq;
    EXPECT_TRUE(heartbeat_needs_replay(3, 4));
    EXPECT_FALSE(heartbeat_needs_replay(4, 4));
    EXPECT_FALSE(heartbeat_needs_replay(5, 4));
}

class ResumeTest : public ::testing::Test {
protected:
    ResumableSubscriber start(std::int64_t covered, std::string prefix = "alert.") {
        ResumableOptions options;
        options.live.endpoint = outbox_.pub_endpoint();
        options.replay = {outbox_.replay_endpoint(), {}, 10s};
        options.prefix = std::move(prefix);
        options.on_warning = [this](const std::string& w) { warnings_.push_back(w); };
        return must(ResumableSubscriber::start(std::move(options), covered));
    }

    // Heartbeats with the outbox's last seq until the subscriber has delivered up to `seq`
    // (or `count` alerts): a heartbeat ahead of the cursor makes it replay, so this waits on
    // the subscriber's own progress, never on a timer.
    std::vector<std::int64_t> collect_until(ResumableSubscriber& sub, std::int64_t covered_at_least) {
        std::vector<std::int64_t> got;
        const auto until = std::chrono::steady_clock::now() + 20s;
        while (sub.covered() < covered_at_least && std::chrono::steady_clock::now() < until) {
            testing::check(outbox_.pub().heartbeat(outbox_.last_seq()));
            for (const auto& a : must(sub.next(50ms))) got.push_back(a.seq);
        }
        return got;
    }

    Outbox outbox_;
    std::vector<std::string> warnings_;
};

using Seqs = std::vector<std::int64_t>;

TEST_F(ResumeTest, ReplaysFromTheCursorThenFollowsLive) {
    outbox_.record(5);
    auto sub = start(2);
    auto first = must(sub.next(0ms));  // the first call replays before it waits
    Seqs replayed;
    for (const auto& a : first) replayed.push_back(a.seq);
    EXPECT_EQ(replayed, (Seqs{3, 4, 5}));
    EXPECT_EQ(sub.covered(), 5);
    outbox_.record(2);
    EXPECT_EQ(collect_until(sub, 7), (Seqs{6, 7}));
}

TEST_F(ResumeTest, AGapInLiveSeqIsReplayedInOrder) {
    auto sub = start(0);
    EXPECT_TRUE(collect_until(sub, 0).empty());
    outbox_.record(1);
    EXPECT_EQ(collect_until(sub, 1), (Seqs{1}));
    outbox_.record(2, "wl", /*publish=*/false);  // lost on the way
    outbox_.record(1);                            // seq 4 arrives live: 2 and 3 are missing
    EXPECT_EQ(collect_until(sub, 4), (Seqs{2, 3, 4}));
}

TEST_F(ResumeTest, AHeartbeatAheadOfTheCursorReplaysWhatWasMissed) {
    auto sub = start(0);
    outbox_.record(3, "wl", false);  // nothing live at all
    EXPECT_EQ(collect_until(sub, 3), (Seqs{1, 2, 3}));
}

TEST_F(ResumeTest, DuplicatesAreDropped) {
    outbox_.record(2);
    auto sub = start(0);
    EXPECT_EQ(collect_until(sub, 2), (Seqs{1, 2}));
    // Send seq 1 and 2 again live, then 3: only 3 is new.
    for (const auto& a : must(outbox_.store().alerts_after(0, "", 10)))
        testing::check(outbox_.pub().send(a.topic, a.envelope));
    outbox_.record(1);
    EXPECT_EQ(collect_until(sub, 3), (Seqs{3}));
}

TEST_F(ResumeTest, APrefixDeliversOnlyItsTopicsAndHeartbeatsAdvanceTheCursor) {
    auto sub = start(0, "alert.b");
    outbox_.record(1, "a");
    outbox_.record(1, "b");
    outbox_.record(2, "a");
    outbox_.record(1, "b");
    EXPECT_EQ(collect_until(sub, 5), (Seqs{2, 5}));
    outbox_.record(1, "a");
    // Nothing under the prefix: the heartbeat still proves the cursor may move to 6.
    EXPECT_TRUE(collect_until(sub, 6).empty());
    EXPECT_EQ(sub.covered(), 6);
}

TEST_F(ResumeTest, PrunedAlertsAreSkippedWithAWarning) {
    outbox_.record(3);
    must(outbox_.store().prune_alerts(now_seconds() + std::chrono::seconds(1)));
    outbox_.record(1, "wl", false);
    auto sub = start(0);
    EXPECT_EQ(collect_until(sub, 4), (Seqs{4}));
    ASSERT_FALSE(warnings_.empty());
    EXPECT_NE(warnings_[0].find("1..3 were pruned"), std::string::npos) << warnings_[0];
}

TEST_F(ResumeTest, ACursorAheadOfTheServerIsFatal) {
    outbox_.record(1);
    auto sub = start(10);
    auto r = sub.next(0ms);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("ahead last=1"), std::string::npos);
}

}  // namespace
}  // namespace ww::publish
