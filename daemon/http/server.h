#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

// Asio and Beast stay in server.cpp: they are slow to compile, and callers need only this.
namespace boost::asio {
class io_context;
}

namespace ww::http {

struct Request {
    std::string method;  // "GET", "HEAD", "POST", ...
    std::string path;    // the target up to '?', as sent (not percent-decoded)
    std::string query;   // after '?', "" when none
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    // The first header of that name (case-insensitive), "" when absent.
    std::string_view header(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers

    static Response text(int status, std::string body);
    static Response json(std::string body, int status = 200);
};

// A route's callback. It runs on the io_context's thread, so it may read state that the loop
// owns without a lock; it must be quick (it holds up the loop) and should not throw (a throw
// becomes a 500).
using Handler = std::function<Response(const Request&)>;
// A route whose work runs elsewhere (a thread of its own): the handler starts it and returns;
// `reply` is called exactly once, on the io_context's thread, with the answer.
using Reply = std::function<void(Response)>;
using AsyncHandler = std::function<void(const Request&, Reply reply)>;

// Exact-path routes. GET routes answer HEAD too. The module knows nothing of what the routes
// serve: the app registers them.
class Router {
public:
    void add(std::string method, std::string path, Handler handler);
    void get(std::string path, Handler handler) { add("GET", std::move(path), std::move(handler)); }
    void post(std::string path, Handler handler) { add("POST", std::move(path), std::move(handler)); }
    // Every path under `prefix` (which ends with '/'), e.g. WebSub callbacks "/websub/<id>":
    // the handler reads the rest of request.path itself.
    void add_prefix(std::string method, std::string prefix, Handler handler);
    void add_async(std::string method, std::string path, AsyncHandler handler);

    // 404 for an unknown path, 405 (with Allow) for a known path and another method, 500 when
    // the handler throws; a HEAD response keeps its headers and loses its body later.
    // `reply` is called at once, or later for an asynchronous route.
    void dispatch(const Request& request, Reply reply) const;
    // The same for a caller that cannot wait: an asynchronous route that has not answered by
    // the time its handler returns gives a 500 (the fuzzer's entry point has no loop).
    Response dispatch(const Request& request) const;

private:
    struct Route {
        std::string method;
        std::string path;
        Handler handler;
        bool prefix = false;  // path is a prefix ending with '/'
        AsyncHandler async = {};
    };
    std::vector<Route> routes_;
};

struct Limits {
    std::size_t max_header_bytes = 8 * 1024;  // request line + headers; past it: 431
    std::size_t max_body_bytes = 64 * 1024;   // past it: 413
    // A whole request must arrive within this (slowloris), and an idle keep-alive connection
    // is closed after it.
    std::chrono::milliseconds read_timeout{10'000};
    std::chrono::milliseconds write_timeout{10'000};
    // Past max_connections (or max_per_peer from one address), the connection that has waited
    // longest for its request header, if it has waited at least evict_after, is closed to make
    // room; when none has, the new connection is closed at once (slowloris: half-open
    // connections cannot hold every slot).
    std::size_t max_connections = 64;
    std::size_t max_per_peer = 32;
    std::chrono::milliseconds evict_after{1'000};
    // Once three quarters of the slots are taken, a request header must arrive within this.
    std::chrono::milliseconds busy_header_timeout{2'000};
    // Bodies being read at once on this listener, counted at their announced size (a chunked
    // body at max_body_bytes); past it: 503 with Retry-After. 0: no limit.
    std::size_t max_body_in_flight = 0;
};

// DNS rebinding: the Host values a listener answers. `listen_host` is the bound address (a
// wildcard address accepts any IP literal: an IP literal cannot be rebound); localhost,
// 127.0.0.1 and [::1] are always accepted, with any port, and `allowed` names more ("name" for
// any port, "name:port" for that port only). Case-insensitive. Pure.
bool host_allowed(std::string_view host_header, std::string_view listen_host, const std::vector<std::string>& allowed);

// What a listener decides once a request's header is in, before its body is read.
struct Admission {
    std::optional<Response> refuse;  // answered at once, the body unread, the connection closed
    std::size_t max_body_bytes = 0;  // a smaller body limit for this request (0: the listener's)
};
using Screen = std::function<Admission(const Request& head)>;

struct ServerOptions {
    std::string listen = "127.0.0.1:9108";  // "host:port", "[v6]:port"; port 0 = any free port
    Limits limits;
    // Told about what the server cannot answer for itself (a handler that threw, a failed
    // accept); by default nothing is said. Runs on the io thread.
    std::function<void(std::string_view message)> on_error;
    // Refuse (421) requests whose Host (or Origin) names none of host_allowed()'s hosts, and
    // an HTTP/1.1 request without Host (400). Off: any Host is answered.
    bool check_host = false;
    std::vector<std::string> allowed_hosts;
    // Called with each request's method, target and headers before its body is read.
    Screen screen;
};

// "127.0.0.1:9108" -> {"127.0.0.1", 9108}; "[::1]:80" -> {"::1", 80}; "localhost:9108" ->
// {"127.0.0.1", 9108}; ":9108" and "*:9108" -> {"0.0.0.0", 9108}. Pure; the host must be an IP
// literal (or localhost): the listener never resolves names.
struct ListenAddress {
    std::string host;
    std::uint16_t port = 0;
};
Result<ListenAddress> parse_listen(std::string_view text);

// An HTTP/1.1 server (keep-alive, HEAD, size and time limits) on the caller's io_context. The
// io_context must be run by one thread: sessions are not guarded by a strand.
class Server {
public:
    // Binds and starts accepting; the error names the address ("http: cannot listen on ...").
    static Result<Server> start(boost::asio::io_context& io, ServerOptions options, Router router);
    Server(Server&&) noexcept;
    Server& operator=(Server&&) noexcept;
    ~Server();  // stop()

    // Closes the listener and every open connection (their pending operations are aborted).
    // Call it on the io thread. Idempotent.
    void stop();
    std::string address() const;  // the bound "host:port", with the real port when 0 was asked
    std::uint16_t port() const;

    struct State;  // opaque: the listener and its sessions, shared with pending handlers

private:
    explicit Server(std::shared_ptr<State> state);
    std::shared_ptr<State> state_;
};

// The server's request path without a socket: `raw` is parsed with the same parser settings
// and limits as a connection's first request, dispatched, and the serialised response
// returned (the fuzzer's entry point; tests use it for exact bytes).
std::string respond_to_bytes(const Router& router, std::string_view raw, const Limits& limits = {});

}  // namespace ww::http
