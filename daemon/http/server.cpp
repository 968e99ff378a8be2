// The only translation unit that includes Beast (it is slow to compile).
#include "http/server.h"

#include <optional>
#include <sstream>
#include <unordered_set>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
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

}  // namespace

class Session;

struct Server::State : std::enable_shared_from_this<Server::State> {
    State(asio::io_context& io, ServerOptions o, Router r)
        : acceptor(io), options(std::move(o)), router(std::move(r)) {}
    tcp::acceptor acceptor;
    ServerOptions options;
    Router router;
    std::unordered_set<Session*> sessions;  // live connections, closed by stop()
    bool stopped = false;

    void accept();
    void on_accept(const error_code& ec, tcp::socket socket);
    void report(std::string_view message) const {
        if (options.on_error) options.on_error(message);
    }
};

// One connection: read a request, answer it, repeat while keep-alive. Every step has a
// deadline on the stream. The session keeps itself alive through the handlers it has pending.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, std::shared_ptr<Server::State> state)
        : stream_(std::move(socket)),
          buffer_(state->options.limits.max_header_bytes + state->options.limits.max_body_bytes),
          state_(std::move(state)) {}
    ~Session() { state_->sessions.erase(this); }

    void start() {
        state_->sessions.insert(this);
        read();
    }

    void close() {
        error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
    }

private:
    void read() {
        parser_.emplace();
        configure(*parser_, state_->options.limits);
        stream_.expires_after(state_->options.limits.read_timeout);
        bhttp::async_read(stream_, buffer_, *parser_,
                          [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(const error_code& ec) {
        if (ec) {
            if (auto res = error_response(ec)) return write(std::move(*res));
            return close();  // timeout, end of stream, reset, or stop(): nothing to answer
        }
        write(respond(state_->router, parser_->get()));
    }

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
        if (response_.keep_alive() && !state_->stopped) return read();
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
};

void Server::State::accept() {
    acceptor.async_accept([self = shared_from_this()](const error_code& ec, tcp::socket socket) {
        self->on_accept(ec, std::move(socket));
    });
}

void Server::State::on_accept(const error_code& ec, tcp::socket socket) {
    if (stopped || ec == asio::error::operation_aborted) return;
    if (ec) {
        // EMFILE and friends: report and keep accepting; the listener itself is fine.
        report("http: accept failed: " + ec.message());
        return accept();
    }
    if (sessions.size() >= options.limits.max_connections) {
        error_code ignored;
        socket.close(ignored);
    } else {
        std::make_shared<Session>(std::move(socket), shared_from_this())->start();
    }
    accept();
}

Result<Server> Server::start(asio::io_context& io, ServerOptions options, Router router) {
    auto where = parse_listen(options.listen);
    if (!where) return std::unexpected(where.error());
    auto state = std::make_shared<State>(io, std::move(options), std::move(router));
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
    } else {
        res = respond(router, parser.get());
    }
    std::ostringstream out;
    out << *res;
    return out.str();
}

}  // namespace ww::http
