#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sink_harness.h"

namespace ww::test {
namespace {

using namespace std::chrono_literals;

const std::string kSecret = "whsec-7f3a9c1e55d04b2b";

std::string secret_file() {
    const auto p = std::filesystem::temp_directory_path() / "ww-webhook-test.secret";
    std::ofstream(p) << kSecret << "\n";  // the trailing newline of `echo secret > file` is dropped
    // Removed when the test program exits: tests leave nothing in /tmp.
    static const struct RemovedAtExit {
        std::filesystem::path path;
        ~RemovedAtExit() {
            std::error_code ec;
            std::filesystem::remove(path, ec);
        }
    } removed{p};
    return p.string();
}

sink::SinkSpec spec(const MockHttpServer& s) {
    sink::SinkSpec spec;
    spec.name = "archive";
    spec.plugin = "webhook";
    spec.url = s.url("/hooks/wirewatch");
    spec.options["secret_file"] = secret_file();
    return spec;
}

std::string hmac_hex(std::string_view key, std::string_view body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(body.data()), body.size(),
         mac, &len);
    std::string out;
    char buf[3];
    for (unsigned i = 0; i < len; ++i) {
        std::snprintf(buf, sizeof buf, "%02x", mac[i]);
        out += buf;
    }
    return out;
}

TEST(WebhookSink, PostsTheEnvelopeByteForByteAndSignsIt) {
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(run.start(spec));
    const auto alert = reference_alert();
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(alert));
    const auto reqs = run.server.requests();
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].method, "POST");
    EXPECT_EQ(reqs[0].target, "/hooks/wirewatch");
    EXPECT_EQ(reqs[0].body, alert.envelope);
    EXPECT_EQ(reqs[0].header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(reqs[0].header("X-Wirewatch-Seq"), "42");
    EXPECT_EQ(reqs[0].header("X-Wirewatch-Alert-Id"), "8c2f6a0d5e7b41c29a3d7f10b6e4c581");
    EXPECT_EQ(reqs[0].header("X-Wirewatch-Signature"), "sha256=" + hmac_hex(kSecret, alert.envelope));
}

TEST(WebhookSink, SignatureMatchesAKnownAnswer) {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    EXPECT_EQ(hmac_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookSink, NoSecretNoSignature) {
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(run.start([](const MockHttpServer& s) {
        sink::SinkSpec sp;
        sp.name = "plain";
        // Apprise style: json://host:port/path
        sp.url = "json://127.0.0.1:" + std::to_string(s.port()) + "/in";
        return sp;
    }));
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(reference_alert()));
    const auto reqs = run.server.requests();
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].target, "/in");
    EXPECT_EQ(reqs[0].header("X-Wirewatch-Signature"), "");
}

TEST(WebhookSink, RetriesOn500) { expect_retry_on_500(spec); }

TEST(WebhookSink, HonoursRetryAfterOn429) {
    expect_retry_after_honoured(spec, {429, {{"Retry-After", "7"}}, "slow down"}, 7000ms);
}

TEST(WebhookSink, HonoursRetryAfterAsAnHttpDate) {
    // The fake clock says 15:00:00 GMT.
    expect_retry_after_honoured(spec, {503, {{"Retry-After", "Fri, 27 Nov 2026 15:01:30 GMT"}}, ""}, 90'000ms);
}

TEST(WebhookSink, PermanentFailureOn400IsRecordedWithoutTheSecret) {
    expect_permanent_failure(spec, 400, kSecret);
}

TEST(WebhookSink, PermanentFailureOn403IsRecordedWithoutTheUrl) {
    // The URL may carry a token: it is redacted like one.
    SinkRun run;
    const std::string secret_path = "/hooks/T0KEN-in-the-path-91c2";
    run.server.script({403, {}, "forbidden: " + run.server.url(secret_path)});
    ASSERT_NO_FATAL_FAILURE(run.start([&](const MockHttpServer& s) {
        sink::SinkSpec sp;
        sp.name = "tokened";
        sp.plugin = "webhook";
        sp.url = s.url(secret_path);
        return sp;
    }));
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(reference_alert()));
    const auto failures = run.cursors.failures("tokened");
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_EQ(failures[0].second.find("T0KEN"), std::string::npos) << failures[0].second;
    EXPECT_EQ(run.logs().find("T0KEN"), std::string::npos) << run.logs();
}

TEST(WebhookSink, ConnectionRefusedIsRetried) {
    SinkRun run;
    int dead_port = 0;
    {
        MockHttpServer dead;
        dead_port = dead.port();
    }  // closed: nothing listens there any more
    ASSERT_NO_FATAL_FAILURE(run.start([&](const MockHttpServer&) {
        sink::SinkSpec sp;
        sp.name = "down";
        sp.plugin = "webhook";
        sp.url = "http://127.0.0.1:" + std::to_string(dead_port) + "/x";
        sp.options["max_attempts"] = "3";
        return sp;
    }));
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(reference_alert()));
    const auto c = run.counters();
    EXPECT_EQ(c.retries, 2u);
    EXPECT_EQ(c.failed, 1u);
    // Exponential: 2 s then 4 s, each 10% off for the fake jitter.
    EXPECT_EQ(run.clock->sleeps(), (std::vector<std::chrono::milliseconds>{1800ms, 3600ms}));
    ASSERT_EQ(run.cursors.failures("down").size(), 1u);
    EXPECT_NE(run.cursors.failures("down")[0].second.find("gave up after 3 attempts"), std::string::npos);
}

}  // namespace
}  // namespace ww::test
