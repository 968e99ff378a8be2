#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <zmq.hpp>

#include "core/error.h"
#include "publish/curve.h"

namespace ww::publish {

// The ZAP decision, pure: CURVE only, and the client key in the allowlist when there is one.
struct ZapDecision {
    bool allowed = false;
    std::string reason;  // why not, for the log and the ZAP status text
};
ZapDecision decide_zap(std::string_view mechanism, std::string_view client_key_z85,
                       const std::optional<std::vector<std::string>>& allowlist);

// Why a connection failed its handshake, from a socket monitor event (pure).
std::string handshake_failure_reason(std::uint16_t event, std::uint32_t value);

// The security watch of one server socket and its ZeroMQ context, on one thread:
// - the ZAP handler (RFC 27) answering libzmq's authentication requests on
//   inproc://zeromq.zap.01 (CURVE mechanism, client key in the allowlist);
// - a socket monitor that reports connections failing before ZAP is asked (a plaintext client,
//   a client using the wrong server key) with the peer address noted when it was accepted.
// Start it after creating the CURVE socket and before binding it; destroy it before the
// context. Internal to the publish module.
class ZapHandler {
public:
    static Result<std::unique_ptr<ZapHandler>> start(zmq::context_t& context,
                                                     const CurveServerOptions& options,
                                                     zmq::socket_t& server_socket,
                                                     std::string socket_name);
    ~ZapHandler();
    ZapHandler(const ZapHandler&) = delete;
    ZapHandler& operator=(const ZapHandler&) = delete;

    struct Impl;

private:
    explicit ZapHandler(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The ZAP domain our server sockets announce; "socket" in a PeerRefusal is derived from it.
inline constexpr std::string_view kZapDomainPub = "wirewatch-pub";
inline constexpr std::string_view kZapDomainReplay = "wirewatch-replay";

// Applies CURVE server options to a socket (after the ZAP handler is running).
void make_curve_server(zmq::socket_t& socket, const CurveServerOptions& options,
                       std::string_view zap_domain);
// Applies CURVE client options to a socket before it connects.
void make_curve_client(zmq::socket_t& socket, const CurveClientOptions& options);

}  // namespace ww::publish
