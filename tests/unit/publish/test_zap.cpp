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

}  // namespace
}  // namespace ww::publish
