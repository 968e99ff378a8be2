#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "core/error.h"

namespace ww::fetch {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct ClientOptions {
    std::string user_agent;  // empty: "wirewatch/<version> (+<project url>)"
    std::chrono::seconds connect_timeout{10};
    std::chrono::seconds timeout{30};
    std::size_t max_body = 15u << 20;  // applied to the decompressed size too
    std::size_t max_in_flight = 64;
    std::size_t per_host = 2;
    bool allow_private_networks = false;
    std::string proxy;  // empty: no proxy (the environment's http_proxy is ignored on purpose)
    // A transfer slower than low_speed_limit bytes/s for low_speed_time is a "timeout": a
    // trickling server is cut off well before the total timeout.
    std::size_t low_speed_limit = 64;
    std::chrono::seconds low_speed_time{15};
    // Networks exempt from the SSRF guard ("10.1.2.0/24", "fd00::/8"); an entry that
    // parse_network (fetch/address_guard.h) rejects makes the constructor throw
    // std::invalid_argument, so the config must validate them first.
    std::vector<std::string> allowed_networks;
    // A PEM bundle of CAs to trust instead of the system's (a private CA; tests). Empty: system.
    std::string ca_file;
};

// "wirewatch/<version> (+<project url>)"
std::string default_user_agent();

struct Request {
    std::string url;
    std::string etag;           // validators from the previous 200, sent as conditional GET
    std::string last_modified;
    Headers headers;            // extra request headers
    std::string user_agent;     // overrides ClientOptions::user_agent when not empty
    std::string proxy;
    std::string basic_auth;     // "user:password"
    bool allow_private_networks = false;  // ORed with ClientOptions
};

struct Response {
    long status = 0;
    std::string body;  // decoded (gzip/brotli/zstd removed)
    Headers headers;   // of the final response, names lower-case
    std::string effective_url;
    std::string permanent_url;  // set when the chain had only 301/308 hops: the new feed URL
    std::chrono::milliseconds elapsed{0};
    std::string http_version;  // of the final response: "1.0", "1.1", "2" or "3"

    std::string header(std::string_view name) const;  // "" when absent
};

// One shared, concurrent HTTP client on the caller's io_context: libcurl's multi-socket
// interface with Asio watching the sockets and a steady_timer for curl's timeouts.
// All members and callbacks run on the io_context's thread.
class HttpClient {
public:
    using Callback = std::function<void(Result<Response>)>;

    HttpClient(boost::asio::io_context& io, ClientOptions options);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Starts a GET; `done` is called exactly once, on the io_context thread, with the
    // response (any HTTP status, including 304 and 5xx) or a transport error whose kind is one
    // of: "dns", "connect", "tls", "timeout", "too_large", "redirects", "blocked", "reset",
    // "protocol", "cancelled".
    void get(Request request, Callback done);

    // Requests beyond max_in_flight or per_host wait in a queue inside the client; their
    // timeouts start when they leave it. The destructor drops pending requests without calling
    // their callbacks (call cancel_all first and run the loop to get them).

    // Aborts every transfer; their callbacks get kind "cancelled".
    void cancel_all();
    std::size_t in_flight() const;  // transfers started, not the queued ones
    std::size_t queued() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ww::fetch
