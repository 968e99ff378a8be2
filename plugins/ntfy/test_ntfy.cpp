#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sink_harness.h"

namespace ww::test {
namespace {

using namespace std::chrono_literals;

const std::string kToken = "tk_NTFYSECRET4471";

sink::SinkSpec spec(const MockHttpServer& s) {
    sink::SinkSpec sp;
    sp.name = "phone";
    sp.plugin = "ntfy";
    sp.options = {{"server", s.url("")}, {"topic", "wire-alerts"}, {"token", kToken}, {"priority", "4"}};
    return sp;
}

TEST(NtfySink, ReferencePayloadHasTitleTagsAndClick) {
    const auto req = expect_reference_payload(spec, "ntfy_payload.json");
    EXPECT_EQ(req.target, "/");
    EXPECT_EQ(req.header("Authorization"), "Bearer " + kToken);
    EXPECT_LE(nlohmann::json::parse(req.body)["message"].get<std::string>().size(), 4096u) << "ntfy's byte limit";
}

TEST(NtfySink, BasicAuthFromTheUrl) {
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(run.start([](const MockHttpServer& s) {
        sink::SinkSpec sp;
        sp.name = "phone2";
        sp.url = "ntfy://me:pa55word@127.0.0.1:" + std::to_string(s.port()) + "/alerts";
        return sp;
    }));
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(reference_alert()));
    ASSERT_EQ(run.server.requests().size(), 1u);
    EXPECT_EQ(run.server.requests()[0].header("Authorization"), "Basic bWU6cGE1NXdvcmQ=");
    EXPECT_EQ(nlohmann::json::parse(run.server.requests()[0].body)["topic"], "alerts");
}

TEST(NtfySink, RetriesOn500) { expect_retry_on_500(spec); }

TEST(NtfySink, FeedTextCannotPingAndLinksAreWebOnlyAndEncoded) { expect_hostile_text_neutralised(spec); }

TEST(NtfySink, HonoursRetryAfterOn429) {
    expect_retry_after_honoured(spec, {429, {{"Retry-After", "12"}}, R"({"code":42901,"http":429})"}, 12'000ms);
}

TEST(NtfySink, PermanentFailureOn403IsRecordedWithoutTheToken) { expect_permanent_failure(spec, 403, kToken); }

}  // namespace
}  // namespace ww::test
