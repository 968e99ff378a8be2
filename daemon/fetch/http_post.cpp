#include "fetch/http_post.h"

#include <curl/curl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <mutex>

#include "fetch/address_guard.h"

namespace ww::fetch {

namespace {

struct EasyDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

struct Sink {
    PostResponse* response;
    std::size_t limit;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* s = static_cast<Sink*>(user);
    const std::size_t bytes = size * n;
    const std::size_t room = s->limit > s->response->body.size() ? s->limit - s->response->body.size() : 0;
    s->response->body.append(data, std::min(bytes, room));
    return bytes;  // keep reading past the limit so that the connection ends cleanly
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* s = static_cast<Sink*>(user);
    std::string_view line(data, size * n);
    if (line.starts_with("HTTP/")) s->response->headers.clear();  // a new response (after 100 or a redirect)
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        auto value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
            value.remove_suffix(1);
        s->response->headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    return size * n;
}

struct Guard {
    std::string refused;  // the address refused, "" when none
};

// Applies the SSRF guard to the address curl is about to connect to (after DNS).
curl_socket_t open_guarded(void* clientp, curlsocktype purpose, curl_sockaddr* address) {
    auto* guard = static_cast<Guard*>(clientp);
    if (purpose == CURLSOCKTYPE_IPCXN) {
        const auto ip = ip_of_sockaddr(address->family, &address->addr);
        if (!ip || !address_allowed(*ip, {})) {
            guard->refused = ip ? format_ip(*ip) + " (" + std::string(special_range_of(*ip).value_or("?")) + ")"
                                : "a non-IP address";
            return CURL_SOCKET_BAD;
        }
    }
    return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

}  // namespace

Result<PostResponse> http_post(const PostRequest& req) {
    static std::once_flag init;
    std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    Easy easy(curl_easy_init());
    if (!easy) return fail("transport", "fetch: cannot create a curl handle");
    PostResponse response;
    Sink sink{&response, req.max_response};
    Slist headers;
    for (const auto& [k, v] : req.headers) {
        const std::string line = k + ": " + v;
        curl_slist* next = curl_slist_append(headers.get(), line.c_str());
        if (!next) return fail("transport", "fetch: out of memory building headers");
        headers.release();
        headers.reset(next);
    }
    CURL* h = easy.get();
    curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(req.body.size()));
    if (req.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, long(req.timeout.count()));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, long(req.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    // A webhook answering with a redirect is misconfigured; following it could leak the body.
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    Guard guard;
    if (req.refuse_special_addresses) {
        curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, &open_guarded);
        curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &guard);
    }
    const CURLcode rc = curl_easy_perform(h);
    if (!guard.refused.empty())
        return fail("blocked", "fetch: refused to connect to " + guard.refused +
                                   ": a special-purpose address (allow_private_networks is off)");
    if (rc != CURLE_OK)
        return fail(rc == CURLE_OPERATION_TIMEDOUT ? "timeout" : "transport",
                    std::string("fetch: ") + req.method + " failed: " + curl_easy_strerror(rc));
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

}  // namespace ww::fetch
