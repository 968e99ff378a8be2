// The only translation unit that includes Beast (it is slow to compile).
#include "http/server.h"

#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <algorithm>
#include <cerrno>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace ww::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;
using Parser = bhttp::request_parser<bhttp::string_body>;

// After an error response the peer may still be sending; reading (and discarding) for a
// moment before closing keeps the kernel from answering with a RST that would destroy the
// response before the client reads it ("lingering close").
constexpr std::chrono::seconds kLingerTime{1};
constexpr std::size_t kLingerBytes = 1 << 20;

void configure(Parser& p, const Limits& limits) {
    p.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits.max_header_bytes, UINT32_MAX)));
    p.body_limit(limits.max_body_bytes);
}

Request to_request(const BeastRequest& r) {
    Request out;
    out.method = std::string(r.method_string());
    const std::string_view target = r.target();
    const auto q = target.find('?');
    out.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) out.query = std::string(target.substr(q + 1));
    for (const auto& field : r) out.headers.emplace_back(field.name_string(), field.value());
    out.body = r.body();
    return out;
}

BeastResponse to_beast(Response r, unsigned version, bool keep_alive, bool head) {
    BeastResponse res{static_cast<bhttp::status>(r.status), version};
    res.set(bhttp::field::server, "wirewatch");
    res.set(bhttp::field::content_type, r.content_type);
    // Health and metrics are live values: no cache between the daemon and its observer.
    res.set(bhttp::field::cache_control, "no-store");
    for (auto& [name, value] : r.headers) res.insert(name, value);
    res.keep_alive(keep_alive);
    res.content_length(r.body.size());
    if (!head) res.body() = std::move(r.body);
    return res;
}

// The answer to a request that could not be read, or nothing when the peer just went away.
std::optional<BeastResponse> error_response(const error_code& ec) {
    int status = 0;
    if (ec == bhttp::error::header_limit) status = 431;
    else if (ec == bhttp::error::body_limit) status = 413;
    else if (ec == bhttp::error::buffer_overflow) status = 431;
    else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
             ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
        status = 400;
    if (status == 0) return std::nullopt;
    static constexpr std::string_view reasons[] = {"bad request\n", "request header fields too large\n",
                                                   "request entity too large\n"};
    const auto reason = status == 400 ? reasons[0] : status == 431 ? reasons[1] : reasons[2];
    return to_beast(Response::text(status, std::string(reason)), 11, false, false);
}

BeastResponse respond(const Router& router, const BeastRequest& req) {
    const bool head = req.method() == bhttp::verb::head;
    return to_beast(router.dispatch(to_request(req)), req.version(), req.keep_alive(), head);
}

// RFC 9112 §6.1, §6.3: a request body is framed by Content-Length or by exactly one
// Transfer-Encoding, "chunked"; anything else ("xchunked", "chunked, identity", both headers)
// is a request a proxy in front may have framed otherwise (smuggling): refused, and closed.
bool ambiguous_framing(const BeastRequest& req) {
    const auto te = req.count(bhttp::field::transfer_encoding);
    if (te == 0) return false;
    if (te > 1 || req.count(bhttp::field::content_length) > 0 || req.version() < 11) return true;
    std::string_view v = req[bhttp::field::transfer_encoding];
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return !beast::iequals(v, "chunked");
}

// DNS rebinding (docs/robustness.md): a page whose name now points at 127.0.0.1 sends its own
// name as Host, and a cross-site page sends its Origin; both are refused.
std::optional<Response> host_refusal(const ServerOptions& o, std::string_view listen_host, const BeastRequest& req) {
    if (!o.check_host) return std::nullopt;
    const auto host = req.find(bhttp::field::host);
    if (host == req.end()) {
        if (req.version() >= 11) return Response::text(400, "bad request: no Host header\n");
    } else if (!host_allowed(host->value(), listen_host, o.allowed_hosts)) {
        return Response::text(421, "misdirected request: this server does not answer for that Host\n");
    }
    const auto origin = req.find(bhttp::field::origin);
    if (origin == req.end()) return std::nullopt;
    std::string_view value = origin->value();
    const auto scheme = value.find("://");
    if (scheme != std::string_view::npos && host_allowed(value.substr(scheme + 3), listen_host, o.allowed_hosts))
        return std::nullopt;
    return Response::text(403, "forbidden: cross-origin requests are not answered\n");
}

