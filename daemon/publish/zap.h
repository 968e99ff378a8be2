#pragma once

#include <chrono>
#include <cstdint>
#include <utility>
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

// Refused peers are logged like the replay cut-offs: a peer retrying in a loop (3,000
// handshakes in 0.4 s) must not flood the journal. The first refusal of an interval is logged;
// the others are counted, and the count is told in the next line, or on its own when the
// interval ends. Pure: the caller gives the time.
class RefusalQuieter {
public:
    using Clock = std::chrono::steady_clock;
    explicit RefusalQuieter(Clock::duration interval = std::chrono::seconds(10)) : interval_(interval) {}
    // The number suppressed before this one when it is to be logged, nullopt when not.
    std::optional<std::size_t> admit(Clock::time_point now);
    // When the suppressed count is due on its own (nullopt: nothing suppressed).
    std::optional<Clock::time_point> due() const;
    // The suppressed count, reset, once due() has passed.
    std::size_t take_suppressed() { return std::exchange(suppressed_, 0); }

private:
    Clock::duration interval_;
    std::optional<Clock::time_point> window_end_;
    std::size_t suppressed_ = 0;
};

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

// ZMQ_MAXMSGSIZE of the sockets that read what a peer sends (the replay ROUTER's requests,
// the PUB's subscriptions, the ZAP handler's requests): a peer sending more is disconnected by
// libzmq before the message is held (one 1 GiB frame took the daemon to 1 GiB).
inline constexpr std::int64_t kMaxPeerMessage = 4096;

// The ZAP domain our server sockets announce; "socket" in a PeerRefusal is derived from it.
inline constexpr std::string_view kZapDomainPub = "wirewatch-pub";
inline constexpr std::string_view kZapDomainReplay = "wirewatch-replay";

// Applies CURVE server options to a socket (after the ZAP handler is running).
void make_curve_server(zmq::socket_t& socket, const CurveServerOptions& options,
                       std::string_view zap_domain);
// Applies CURVE client options to a socket before it connects.
void make_curve_client(zmq::socket_t& socket, const CurveClientOptions& options);

}  // namespace ww::publish
