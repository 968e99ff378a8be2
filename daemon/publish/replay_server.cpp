#include "publish/replay_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <thread>
#include <zmq.hpp>

#include "publish/endpoint_policy.h"
#include "publish/replay_protocol.h"
#include "publish/zap.h"

namespace ww::publish {

namespace {

std::atomic<unsigned> g_stop_counter{0};

// REPLAY, after, prefix: a request never has more frames than this.
constexpr std::size_t kMaxRequestFrames = 8;

// One message to one client, never blocking: false when the client's queue is full (it stopped
// reading) or it is gone. libzmq queues a multipart message whole or not at all, so only the
// first frame can fail.
bool send_frames(zmq::socket_t& socket, const zmq::message_t& routing_id,
                 std::initializer_list<std::string_view> frames) {
    try {
        if (!socket.send(zmq::buffer(routing_id.data(), routing_id.size()),
                         zmq::send_flags::sndmore | zmq::send_flags::dontwait))
            return false;
    } catch (const zmq::error_t& e) {
        if (e.num() == EHOSTUNREACH) return false;
        throw;
    }
    std::size_t i = 0;
    for (auto frame : frames) {
        ++i;
        socket.send(zmq::buffer(frame),
                    i < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
    }
    return true;
}

}  // namespace

struct ReplayServer::Impl {
    zmq::context_t context{1};
    std::unique_ptr<ZapHandler> zap;
    zmq::socket_t stop_sender;  // owner's thread
    std::string endpoint;
    std::size_t max_batch = 1000;
    ReplaySource source;
    std::uint64_t cut_answers = 0;  // replay thread only
    std::thread thread;

    ~Impl() { stop(); }

    void stop() {
        if (!thread.joinable()) return;
        try {
            stop_sender.send(zmq::str_buffer("stop"), zmq::send_flags::none);
        } catch (const zmq::error_t&) {
        }
        thread.join();
    }

    void run(zmq::socket_t router, zmq::socket_t stop_receiver) {
        std::array<zmq::pollitem_t, 2> items{{{router.handle(), 0, ZMQ_POLLIN, 0},
                                              {stop_receiver.handle(), 0, ZMQ_POLLIN, 0}}};
        for (;;) {
            try {
                zmq::poll(items.data(), items.size(), std::chrono::milliseconds(-1));
                if (items[1].revents & ZMQ_POLLIN) return;
                if (items[0].revents & ZMQ_POLLIN) serve_one(router);
            } catch (const zmq::error_t& e) {
                spdlog::error("publish: replay server error endpoint={} error=\"{}\"", endpoint, e.what());
                if (e.num() == ETERM) return;
            }
        }
    }

