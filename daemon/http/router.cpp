// The socket-free half of the server: routing, responses and the listen address. Kept apart
// from server.cpp so that only one translation unit pays for Beast.
#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <exception>

#include "http/server.h"

namespace ww::http {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::ranges::equal(a, b, [](char x, char y) {
               auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

bool is_ip_literal(const std::string& host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

std::string_view Request::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return v;
    return {};
}

Response Response::text(int status, std::string body) {
    return Response{.status = status, .body = std::move(body)};
}

Response Response::json(std::string body, int status) {
    return Response{.status = status, .content_type = "application/json", .body = std::move(body)};
}

void Router::add(std::string method, std::string path, Handler handler) {
    routes_.push_back({std::move(method), std::move(path), std::move(handler)});
}

void Router::add_prefix(std::string method, std::string prefix, Handler handler) {
    routes_.push_back({std::move(method), std::move(prefix), std::move(handler), true});
}

Response Router::dispatch(const Request& request) const {
    // HEAD is GET without a body; the connection drops the body, the handler need not know.
    const std::string_view method = request.method == "HEAD" ? std::string_view("GET") : request.method;
    std::string allow;
    for (const auto& r : routes_) {
        if (r.prefix ? !request.path.starts_with(r.path) : r.path != request.path) continue;
        if (r.method == method) {
            try {
                return r.handler(request);
            } catch (const std::exception& e) {
                return Response::text(500, std::string("http: handler for ") + r.path + " failed: " + e.what() + "\n");
            } catch (...) {
                return Response::text(500, "http: handler for " + r.path + " failed\n");
            }
        }
        allow += (allow.empty() ? "" : ", ") + r.method + (r.method == "GET" ? ", HEAD" : "");
    }
    if (allow.empty()) return Response::text(404, "not found\n");
    auto r = Response::text(405, "method not allowed\n");
    r.headers.emplace_back("Allow", allow);
    return r;
}

Result<ListenAddress> parse_listen(std::string_view text) {
    auto bad = [&](std::string_view why) {
        return fail("config", "http: invalid listen address \"" + std::string(text) + "\": " + std::string(why));
    };
    std::string host;
    std::string_view port_text;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return bad("expected [address]:port");
        host = std::string(text.substr(1, close - 1));
        port_text = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return bad("expected host:port");
        host = std::string(text.substr(0, colon));
        if (host.find(':') != std::string::npos) return bad("an IPv6 address must be in brackets");
        port_text = text.substr(colon + 1);
    }
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535)
        return bad("the port must be a number from 0 to 65535");
    if (host.empty() || host == "*") host = "0.0.0.0";
    if (host == "localhost") host = "127.0.0.1";
    if (!is_ip_literal(host)) return bad("the host must be an IP address or localhost");
    return ListenAddress{host, static_cast<std::uint16_t>(port)};
}

}  // namespace ww::http
