#include "publish/subscriber.h"

#include <zmq.hpp>

#include "publish/publisher.h"
#include "publish/replay_protocol.h"
#include "publish/zap.h"

namespace ww::publish {

namespace {

// Reads every frame of one message.
std::vector<zmq::message_t> receive_all(zmq::socket_t& socket) {
    std::vector<zmq::message_t> frames;
    for (;;) {
        zmq::message_t frame;
        if (!socket.recv(frame)) break;
        const bool more = frame.more();
        frames.push_back(std::move(frame));
        if (!more) break;
    }
    return frames;
}

bool readable(zmq::socket_t& socket, std::chrono::milliseconds timeout) {
    zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, timeout);
    return (item.revents & ZMQ_POLLIN) != 0;
}

}  // namespace

struct Subscriber::Impl {
    zmq::context_t context{1};
    zmq::socket_t socket;
    std::string endpoint;
};

Result<Subscriber> Subscriber::connect(const SubscriberOptions& options) {
    auto impl = std::make_unique<Impl>();
    impl->endpoint = options.endpoint;
    try {
        impl->socket = zmq::socket_t(impl->context, zmq::socket_type::sub);
        impl->socket.set(zmq::sockopt::linger, 0);
        impl->socket.set(zmq::sockopt::rcvhwm, options.receive_hwm);
        if (options.curve.enabled()) make_curve_client(impl->socket, options.curve);
        for (const auto& topic : options.topics) impl->socket.set(zmq::sockopt::subscribe, topic);
        if (options.heartbeats) impl->socket.set(zmq::sockopt::subscribe, kHeartbeatTopic);
        impl->socket.connect(options.endpoint);
    } catch (const zmq::error_t& e) {
        return fail("publish", "publish: cannot connect to " + options.endpoint + ": " + e.what());
    }
    return Subscriber(std::move(impl));
}

Subscriber::Subscriber(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Subscriber::Subscriber(Subscriber&&) noexcept = default;
Subscriber& Subscriber::operator=(Subscriber&&) noexcept = default;
Subscriber::~Subscriber() = default;

Result<std::optional<Message>> Subscriber::receive(std::chrono::milliseconds timeout) {
    try {
        // Try the queue first: under load most calls find a message waiting, and skip the
        // poll system call.
        zmq::message_t topic;
        if (!impl_->socket.recv(topic, zmq::recv_flags::dontwait)) {
            if (!readable(impl_->socket, timeout)) return std::optional<Message>{};
            if (!impl_->socket.recv(topic, zmq::recv_flags::dontwait)) return std::optional<Message>{};
        }
        std::vector<zmq::message_t> frames;
        const bool more = topic.more();
        frames.push_back(std::move(topic));
        if (more) {
            auto rest = receive_all(impl_->socket);
            for (auto& f : rest) frames.push_back(std::move(f));
        }
        if (frames.size() != 2)
            return fail("publish", "publish: malformed message from " + impl_->endpoint + ": " +
                                       std::to_string(frames.size()) + " frames, expected 2");
        return Message{frames[0].to_string(), frames[1].to_string()};
    } catch (const zmq::error_t& e) {
        // A signal (Ctrl-C) interrupts the wait: let the caller check its stop flag.
        if (e.num() == EINTR) return std::optional<Message>{};
        return fail("publish", "publish: receive from " + impl_->endpoint + " failed: " + e.what());
    }
}

struct ReplayClient::Impl {
    zmq::context_t context{1};
    zmq::socket_t socket;
    ReplayClientOptions options;

    void open() {
        socket = zmq::socket_t(context, zmq::socket_type::dealer);
        socket.set(zmq::sockopt::linger, 0);
        // A page can hold max_batch alerts; never drop part of one.
        socket.set(zmq::sockopt::rcvhwm, 0);
        if (options.curve.enabled()) make_curve_client(socket, options.curve);
        socket.connect(options.endpoint);
    }
};

Result<ReplayClient> ReplayClient::connect(const ReplayClientOptions& options) {
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    try {
        impl->open();
    } catch (const zmq::error_t& e) {
        return fail("publish", "publish: cannot connect to replay " + options.endpoint + ": " + e.what());
    }
    return ReplayClient(std::move(impl));
}

ReplayClient::ReplayClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ReplayClient::ReplayClient(ReplayClient&&) noexcept = default;
ReplayClient& ReplayClient::operator=(ReplayClient&&) noexcept = default;
ReplayClient::~ReplayClient() = default;

Result<ReplayPage> ReplayClient::request(std::int64_t after, std::string_view prefix) {
    auto& m = *impl_;
    const std::string where = " from replay " + m.options.endpoint;
    try {
        const std::string seq_text = std::to_string(after);
        m.socket.send(zmq::buffer(kReplayVerb), zmq::send_flags::sndmore);
        m.socket.send(zmq::buffer(seq_text), zmq::send_flags::sndmore);
        m.socket.send(zmq::buffer(prefix), zmq::send_flags::none);
        ReplayPage page;
        page.end_seq = after;
        for (;;) {
            if (!readable(m.socket, m.options.timeout)) {
                // A late answer to this request must not be read as the answer to the next
                // one: start over on a fresh socket.
                m.open();
                return fail("timeout", "publish: no answer" + where + " within " +
                                           std::to_string(m.options.timeout.count()) + " ms");
            }
            auto frames = receive_all(m.socket);
            const std::string verb = frames.empty() ? std::string{} : frames[0].to_string();
            if (verb == kAlertVerb && frames.size() == 3) {
                std::string envelope = frames[2].to_string();
                const auto seq = envelope_seq(envelope);
                if (!seq) return fail("replay", "publish: an ALERT without a seq" + where);
                page.alerts.push_back({*seq, frames[1].to_string(), std::move(envelope)});
            } else if (verb == kEndVerb && frames.size() == 3) {
                const auto seq = parse_seq_text(frames[1].to_string_view());
                if (!seq) return fail("replay", "publish: END with a bad seq" + where);
                page.end_seq = *seq;
                page.more = frames[2].to_string_view() == kMore;
                return page;
            } else if (verb == kErrorVerb && frames.size() == 2) {
                const std::string reason = frames[1].to_string();
                return fail(pruned_earliest(reason) ? "pruned" : "replay",
                            "publish: replay refused" + where + ": " + reason);
            } else {
                return fail("replay", "publish: unexpected message" + where + " (" + verb + ", " +
                                          std::to_string(frames.size()) + " frames)");
            }
        }
    } catch (const zmq::error_t& e) {
        return fail("replay", "publish: replay request" + where + " failed: " + e.what());
    }
}

}  // namespace ww::publish
