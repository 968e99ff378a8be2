#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace ww::fetch {

// A small blocking HTTP request for sink plugins (chat webhooks): one curl easy handle per call,
// run on the calling sink's own thread, so it never touches the fetch loop.
struct PostRequest {
    std::string method = "POST";  // or "PUT" (Matrix sends with PUT)
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{10'000};          // whole request
    std::chrono::milliseconds connect_timeout{5'000};
    std::size_t max_response = 1u << 20;  // longer bodies are cut: only error details are read
    // The SSRF guard of feed fetches (fetch/address_guard.h) for URLs that come from untrusted
    // documents (a WebSub hub named by a feed): loopback, private and other special addresses
    // are refused after DNS, with kind "blocked".
    bool refuse_special_addresses = false;
};

struct PostResponse {
    long status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // names as received
    std::string body;
};

// Any HTTP status is a response; only transport failures (DNS, connect, TLS, timeout) are
// errors, with kind "timeout", "transport" or "blocked". Messages never contain the URL, which may hold a
// token.
Result<PostResponse> http_post(const PostRequest& request);

}  // namespace ww::fetch
