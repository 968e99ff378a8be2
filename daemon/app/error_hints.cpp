#include "app/error_hints.h"

#include <array>
#include <utility>

namespace ww::app {

std::string_view hint_for(std::string_view kind) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 18> hints{{
        {"dns", "the host name does not resolve: check the URL's spelling, the network or the proxy"},
        {"connect", "nothing answers at that address: check the network, a firewall or [fetch] proxy"},
        {"tls", "the TLS handshake failed: check the certificate (wrong host, expired) or the system's CA store"},
        {"timeout", "the server is slow or unreachable: it is retried with backoff; raise [fetch] timeout if it is only slow"},
        {"too_large", "the body is over [fetch] max_body: raise it if the feed is legitimately that large"},
        {"redirects", "too many redirects: open the URL in a browser and use where it ends"},
        {"blocked", "the address is loopback or private: set allow_private_networks = true on the feed if intended"},
        {"reset", "the connection broke mid-transfer: usually transient, retried with backoff"},
        {"protocol", "the server spoke broken HTTP: retried; report it to the site if it persists"},
        {"not_found", "check the URL; `wirewatch discover SITE-URL` lists the feeds a site offers"},
        {"gone", "the site says the feed is gone for good (410): it is no longer polled; remove it or replace its URL"},
        {"denied", "the server refuses access (401/403): check username/password_file, headers or the user_agent"},
        {"rate_limited", "the server asks to slow down: its Retry-After is honoured; a longer interval helps"},
        {"unavailable", "the server is down or overloaded (503): retried with backoff"},
        {"http_4xx", "the server refused the request: check the URL and the feed's headers"},
        {"http_5xx", "the server failed: retried with backoff"},
        {"not_a_feed", "the URL serves something else than a feed: `wirewatch discover URL` lists the feeds a page offers"},
        {"empty", "the server answered with an empty body: retried; check the URL if it persists"},
    }};
    for (const auto& [k, hint] : hints)
        if (k == kind) return hint;
    return {};
}

std::string address_in_use_hint(std::string_view message, std::string_view http_listen,
                                std::string_view websub_listen) {
    if (message.find("in use") == std::string_view::npos) return {};
    const auto names = [&](std::string_view listen) {
        return !listen.empty() && message.find("cannot listen on " + std::string(listen) + ":") != std::string_view::npos;
    };
    std::string_view key;
    if (message.starts_with("publish: cannot bind replay ")) key = "[publish] replay_endpoint";
    else if (message.starts_with("publish: cannot bind ")) key = "[publish] endpoint";
    else if (names(websub_listen)) key = "[websub] listen";
    else if (names(http_listen)) key = "[http] listen";
    else return {};
    return " (another wirewatchd may be running with this address; or change " + std::string(key) +
           " in the config)";
}

}  // namespace ww::app
