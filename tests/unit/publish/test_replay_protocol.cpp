#include "publish/replay_protocol.h"

#include <gtest/gtest.h>

namespace ww::publish {
namespace {

TEST(ReplayProtocol, SeqText) {
    EXPECT_EQ(parse_seq_text("0"), 0);
    EXPECT_EQ(parse_seq_text("123456"), 123456);
    EXPECT_EQ(parse_seq_text("999999999999999999"), 999999999999999999);
    for (const char* bad : {"", "-1", "+1", "1.0", " 1", "1 ", "0x10", "1234567890123456789"})
        EXPECT_FALSE(parse_seq_text(bad)) << bad;
}

TEST(ReplayProtocol, Requests) {
    using V = std::vector<std::string_view>;
    auto ok = parse_replay_request(V{"REPLAY", "41", "alert.china-"});
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->after, 41);
    EXPECT_EQ(ok->prefix, "alert.china-");
    EXPECT_EQ(parse_replay_request(V{"REPLAY", "0", ""})->prefix, "");
    struct Case {
        V frames;
        const char* reason;
    };
    const std::vector<Case> bad = {
        {{}, "expected REPLAY"},
        {{"HELLO", "1", ""}, "expected REPLAY"},
        {{"REPLAY", "1"}, "3 frames"},
        {{"REPLAY", "1", "", ""}, "3 frames"},
        {{"REPLAY", "-5", ""}, "decimal digits"},
    };
    for (const auto& c : bad) {
        auto r = parse_replay_request(c.frames);
        ASSERT_FALSE(r);
        EXPECT_NE(r.error().message.find(c.reason), std::string::npos) << r.error().message;
    }
}

TEST(ReplayProtocol, Plans) {
    struct Case {
        std::int64_t after, earliest, last;
        const char* error_prefix;  // nullptr = serve
    };
    const Case cases[] = {
        {0, 1, 0, nullptr},   // empty log, from the start
        {0, 1, 50, nullptr},  // nothing pruned
        {9, 10, 50, nullptr},  // right at the retention edge
        {8, 10, 50, "pruned earliest=10:"},
        {0, 10, 50, "pruned earliest=10:"},
        {50, 51, 50, nullptr},  // up to date, everything pruned
        {51, 1, 50, "ahead last=50:"},
    };
    for (const auto& c : cases) {
        const auto plan = plan_replay({c.after, ""}, c.earliest, c.last);
        SCOPED_TRACE(c.after);
        if (!c.error_prefix) {
            EXPECT_FALSE(plan.error);
        } else {
            ASSERT_TRUE(plan.error);
            EXPECT_TRUE(plan.error->starts_with(c.error_prefix)) << *plan.error;
        }
    }
    EXPECT_EQ(pruned_earliest(*plan_replay({0, ""}, 77, 100).error), 77);
    EXPECT_EQ(pruned_earliest("publish: replay refused: pruned earliest=5: gone"), 5);
    EXPECT_FALSE(pruned_earliest("ahead last=5: x"));
}

TEST(ReplayProtocol, EnvelopeSeq) {
    const std::vector<std::pair<std::string, std::optional<std::int64_t>>> cases = {
        {R"({"v":1,"seq":7})", 7},
        {R"( { "v" : 1 , "seq" : 42 , "x":"y"})", 42},
        {R"({"alert_id":"a","item":{"seq":5,"title":"\"seq\":9"},"seq":12,"v":1})", 12},
        {R"({"a":["seq",{"seq":3}],"seq":4})", 4},
        {R"({"title":"has \\\" quote","seq":8})", 8},
        {R"({"t":"ends in a backslash\\","seq":5})", 5},
        {R"({"t":"\\\"seq\":1","seq":6})", 6},
        {R"({"t":"\"","seq":7})", 7},
        {R"({"v":1})", std::nullopt},
        {R"({"item":{"seq":5}})", std::nullopt},
        {R"({"seq":-1})", std::nullopt},
        {R"({"seq":"3"})", std::nullopt},
        {R"(["seq",1])", std::nullopt},
        {R"({"seq)", std::nullopt},
        {"", std::nullopt},
    };
    for (const auto& [json, seq] : cases) EXPECT_EQ(envelope_seq(json), seq) << json;
}

}  // namespace
}  // namespace ww::publish
