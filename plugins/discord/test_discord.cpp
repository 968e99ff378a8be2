#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sink/render.h"
#include "sink_harness.h"

namespace ww::test {
namespace {

using namespace std::chrono_literals;

const std::string kToken = "DISCORDSECRET-a81b";

sink::SinkSpec spec(const MockHttpServer& s) {
    sink::SinkSpec sp;
    sp.name = "desk";
    sp.plugin = "discord";
    sp.url = s.url("/api/webhooks/112233/" + kToken);
    return sp;
}

TEST(DiscordSink, ReferencePayloadHasAnEmbedWithinLimits) {
    const auto req = expect_reference_payload(spec, "discord_payload.json");
    EXPECT_EQ(req.target, "/api/webhooks/112233/" + kToken);
    const auto j = nlohmann::json::parse(req.body);
    EXPECT_LE(sink::utf16_length(j["content"].get<std::string>()), 2000u);
    EXPECT_LE(sink::utf16_length(j["embeds"][0]["description"].get<std::string>()), 4096u);
    EXPECT_LE(sink::utf16_length(j["embeds"][0]["title"].get<std::string>()), 256u);
    EXPECT_EQ(j["allowed_mentions"]["parse"], nlohmann::json::array());
}

TEST(DiscordSink, RetriesOn500) { expect_retry_on_500(spec); }

TEST(DiscordSink, FeedTextCannotPingAndLinksAreWebOnlyAndEncoded) { expect_hostile_text_neutralised(spec); }

TEST(DiscordSink, HonoursRetryAfterFromTheJsonBody) {
    expect_retry_after_honoured(
        spec, {429, {{"Content-Type", "application/json"}}, R"({"message":"You are being rate limited.","retry_after":1.25,"global":false})"},
        1250ms);
}

TEST(DiscordSink, PermanentFailureOn403IsRecordedWithoutTheToken) { expect_permanent_failure(spec, 403, kToken); }

}  // namespace
}  // namespace ww::test
