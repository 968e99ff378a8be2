#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "sink/render.h"
#include "sink_harness.h"

namespace ww::test {
namespace {

using namespace std::chrono_literals;

const std::string kToken = "123456:TGSECRET-q8Zr";

sink::SinkSpec spec(const MockHttpServer& s) {
    sink::SinkSpec sp;
    sp.name = "tg";
    sp.plugin = "telegram";
    sp.options = {{"bot_token", kToken}, {"chat_id", "-1001234"}, {"api_base", s.url("")}};
    return sp;
}

TEST(TelegramSink, ReferencePayloadIsEscapedHtmlWithin4096Characters) {
    const auto req = expect_reference_payload(spec, "telegram_payload.json");
    EXPECT_EQ(req.target, "/bot" + kToken + "/sendMessage");
    const auto text = nlohmann::json::parse(req.body)["text"].get<std::string>();
    // Telegram's count: visible text after entity parsing, in UTF-16 units.
    EXPECT_LE(sink::visible_length(text, sink::Escape::html), 4096u);
    EXPECT_GT(sink::visible_length(text, sink::Escape::html), 4000u) << "the room was not used";
    EXPECT_TRUE(utf8_valid(text));
    EXPECT_TRUE(text.ends_with("<i>matched: китай, россия, торговля</i>")) << "the last line was cut";
    EXPECT_NE(text.find("&lt;растёт&gt; &amp; 中国"), std::string::npos);
}

TEST(TelegramSink, AppriseUrl) {
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(run.start([](const MockHttpServer& s) {
        sink::SinkSpec sp;
        sp.name = "tg2";
        sp.url = "tgram://" + kToken + "/@channel";
        sp.options["api_base"] = s.url("");
        return sp;
    }));
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(reference_alert()));
    ASSERT_EQ(run.server.requests().size(), 1u);
    EXPECT_EQ(nlohmann::json::parse(run.server.requests()[0].body)["chat_id"], "@channel");
}

TEST(TelegramSink, RetriesOn500) { expect_retry_on_500(spec); }

TEST(TelegramSink, FeedTextCannotPingAndLinksAreWebOnlyAndEncoded) { expect_hostile_text_neutralised(spec); }

TEST(TelegramSink, HonoursFloodControlRetryAfter) {
    expect_retry_after_honoured(
        spec,
        {429, {}, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}})"},
        5000ms);
}

TEST(TelegramSink, PermanentFailureOn400IsRecordedWithoutTheToken) { expect_permanent_failure(spec, 400, kToken); }
TEST(TelegramSink, PermanentFailureOn403IsRecordedWithoutTheToken) { expect_permanent_failure(spec, 403, kToken); }

}  // namespace
}  // namespace ww::test