// Log-style rate limit: the first event of an interval is told, the rest counted.
struct Quieter {
    std::chrono::steady_clock::time_point next{};
    std::size_t suppressed = 0;
    std::optional<std::size_t> admit(std::chrono::steady_clock::time_point now, std::chrono::seconds interval) {
        if (now < next) {
            ++suppressed;
            return std::nullopt;
        }
        next = now + interval;
        return std::exchange(suppressed, 0);
    }
};

}  // namespace

class Session;

struct Server::State : std::enable_shared_from_this<Server::State> {
    State(asio::io_context& io, ServerOptions o, Router r, std::string host)
        : acceptor(io), backoff(io), options(std::move(o)), router(std::move(r)), listen_host(std::move(host)) {}
    tcp::acceptor acceptor;
    asio::steady_timer backoff;  // after EMFILE/ENFILE: accept again later, not in a spin
    std::chrono::milliseconds backoff_delay{0};
    Quieter accept_errors;
    ServerOptions options;
    Router router;
    std::string listen_host;
    std::unordered_set<Session*> sessions;  // live connections, closed by stop()
    std::unordered_map<std::string, std::size_t> per_peer;
    std::size_t body_in_flight = 0;
    bool stopped = false;

    void accept();
    void on_accept(const error_code& ec, tcp::socket socket);
    void on_accept_error(const error_code& ec);
    bool make_room(const std::string* peer);
    bool busy() const { return sessions.size() * 4 >= options.limits.max_connections * 3; }
    void report(std::string_view message) const {
        if (options.on_error) options.on_error(message);
    }
};

// One connection: read a request's header, screen it, read its body, answer, repeat while
// keep-alive. Every step has a deadline on the stream. The session keeps itself alive through
// the handlers it has pending.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, std::shared_ptr<Server::State> state, std::string peer)
        : stream_(std::move(socket)),
          buffer_(state->options.limits.max_header_bytes + state->options.limits.max_body_bytes),
          state_(std::move(state)),
          peer_(std::move(peer)) {}
    ~Session() { detach(); }

    void start() {
        state_->sessions.insert(this);
        ++state_->per_peer[peer_];
        read_header();
    }

    void close() {
        error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
    }

    // Closed to make room: no longer counted, though its handlers have yet to run.
    void evict() {
        detach();
        close();
    }

    // Waiting for a request header since this time (evictable), or nullopt.
    std::optional<std::chrono::steady_clock::time_point> idle_since() const {
        return waiting_header_ ? std::optional(started_) : std::nullopt;
    }
    const std::string& peer() const { return peer_; }