    void serve_one(zmq::socket_t& router) {
        // The routing id and a request's frames; the frames past kMaxRequestFrames are read and
        // dropped at once (2 M frames were held whole), and the request is refused.
        std::vector<zmq::message_t> frames;
        bool too_many = false;
        for (;;) {
            zmq::message_t frame;
            if (!router.recv(frame)) return;
            const bool more = frame.more();
            if (frames.size() <= kMaxRequestFrames) frames.push_back(std::move(frame));
            else too_many = true;
            if (!more) break;
        }
        if (frames.empty()) return;
        if (too_many) {
            send_frames(router, frames[0], {kErrorVerb, "too many frames in a request"});
            return;
        }
        std::vector<std::string_view> request;
        for (std::size_t i = 1; i < frames.size(); ++i) request.push_back(frames[i].to_string_view());
        auto parsed = parse_replay_request(request);
        if (!parsed) {
            send_frames(router, frames[0], {kErrorVerb, parsed.error().message});
            return;
        }
        // One more than a batch tells "more" from "done" without an extra round trip.
        auto slice = source(parsed->after, parsed->prefix, max_batch + 1);
        if (!slice) {
            spdlog::error("publish: replay failed after={} prefix=\"{}\" error=\"{}\"", parsed->after,
                          parsed->prefix, slice.error().message);
            send_frames(router, frames[0], {kErrorVerb, "internal error: " + slice.error().message});
            return;
        }
        if (const auto plan = plan_replay(*parsed, slice->earliest_seq, slice->last_seq); plan.error) {
            send_frames(router, frames[0], {kErrorVerb, *plan.error});
            return;
        }
        const bool more = slice->alerts.size() > max_batch;
        const std::size_t count = std::min(slice->alerts.size(), max_batch);
        std::int64_t end_seq = parsed->after;
        for (std::size_t i = 0; i < count; ++i) {
            const auto& alert = slice->alerts[i];
            if (!send_frames(router, frames[0], {kAlertVerb, alert.topic, alert.envelope})) {
                // Without END the client times out and asks again from what it has. Logged at
                // the 1st, 2nd, 4th, 8th... cut: a stalled client must not flood the journal.
                if (std::has_single_bit(++cut_answers))
                    spdlog::warn("publish: replay answer cut after={} sent={} cuts={} reason=\"client "
                                 "not reading or gone\"", parsed->after, i, cut_answers);
                return;
            }
            end_seq = alert.seq;
        }
        send_frames(router, frames[0], {kEndVerb, std::to_string(end_seq), more ? kMore : kDone});
    }
};

Result<ReplayServer> ReplayServer::start(const ReplayOptions& options, ReplaySource source) {
    if (auto ok = check_bind_allowed("replay_endpoint", options.endpoint, options.curve.enabled(),
                                     options.allow_insecure);
        !ok)
        return std::unexpected(ok.error());
    if (!source) return fail("publish", "publish: replay server started without a data source");
    auto impl = std::make_unique<Impl>();
    impl->max_batch = std::max<std::size_t>(1, options.max_batch);
    impl->source = std::move(source);
    try {
        zmq::socket_t router(impl->context, zmq::socket_type::router);
        router.set(zmq::sockopt::linger, 0);
        // A client asks again only after END, so one answer (max_batch + 1 messages) is all a
        // reading client ever has queued; room for two bounds the memory a client that stopped
        // reading can pin. Mandatory routing turns a full queue into an error we see instead
        // of a silent drop in the middle of an answer.
        router.set(zmq::sockopt::sndhwm, int(std::min<std::size_t>(2 * (impl->max_batch + 2), 1'000'000)));
        router.set(zmq::sockopt::router_mandatory, 1);
        // A request is a few short frames: a larger one disconnects its peer (kMaxPeerMessage).
        router.set(zmq::sockopt::maxmsgsize, kMaxPeerMessage);
        if (options.curve.enabled()) {
            // Before the bind: no connection may arrive before its handshake can be judged.
            auto zap = ZapHandler::start(impl->context, options.curve, router, "replay");
            if (!zap) return std::unexpected(zap.error());
            impl->zap = std::move(*zap);
            make_curve_server(router, options.curve, kZapDomainReplay);
        }
        router.bind(options.endpoint);
        impl->endpoint = router.get(zmq::sockopt::last_endpoint);
        const std::string stop_endpoint = "inproc://ww-replay-stop-" + std::to_string(g_stop_counter++);
        zmq::socket_t stop_receiver(impl->context, zmq::socket_type::pair);
        stop_receiver.bind(stop_endpoint);
        impl->stop_sender = zmq::socket_t(impl->context, zmq::socket_type::pair);
        impl->stop_sender.set(zmq::sockopt::linger, 0);
        impl->stop_sender.connect(stop_endpoint);
        // Sockets change threads here; starting the thread is the full fence libzmq requires.
        impl->thread = std::thread([raw = impl.get(), r = std::move(router),
                                    s = std::move(stop_receiver)]() mutable {
            raw->run(std::move(r), std::move(s));
        });
    } catch (const zmq::error_t& e) {
        return fail("publish", "publish: cannot bind replay " + options.endpoint + ": " + e.what());
    }
    return ReplayServer(std::move(impl));
}

ReplayServer::ReplayServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ReplayServer::ReplayServer(ReplayServer&&) noexcept = default;
ReplayServer& ReplayServer::operator=(ReplayServer&&) noexcept = default;
ReplayServer::~ReplayServer() = default;

void ReplayServer::stop() {
    if (impl_) impl_->stop();
}

std::string ReplayServer::endpoint() const { return impl_->endpoint; }

}  // namespace ww::publish
