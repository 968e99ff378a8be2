#include "publish/zap.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

namespace ww::publish {
namespace {

TEST(Zap, Decisions) {
    const std::optional<std::vector<std::string>> none;
    const std::optional<std::vector<std::string>> list = std::vector<std::string>{"K1", "K2"};
    struct Case {
        const char* name;
        const char* mechanism;
        const char* key;
        const std::optional<std::vector<std::string>>* allow;
        bool allowed;
        const char* reason;
    };
    const Case cases[] = {
        {"listed key", "CURVE", "K2", &list, true, ""},
        {"unlisted key", "CURVE", "K3", &list, false, "client key not in curve_allowed_clients"},
        {"no allowlist admits any CURVE client", "CURVE", "K9", &none, true, ""},
        {"plaintext never", "NULL", "", &none, false, "mechanism NULL not allowed"},
        {"PLAIN never", "PLAIN", "", &list, false, "mechanism PLAIN not allowed"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const auto d = decide_zap(c.mechanism, c.key, *c.allow);
        EXPECT_EQ(d.allowed, c.allowed);
        EXPECT_EQ(d.reason, c.reason);
    }
}

TEST(Zap, HandshakeFailureReasons) {
    EXPECT_EQ(handshake_failure_reason(ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                                       ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH),
              "security mechanism mismatch (a client without CURVE?)");
    EXPECT_EQ(handshake_failure_reason(ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                                       ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC),
              "CURVE handshake failed (the client uses a wrong server key?)");
    EXPECT_EQ(handshake_failure_reason(ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL, 0x10000011u),
              "handshake protocol error 0x10000011");
    EXPECT_EQ(handshake_failure_reason(ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, 400),
              "authentication refused (ZAP status 400)");
    EXPECT_EQ(handshake_failure_reason(ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, ECONNRESET),
              std::string("handshake failed: ") + std::strerror(ECONNRESET));
}

// 3,000 refused handshakes in 0.4 s gave 3,000 warnings: now one line per interval, and the
// count of the rest.
TEST(Zap, RefusalsAreLoggedOncePerIntervalWithTheSuppressedCount) {
    using namespace std::chrono_literals;
    RefusalQuieter q(10s);
    const RefusalQuieter::Clock::time_point t0{};
    std::size_t logged = 0;
    for (int i = 0; i < 3000; ++i)
        if (q.admit(t0 + i * 133us)) ++logged;  // 3,000 in 0.4 s
    EXPECT_EQ(logged, 1u);
    ASSERT_TRUE(q.due().has_value());
    EXPECT_EQ(*q.due(), t0 + 10s);  // the count is told on its own when the interval ends
    const auto next = q.admit(t0 + 11s);  // or in the next logged line
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(*next, 2999u);
    EXPECT_FALSE(q.due().has_value());
    EXPECT_FALSE(q.admit(t0 + 12s).has_value());
    EXPECT_EQ(q.take_suppressed(), 1u);
}

}  // namespace
}  // namespace ww::publish