private:
    void detach() {
        release_body();
        if (!state_->sessions.erase(this)) return;
        if (auto it = state_->per_peer.find(peer_); it != state_->per_peer.end() && --it->second == 0)
            state_->per_peer.erase(it);
    }

    void read_header() {
        const auto& limits = state_->options.limits;
        parser_.emplace();
        configure(*parser_, limits);
        started_ = std::chrono::steady_clock::now();
        waiting_header_ = true;
        stream_.expires_after(state_->busy() ? std::min(limits.read_timeout, limits.busy_header_timeout)
                                             : limits.read_timeout);
        bhttp::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](const error_code& ec,
                                                                                        std::size_t) {
            self->on_header(ec);
        });
    }

    void on_header(const error_code& ec) {
        waiting_header_ = false;
        if (ec) return on_read_error(ec);
        const auto& req = parser_->get();
        if (ambiguous_framing(req)) return refuse(Response::text(400, "bad request: ambiguous message framing\n"));
        if (auto refused = host_refusal(state_->options, state_->listen_host, req)) return refuse(std::move(*refused));
        auto limit = state_->options.limits.max_body_bytes;
        if (state_->options.screen) {
            auto admission = state_->options.screen(to_request(req));
            if (admission.refuse) return refuse(std::move(*admission.refuse));
            if (admission.max_body_bytes) limit = std::min(limit, admission.max_body_bytes);
        }
        if (parser_->is_done()) return dispatch();
        const auto length = parser_->content_length();
        if (length && *length > limit) return refuse(Response::text(413, "request entity too large\n"));
        parser_->body_limit(limit);
        if (!reserve_body(length.value_or(limit))) {
            auto busy = Response::text(503, "busy: too many request bodies in flight\n");
            busy.headers.emplace_back("Retry-After", "5");
            return refuse(std::move(busy));
        }
        stream_.expires_at(started_ + state_->options.limits.read_timeout);
        bhttp::async_read(stream_, buffer_, *parser_,
                          [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_body(ec); });
    }

    void on_body(const error_code& ec) {
        release_body();
        if (ec) return on_read_error(ec);
        dispatch();
    }

    void on_read_error(const error_code& ec) {
        if (auto res = error_response(ec)) return write(std::move(*res));
        close();  // timeout, end of stream, reset, or stop(): nothing to answer
    }

    // Answered before the body is read: the connection cannot be reused (the body may follow).
    void refuse(Response r) { write(to_beast(std::move(r), parser_->get().version(), false, false)); }

    void dispatch() {
        state_->router.dispatch(to_request(parser_->get()), [self = shared_from_this()](Response r) {
            self->answer(std::move(r));
        });
    }

    // The parser still holds the request: nothing is read before the answer is written.
    void answer(Response r) {
        if (state_->stopped) return close();
        const auto& req = parser_->get();
        write(to_beast(std::move(r), req.version(), req.keep_alive(), req.method() == bhttp::verb::head));
    }

    bool reserve_body(std::size_t bytes) {
        const auto budget = state_->options.limits.max_body_in_flight;
        if (budget && state_->body_in_flight + bytes > budget) return false;
        state_->body_in_flight += bytes;
        reserved_ = bytes;
        return true;
    }
    void release_body() { state_->body_in_flight -= std::exchange(reserved_, 0); }

    void write(BeastResponse res) {
        // The response must outlive the asynchronous write: it lives in the session.
        response_ = std::move(res);
        stream_.expires_after(state_->options.limits.write_timeout);
        bhttp::async_write(stream_, response_, [self = shared_from_this()](const error_code& ec, std::size_t) {
            self->on_write(ec);
        });
    }

    void on_write(const error_code& ec) {
        if (ec) return close();
        if (response_.keep_alive() && !state_->stopped) return read_header();
        linger();
    }

    void linger() {
        error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(kLingerTime);
        drain();
    }

    void drain() {
        stream_.async_read_some(asio::buffer(scratch_), [self = shared_from_this()](const error_code& ec,
                                                                                     std::size_t n) {
            self->drained_ += n;
            if (ec || self->drained_ > kLingerBytes) return self->close();
            self->drain();
        });
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;  // bounded: a request cannot make it grow past the limits
    std::optional<Parser> parser_;
    BeastResponse response_;
    std::array<char, 4096> scratch_{};
    std::size_t drained_ = 0;
    std::shared_ptr<Server::State> state_;
    std::string peer_;
    std::chrono::steady_clock::time_point started_{};  // of the current request
    bool waiting_header_ = false;
    std::size_t reserved_ = 0;  // of State::body_in_flight
};

void Server::State::accept() {
    acceptor.async_accept([self = shared_from_this()](const error_code& ec, tcp::socket socket) {
        self->on_accept(ec, std::move(socket));
    });
}

// Closes the connection (of `peer`, or any) that has waited longest for a request header, if
// it has waited at least evict_after. False when there is none.
bool Server::State::make_room(const std::string* peer) {
    const auto now = std::chrono::steady_clock::now();
    Session* oldest = nullptr;
    std::chrono::steady_clock::time_point oldest_since = now - options.limits.evict_after;
    for (auto* s : sessions) {
        const auto since = s->idle_since();
        if (!since || *since > oldest_since || (peer && s->peer() != *peer)) continue;
        oldest = s;
        oldest_since = *since;
    }
    if (oldest) oldest->evict();
    return oldest != nullptr;
}

void Server::State::on_accept_error(const error_code& ec) {
    const bool out_of_resources = ec == asio::error::no_descriptors || ec.value() == ENFILE ||
                                  ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
    if (auto suppressed = accept_errors.admit(std::chrono::steady_clock::now(), std::chrono::seconds(10)))
        report("accept failed: " + ec.message() + " suppressed=" + std::to_string(*suppressed));
    if (!out_of_resources) return accept();
    // The pending connection stays in the backlog; a half-open one gives its descriptor back.
    make_room(nullptr);
    backoff_delay = std::clamp(backoff_delay * 2, std::chrono::milliseconds(50), std::chrono::milliseconds(1000));
    backoff.expires_after(backoff_delay);
    backoff.async_wait([self = shared_from_this()](const error_code& e) {
        if (!e && !self->stopped) self->accept();
    });
}

