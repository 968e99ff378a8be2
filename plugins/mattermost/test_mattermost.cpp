#include <gtest/gtest.h>

#include "sink_harness.h"

namespace ww::test {
namespace {

using namespace std::chrono_literals;

const std::string kKey = "mmhooksecret7x1q";

sink::SinkSpec spec(const MockHttpServer& s) {
    sink::SinkSpec sp;
    sp.name = "town";
    // Apprise style, pointed at the loopback mock.
    sp.url = "mmost://127.0.0.1:" + std::to_string(s.port()) + "/" + kKey;
    return sp;
}

TEST(MattermostSink, ReferencePayloadIsEscapedMarkdown) {
    const auto req = expect_reference_payload(spec, "mattermost_payload.json");
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.target, "/hooks/" + kKey);
}

TEST(MattermostSink, RetriesOn500) { expect_retry_on_500(spec); }

TEST(MattermostSink, FeedTextCannotPingAndLinksAreWebOnlyAndEncoded) { expect_hostile_text_neutralised(spec); }

TEST(MattermostSink, HonoursRetryAfterOn429) {
    expect_retry_after_honoured(spec, {429, {{"Retry-After", "2"}}, ""}, 2000ms);
}

TEST(MattermostSink, PermanentFailureOn400IsRecordedWithoutTheKey) { expect_permanent_failure(spec, 400, kKey); }

}  // namespace
}  // namespace ww::test
