#include "publish/zap.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <map>
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

void log_refusal(const PeerRefusal& r, std::size_t suppressed) {
    spdlog::warn("publish: refused peer socket={} address={} client_key={} reason=\"{}\" suppressed={}",
                 r.socket, r.address, r.client_key.empty() ? "-" : r.client_key, r.reason, suppressed);
}

}  // namespace

std::optional<std::size_t> RefusalQuieter::admit(Clock::time_point now) {
    if (window_end_ && now < *window_end_) {
        ++suppressed_;
        return std::nullopt;
    }
    window_end_ = now + interval_;
    return std::exchange(suppressed_, 0);
}

std::optional<RefusalQuieter::Clock::time_point> RefusalQuieter::due() const {
    if (suppressed_ == 0 || !window_end_) return std::nullopt;
    return *window_end_;
}

std::string handshake_failure_reason(std::uint16_t event, std::uint32_t value) {
    if (event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) {
        if (value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH)
            return "security mechanism mismatch (a client without CURVE?)";
        if (value == ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC)
            return "CURVE handshake failed (the client uses a wrong server key?)";
        char code[16];
        std::snprintf(code, sizeof code, "0x%08x", value);
        return std::string("handshake protocol error ") + code;
    }
    if (event == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
        return "authentication refused (ZAP status " + std::to_string(value) + ")";
    return std::string("handshake failed: ") + std::strerror(int(value));
}

namespace {

std::string peer_address(int fd) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "?";
    char host[INET6_ADDRSTRLEN] = "?";
    if (addr.ss_family == AF_INET)
        ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&addr)->sin_addr, host, sizeof host);
    else if (addr.ss_family == AF_INET6)
        ::inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&addr)->sin6_addr, host, sizeof host);
    else if (addr.ss_family == AF_UNIX)
        return "unix";
    return host;
}

}  // namespace

struct ZapHandler::Impl {
    std::optional<std::vector<std::string>> allowlist;
    std::function<void(const PeerRefusal&)> on_refused;
    std::string socket_name;
    zmq::socket_t stop_sender;  // owner's thread
    std::thread thread;
    // Monitor state, handler thread only. libzmq reports, for one connection and in this
    // order from its single I/O thread: ACCEPTED(fd), HANDSHAKE_FAILED_*(reason),
    // DISCONNECTED(fd); the address must be read at ACCEPTED, while the fd is open.
    std::map<std::uint32_t, std::string> peers;
    std::optional<std::string> failed;

    RefusalQuieter quieter;  // handler thread only

    void refuse(const PeerRefusal& refusal) {
        if (on_refused) return on_refused(refusal);
        if (const auto suppressed = quieter.admit(RefusalQuieter::Clock::now())) log_refusal(refusal, *suppressed);
    }

    // The count of refusals not logged, once their interval has ended without another one.
    std::chrono::milliseconds tell_suppressed() {
        const auto due = quieter.due();
        if (!due) return std::chrono::milliseconds(-1);
        const auto now = RefusalQuieter::Clock::now();
        if (now < *due) return std::chrono::ceil<std::chrono::milliseconds>(*due - now);
        spdlog::warn("publish: refused peers socket={} suppressed={}", socket_name, quieter.take_suppressed());
        return std::chrono::milliseconds(-1);
    }

    void run(zmq::socket_t handler, zmq::socket_t stop_receiver, zmq::socket_t monitor) {
        std::array<zmq::pollitem_t, 3> items{{{handler.handle(), 0, ZMQ_POLLIN, 0},
                                              {stop_receiver.handle(), 0, ZMQ_POLLIN, 0},
                                              {monitor.handle(), 0, ZMQ_POLLIN, 0}}};
        for (;;) {
            zmq::poll(items.data(), items.size(), tell_suppressed());
            if (items[1].revents & ZMQ_POLLIN) return;
            if (items[0].revents & ZMQ_POLLIN) answer(handler);
            if (items[2].revents & ZMQ_POLLIN) on_monitor_event(monitor);
        }
    }

    void on_monitor_event(zmq::socket_t& monitor) {
        zmq::message_t head, endpoint;
        if (!monitor.recv(head) || !head.more() || !monitor.recv(endpoint)) return;
        if (head.size() < 6) return;
        std::uint16_t event = 0;
        std::uint32_t value = 0;
        std::memcpy(&event, head.data(), 2);
        std::memcpy(&value, static_cast<const char*>(head.data()) + 2, 4);
        switch (event) {
            case ZMQ_EVENT_ACCEPTED:
                peers[value] = peer_address(int(value));
                break;
            case ZMQ_EVENT_HANDSHAKE_SUCCEEDED:
                failed.reset();
                break;
            case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
                failed.reset();  // the ZAP handler logged it already, with the client key
                break;
            case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
            case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
                failed = handshake_failure_reason(event, value);
                break;
            case ZMQ_EVENT_DISCONNECTED: {
                const auto peer = peers.find(value);
                if (failed) refuse({socket_name, peer == peers.end() ? "?" : peer->second, {}, *failed});
                if (peer != peers.end()) peers.erase(peer);
                failed.reset();
                break;
            }
            default:
                break;
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
        const std::string address = frames[3].to_string();
        const std::string mechanism = frames[5].to_string();
        const std::string key = frames.size() > 6 ? z85_of(frames[6]) : std::string{};
        const ZapDecision decision = decide_zap(mechanism, key, allowlist);
        if (!decision.allowed) refuse({socket_name, address, key, decision.reason});
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
                                                      const CurveServerOptions& options,
                                                      zmq::socket_t& server_socket,
                                                      std::string socket_name) {
    auto impl = std::make_unique<Impl>();
    impl->allowlist = options.allowed_clients;
    impl->on_refused = options.on_refused;
    impl->socket_name = std::move(socket_name);
    const std::string id = std::to_string(g_pipe_counter++);
    const std::string stop_endpoint = "inproc://ww-zap-stop-" + id;
    const std::string monitor_endpoint = "inproc://ww-monitor-" + id;
    try {
        zmq::socket_t handler(context, zmq::socket_type::rep);
        handler.set(zmq::sockopt::linger, 0);
        handler.set(zmq::sockopt::maxmsgsize, kMaxPeerMessage);
        handler.bind("inproc://zeromq.zap.01");
        zmq::socket_t stop_receiver(context, zmq::socket_type::pair);
        stop_receiver.bind(stop_endpoint);
        impl->stop_sender = zmq::socket_t(context, zmq::socket_type::pair);
        impl->stop_sender.set(zmq::sockopt::linger, 0);
        impl->stop_sender.connect(stop_endpoint);
        if (zmq_socket_monitor(server_socket.handle(), monitor_endpoint.c_str(),
                               ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED |
                                   ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                                   ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) != 0)
            throw zmq::error_t();
        zmq::socket_t monitor(context, zmq::socket_type::pair);
        monitor.set(zmq::sockopt::linger, 0);
        monitor.connect(monitor_endpoint);
        // The sockets move to the handler thread; std::thread's start is the full fence
        // libzmq asks for when a socket changes threads.
        impl->thread = std::thread([raw = impl.get(), h = std::move(handler),
                                    s = std::move(stop_receiver), m = std::move(monitor)]() mutable {
            raw->run(std::move(h), std::move(s), std::move(m));
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
