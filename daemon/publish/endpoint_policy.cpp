#include "publish/endpoint_policy.h"

#include <string>

namespace ww::publish {

namespace {

// "127.0.0.1:5556" -> "127.0.0.1", "[::1]:5556" -> "::1", "lo:5556" -> "lo"; a source
// address ("src;host:port") is not allowed on a bind, so ';' is not handled.
std::string_view host_of(std::string_view hostport) {
    if (hostport.starts_with('[')) {
        const auto close = hostport.find(']');
        return close == std::string_view::npos ? std::string_view{} : hostport.substr(1, close - 1);
    }
    return hostport.substr(0, hostport.rfind(':'));
}

bool is_loopback_ipv4(std::string_view host) {
    if (!host.starts_with("127.")) return false;
    int dots = 0;
    for (char c : host) {
        if (c == '.') ++dots;
        else if (c < '0' || c > '9') return false;
    }
    return dots == 3;
}

}  // namespace

bool is_local_endpoint(std::string_view endpoint) {
    if (endpoint.starts_with("ipc://") || endpoint.starts_with("inproc://")) return true;
    if (!endpoint.starts_with("tcp://")) return false;
    const std::string_view host = host_of(endpoint.substr(6));
    return is_loopback_ipv4(host) || host == "::1" || host == "localhost" || host == "lo";
}

Result<void> check_bind_allowed(std::string_view what, std::string_view endpoint, bool curve,
                                bool allow_insecure) {
    if (curve || allow_insecure || is_local_endpoint(endpoint)) return {};
    return fail("config",
                "publish: refusing to bind " + std::string(what) + " " + std::string(endpoint) +
                    " without CURVE: it is reachable from other machines; set [publish] "
                    "curve_secret_key_file, or allow_insecure = true to accept plaintext");
}

}  // namespace ww::publish
