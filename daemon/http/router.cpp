// The socket-free half of the server: routing, responses and the listen address. Kept apart
// from server.cpp so that only one translation unit pays for Beast.
#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <memory>
#include <optional>

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

struct HostPort {
    std::string host;  // lower case, IPv6 without its brackets
    std::string port;  // "" when none
};

// "Name:80" -> {"name", "80"}; "[::1]:80" -> {"::1", "80"}; nullopt when malformed.
std::optional<HostPort> split_host(std::string_view text) {
    HostPort out;
    std::string_view port;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        out.host = std::string(text.substr(1, close - 1));
        const auto rest = text.substr(close + 1);
        if (!rest.empty() && !rest.starts_with(':')) return std::nullopt;
        if (!rest.empty()) port = rest.substr(1);
    } else {
        const auto colon = text.find(':');
        out.host = std::string(text.substr(0, colon));
        if (colon != std::string_view::npos) port = text.substr(colon + 1);
    }
    if (out.host.empty() || !std::ranges::all_of(port, [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    for (auto& c : out.host) c = c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
    out.port = std::string(port);
    return out;
}

void reply_from(const Handler& handler, const std::string& path, const Request& request, const Reply& reply) {
    try {
        return reply(handler(request));
    } catch (const std::exception& e) {
        return reply(Response::text(500, std::string("http: handler for ") + path + " failed: " + e.what() + "\n"));
    } catch (...) {
        return reply(Response::text(500, "http: handler for " + path + " failed\n"));
    }
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

void Router::add_async(std::string method, std::string path, AsyncHandler handler) {
    routes_.push_back({std::move(method), std::move(path), {}, false, std::move(handler)});
}

void Router::dispatch(const Request& request, Reply reply) const {
    // HEAD is GET without a body; the connection drops the body, the handler need not know.
    const std::string_view method = request.method == "HEAD" ? std::string_view("GET") : request.method;
    std::string allow;
    for (const auto& r : routes_) {
        if (r.prefix ? !request.path.starts_with(r.path) : r.path != request.path) continue;
        if (r.method == method && !r.async) return reply_from(r.handler, r.path, request, reply);
        if (r.method == method) {
            try {
                return r.async(request, std::move(reply));
            } catch (const std::exception& e) {
                // Nothing was started: the reply was not handed on.
                return reply(Response::text(500, "http: handler for " + r.path + " failed: " + e.what() + "\n"));
            }
        }
        allow += (allow.empty() ? "" : ", ") + r.method + (r.method == "GET" ? ", HEAD" : "");
    }
    if (allow.empty()) return reply(Response::text(404, "not found\n"));
    auto r = Response::text(405, "method not allowed\n");
    r.headers.emplace_back("Allow", allow);
    reply(std::move(r));
}

Response Router::dispatch(const Request& request) const {
    auto out = std::make_shared<std::optional<Response>>();
    dispatch(request, [out](Response r) { *out = std::move(r); });
    if (*out) return std::move(**out);
    return Response::text(500, "http: asynchronous route without a loop\n");
}

bool host_allowed(std::string_view host_header, std::string_view listen_host, const std::vector<std::string>& allowed) {
    const auto asked = split_host(host_header);
    if (!asked) return false;
    if (asked->host == "localhost" || asked->host == "127.0.0.1" || asked->host == "::1") return true;
    if (asked->host == listen_host) return true;
    // A wildcard listener: any address of this machine is a listen address, and a browser
    // that was sent to an IP literal is not being fooled by a name that changed address.
    if ((listen_host == "0.0.0.0" || listen_host == "::") && is_ip_literal(asked->host)) return true;
    return std::ranges::any_of(allowed, [&](const std::string& entry) {
        const auto a = split_host(entry);
        return a && a->host == asked->host && (a->port.empty() || a->port == asked->port);
    });
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
