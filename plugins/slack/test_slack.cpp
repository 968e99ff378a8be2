#include <gtest/gtest.h>

#include "sink_harness.h"

namespace ww::test {
namespace {

using namespace std::chrono_literals;

const std::string kToken = "SLACKSECRET9f2c";

sink::SinkSpec spec(const MockHttpServer& s) {
    sink::SinkSpec sp;
    sp.name = "newsroom";
    sp.plugin = "slack";
    sp.url = s.url("/services/T000/B000/" + kToken);
    sp.options["channel"] = "#newsroom";
    return sp;
}

TEST(SlackSink, ReferencePayloadIsEscapedMrkdwn) {
    const auto req = expect_reference_payload(spec, "slack_payload.json");
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.target, "/services/T000/B000/" + kToken);
    EXPECT_EQ(req.header("Content-Type"), "application/json; charset=utf-8");
}

TEST(SlackSink, RetriesOn500) { expect_retry_on_500(spec); }

TEST(SlackSink, FeedTextCannotPingAndLinksAreWebOnlyAndEncoded) { expect_hostile_text_neutralised(spec); }

TEST(SlackSink, HonoursRetryAfterOn429) {
    expect_retry_after_honoured(spec, {429, {{"Retry-After", "30"}}, "rate_limited"}, 30'000ms);
}

TEST(SlackSink, PermanentFailureOn403IsRecordedWithoutTheToken) { expect_permanent_failure(spec, 403, kToken); }

}  // namespace
}  // namespace ww::test