void Server::State::on_accept(const error_code& ec, tcp::socket socket) {
    if (stopped || ec == asio::error::operation_aborted) return;
    if (ec) return on_accept_error(ec);
    backoff_delay = std::chrono::milliseconds(0);
    error_code peer_ec;
    const auto peer = socket.remote_endpoint(peer_ec).address().to_string();
    const auto& limits = options.limits;
    const bool room = (sessions.size() < limits.max_connections || make_room(nullptr)) &&
                      (per_peer[peer] < limits.max_per_peer || make_room(&peer));
    if (per_peer[peer] == 0) per_peer.erase(peer);
    if (room) {
        std::make_shared<Session>(std::move(socket), shared_from_this(), peer)->start();
    } else {
        error_code ignored;
        socket.close(ignored);
    }
    accept();
}

Result<Server> Server::start(asio::io_context& io, ServerOptions options, Router router) {
    auto where = parse_listen(options.listen);
    if (!where) return std::unexpected(where.error());
    auto state = std::make_shared<State>(io, std::move(options), std::move(router), where->host);
    error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address(where->host, ec), where->port);
    auto failed = [&](std::string_view step) {
        return fail("http", "http: cannot listen on " + state->options.listen + ": " + std::string(step) + ": " +
                                ec.message());
    };
    if (ec) return failed("address");
    if (state->acceptor.open(endpoint.protocol(), ec); ec) return failed("socket");
    // A restarted daemon must not wait out TIME_WAIT connections of its previous life.
    if (state->acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) return failed("setsockopt");
    if (state->acceptor.bind(endpoint, ec); ec) return failed("bind");
    if (state->acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) return failed("listen");
    state->accept();
    return Server(std::move(state));
}

Server::Server(std::shared_ptr<State> state) : state_(std::move(state)) {}
Server::Server(Server&&) noexcept = default;
Server& Server::operator=(Server&& other) noexcept {
    if (this != &other) {
        stop();
        state_ = std::move(other.state_);
    }
    return *this;
}
Server::~Server() { stop(); }

void Server::stop() {
    if (!state_ || state_->stopped) return;
    state_->stopped = true;
    error_code ignored;
    state_->acceptor.close(ignored);
    state_->backoff.cancel();
    // Closing aborts each session's pending operation; the sessions then end themselves.
    for (auto* s : std::vector<Session*>(state_->sessions.begin(), state_->sessions.end())) s->close();
}

std::string Server::address() const {
    error_code ec;
    const auto ep = state_->acceptor.local_endpoint(ec);
    if (ec) return {};
    const auto host = ep.address().to_string();
    return (ep.address().is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(ep.port());
}

std::uint16_t Server::port() const {
    error_code ec;
    const auto ep = state_->acceptor.local_endpoint(ec);
    return ec ? 0 : ep.port();
}

std::string respond_to_bytes(const Router& router, std::string_view raw, const Limits& limits) {
    Parser parser;
    configure(parser, limits);
    parser.eager(true);
    error_code ec;
    asio::const_buffer input(raw.data(), raw.size());
    while (input.size() > 0 && !parser.is_done()) {
        const auto used = parser.put(input, ec);
        if (ec == bhttp::error::need_more) {
            ec = {};
            break;  // the connection would wait for more; here the input has ended
        }
        if (ec || used == 0) break;
        input += used;
    }
    // put_eof() asserts that something was parsed: no input at all is a request cut short.
    if (!ec && !parser.is_done()) {
        if (parser.got_some()) parser.put_eof(ec);
        else ec = bhttp::error::partial_message;
    }
    std::optional<BeastResponse> res;
    if (ec) {
        res = error_response(ec);
        // A request cut short (partial_message) gets the 400 a connection would give it at EOF.
        if (!res) res = to_beast(Response::text(400, "bad request\n"), 11, false, false);
    } else if (ambiguous_framing(parser.get())) {
        res = to_beast(Response::text(400, "bad request: ambiguous message framing\n"), 11, false, false);
    } else {
        res = respond(router, parser.get());
    }
    std::ostringstream out;
    out << *res;
    return out.str();
}

}  // namespace ww::http
