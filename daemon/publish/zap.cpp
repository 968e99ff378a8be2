#include "publish/zap.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <thread>

namespace ww::publish {

ZapDecision decide_zap(std::string_view mechanism, std::string_view client_key_z85,
                       const std::optional<std::vector<std::string>>& allowlist) {
    if (mechanism != "CURVE") return {false, "mechanism " + std::string(mechanism) + " not allowed"};
    if (!allowlist) return {true, {}};
    if (std::ranges::find(*allowlist, client_key_z85) != allowlist->end()) return {true, {}};
    return {false, "client key not in curve_allowed_clients"};
}

namespace {

std::atomic<unsigned> g_pipe_counter{0};

std::string z85_of(const zmq::message_t& key) {
    if (key.size() != 32) return {};
    std::array<char, 41> out{};
    zmq_z85_encode(out.data(), static_cast<const std::uint8_t*>(key.data()), 32);
    return out.data();
}

void log_refusal(const PeerRefusal& r) {
    spdlog::warn("publish: refused peer socket={} address={} client_key={} reason=\"{}\"",
                 r.socket, r.address, r.client_key.empty() ? "-" : r.client_key, r.reason);
}

}  // namespace

struct ZapHandler::Impl {
    zmq::context_t* context = nullptr;
    std::optional<std::vector<std::string>> allowlist;
    std::function<void(const PeerRefusal&)> on_refused;
    std::string stop_endpoint;
    zmq::socket_t stop_sender;  // owner's thread
    std::thread thread;

    void run(zmq::socket_t handler, zmq::socket_t stop_receiver) {
        std::array<zmq::pollitem_t, 2> items{{{handler.handle(), 0, ZMQ_POLLIN, 0},
                                              {stop_receiver.handle(), 0, ZMQ_POLLIN, 0}}};
        for (;;) {
            zmq::poll(items.data(), items.size(), std::chrono::milliseconds(-1));
            if (items[1].revents & ZMQ_POLLIN) return;
            if (items[0].revents & ZMQ_POLLIN) answer(handler);
        }
    }

    void answer(zmq::socket_t& handler) {
        // RFC 27: version, request id, domain, address, identity, mechanism, credentials...
        std::vector<zmq::message_t> frames;
        for (;;) {
            zmq::message_t frame;
            if (!handler.recv(frame)) return;
            const bool more = frame.more();
            frames.push_back(std::move(frame));
            if (!more) break;
        }
        if (frames.size() < 6) return;
        const std::string domain = frames[2].to_string();
        const std::string address = frames[3].to_string();
        const std::string mechanism = frames[5].to_string();
        const std::string key = frames.size() > 6 ? z85_of(frames[6]) : std::string{};
        const ZapDecision decision = decide_zap(mechanism, key, allowlist);
        if (!decision.allowed) {
            const PeerRefusal refusal{domain == kZapDomainReplay ? "replay" : "pub", address, key,
                                      decision.reason};
            if (on_refused) on_refused(refusal);
            else log_refusal(refusal);
        }
        const std::array<std::string, 6> reply{"1.0",
                                               frames[1].to_string(),
                                               decision.allowed ? "200" : "400",
                                               decision.allowed ? "OK" : decision.reason,
                                               decision.allowed ? key : std::string{},
                                               std::string{}};
        for (std::size_t i = 0; i < reply.size(); ++i)
            handler.send(zmq::buffer(reply[i]),
                         i + 1 < reply.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
    }
};

Result<std::unique_ptr<ZapHandler>> ZapHandler::start(zmq::context_t& context,
                                                      const CurveServerOptions& options) {
    auto impl = std::make_unique<Impl>();
    impl->context = &context;
    impl->allowlist = options.allowed_clients;
    impl->on_refused = options.on_refused;
    impl->stop_endpoint = "inproc://ww-zap-stop-" + std::to_string(g_pipe_counter++);
    try {
        zmq::socket_t handler(context, zmq::socket_type::rep);
        handler.set(zmq::sockopt::linger, 0);
        handler.bind("inproc://zeromq.zap.01");
        zmq::socket_t stop_receiver(context, zmq::socket_type::pair);
        stop_receiver.bind(impl->stop_endpoint);
        impl->stop_sender = zmq::socket_t(context, zmq::socket_type::pair);
        impl->stop_sender.set(zmq::sockopt::linger, 0);
        impl->stop_sender.connect(impl->stop_endpoint);
        // The sockets move to the handler thread; std::thread's start is the full fence
        // libzmq asks for when a socket changes threads.
        impl->thread = std::thread([raw = impl.get(), h = std::move(handler),
                                    s = std::move(stop_receiver)]() mutable {
            raw->run(std::move(h), std::move(s));
        });
    } catch (const zmq::error_t& e) {
        return fail("publish", std::string("publish: cannot start the ZAP handler: ") + e.what());
    }
    return std::unique_ptr<ZapHandler>(new ZapHandler(std::move(impl)));
}

ZapHandler::ZapHandler(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ZapHandler::~ZapHandler() {
    if (!impl_) return;
    try {
        impl_->stop_sender.send(zmq::str_buffer("stop"), zmq::send_flags::none);
    } catch (const zmq::error_t&) {
    }
    if (impl_->thread.joinable()) impl_->thread.join();
}

void make_curve_server(zmq::socket_t& socket, const CurveServerOptions& options,
                       std::string_view zap_domain) {
    socket.set(zmq::sockopt::curve_server, 1);
    socket.set(zmq::sockopt::curve_secretkey, options.secret_key);
    socket.set(zmq::sockopt::zap_domain, std::string(zap_domain));
}

void make_curve_client(zmq::socket_t& socket, const CurveClientOptions& options) {
    socket.set(zmq::sockopt::curve_serverkey, options.server_public_key);
    socket.set(zmq::sockopt::curve_publickey, options.client.public_key);
    socket.set(zmq::sockopt::curve_secretkey, options.client.secret_key);
}

}  // namespace ww::publish
