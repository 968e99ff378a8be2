#include "publish/publisher.h"

#include <zmq.hpp>

#include "publish/endpoint_policy.h"
#include "publish/zap.h"

namespace ww::publish {

std::string heartbeat_body(std::int64_t last_seq) {
    return "{\"v\":1,\"seq\":" + std::to_string(last_seq) + "}";
}

struct Publisher::Impl {
    // Destroyed in reverse order: the socket closes, then the ZAP thread stops, then the
    // context terminates, waiting up to linger_ms for queued messages.
    zmq::context_t context{1};
    std::unique_ptr<ZapHandler> zap;
    zmq::socket_t socket;
    std::string endpoint;
};

Result<Publisher> Publisher::bind(const PublisherOptions& options) {
    if (auto ok = check_bind_allowed("endpoint", options.endpoint, options.curve.enabled(),
                                     options.allow_insecure);
        !ok)
        return std::unexpected(ok.error());
    auto impl = std::make_unique<Impl>();
    try {
        impl->socket = zmq::socket_t(impl->context, zmq::socket_type::pub);
        impl->socket.set(zmq::sockopt::sndhwm, options.send_hwm);
        impl->socket.set(zmq::sockopt::linger, options.linger_ms);
        // What a PUB reads is subscriptions: a topic prefix never needs more.
        impl->socket.set(zmq::sockopt::maxmsgsize, kMaxPeerMessage);
        if (options.curve.enabled()) {
            // Before the bind: no connection may arrive before its handshake can be judged.
            auto zap = ZapHandler::start(impl->context, options.curve, impl->socket, "pub");
            if (!zap) return std::unexpected(zap.error());
            impl->zap = std::move(*zap);
            make_curve_server(impl->socket, options.curve, kZapDomainPub);
        }
        impl->socket.bind(options.endpoint);
        impl->endpoint = impl->socket.get(zmq::sockopt::last_endpoint);
    } catch (const zmq::error_t& e) {
        return fail("publish", "publish: cannot bind " + options.endpoint + ": " + e.what());
    }
    return Publisher(std::move(impl));
}

Publisher::Publisher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Publisher::Publisher(Publisher&&) noexcept = default;
Publisher& Publisher::operator=(Publisher&&) noexcept = default;
Publisher::~Publisher() = default;

Result<void> Publisher::send(std::string_view topic, std::string_view body) {
    try {
        // PUB never blocks: past the high-water mark ZeroMQ drops for that subscriber, which
        // then sees a seq gap and replays it.
        if (!impl_->socket.send(zmq::buffer(topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait) ||
            !impl_->socket.send(zmq::buffer(body), zmq::send_flags::dontwait))
            return fail("publish", "publish: send would block on " + impl_->endpoint);
    } catch (const zmq::error_t& e) {
        return fail("publish", "publish: send on " + impl_->endpoint + " failed: " + e.what());
    }
    return {};
}

Result<void> Publisher::heartbeat(std::int64_t last_seq) {
    return send(kHeartbeatTopic, heartbeat_body(last_seq));
}

std::string Publisher::endpoint() const { return impl_->endpoint; }

}  // namespace ww::publish
