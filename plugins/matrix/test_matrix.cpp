#include <gtest/gtest.h>

#include "sink_harness.h"

namespace ww::test {
namespace {

using namespace std::chrono_literals;

const std::string kToken = "syt_MATRIXSECRET_55aa";
const std::string kTxnPath = "/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/"
                             "ww-8c2f6a0d5e7b41c29a3d7f10b6e4c581";

sink::SinkSpec spec(const MockHttpServer& s) {
    sink::SinkSpec sp;
    sp.name = "mx";
    sp.plugin = "matrix";
    sp.options = {{"homeserver", s.url("")}, {"access_token", kToken}, {"room_id", "!room:example.org"}};
    return sp;
}

TEST(MatrixSink, ReferencePayloadWithATransactionIdPerAlert) {
    const auto req = expect_reference_payload(spec, "matrix_payload.json");
    EXPECT_EQ(req.method, "PUT");
    EXPECT_EQ(req.target, kTxnPath);
    EXPECT_EQ(req.header("Authorization"), "Bearer " + kToken);
}

TEST(MatrixSink, ARetryReusesTheTransactionId) {
    SinkRun run;
    run.server.script({502, {}, "bad gateway"});
    ASSERT_NO_FATAL_FAILURE(run.start(spec));
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(reference_alert()));
    const auto reqs = run.server.requests();
    ASSERT_EQ(reqs.size(), 2u);
    EXPECT_EQ(reqs[0].target, kTxnPath);
    EXPECT_EQ(reqs[1].target, kTxnPath);
}

TEST(MatrixSink, AppriseUrl) {
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(run.start([](const MockHttpServer& s) {
        sink::SinkSpec sp;
        sp.name = "mx2";
        sp.url = "matrix://" + kToken + "@127.0.0.1:" + std::to_string(s.port()) + "/%21room%3Aexample.org";
        return sp;
    }));
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(reference_alert()));
    ASSERT_EQ(run.server.requests().size(), 1u);
    EXPECT_EQ(run.server.requests()[0].target, kTxnPath);
}

TEST(MatrixSink, RetriesOn500) { expect_retry_on_500(spec); }

TEST(MatrixSink, FeedTextCannotPingAndLinksAreWebOnlyAndEncoded) { expect_hostile_text_neutralised(spec); }

TEST(MatrixSink, HonoursRetryAfterMs) {
    expect_retry_after_honoured(
        spec, {429, {}, R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2500})"}, 2500ms);
}

TEST(MatrixSink, PermanentFailureOn403IsRecordedWithoutTheToken) { expect_permanent_failure(spec, 403, kToken); }

}  // namespace
}  // namespace ww::test
