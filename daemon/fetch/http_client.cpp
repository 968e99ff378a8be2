#include "fetch/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <deque>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/url.h"
#include "fetch/address_guard.h"
#include "fetch/curl_handles.h"
#include "fetch/error_kind.h"
#include "fetch/origin.h"

namespace ww::fetch {
namespace asio = boost::asio;

namespace {

// Feed types first; generic XML and JSON still welcome because many servers label feeds so.
constexpr const char* kAcceptHeader =
    "Accept: application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, "
    "application/json;q=0.8, */*;q=0.5";

// A response whose headers alone exceed this is hostile, not a feed.
constexpr std::size_t kMaxHeaderBytes = 256 * 1024;

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != s.npos; }

// The scheme of an absolute URL, lower-cased; "" for a relative reference.
std::string scheme_of(std::string_view url) {
    const auto colon = url.find(':');
    if (colon == url.npos || colon == 0 || url.find_first_of("/?#") < colon) return {};
    for (char c : url.substr(0, colon))
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
            return {};
    return lower(url.substr(0, colon));
}

bool is_http_url(std::string_view url) {
    const auto l = lower(url.substr(0, 8));
    return l.starts_with("http://") || l.starts_with("https://");
}

// The host part of an http(s) URL, lower-cased, as the per-host limit's key.
std::string host_of(const std::string& url) {
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), &curl_url_cleanup);
    char* host = nullptr;
    if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK ||
        curl_url_get(u.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK)
        return {};
    std::string out = lower(host);
    curl_free(host);
    return out;
}

}  // namespace

std::string default_user_agent() { return "wirewatch/" WW_VERSION " (+" WW_PROJECT_URL ")"; }

std::string Response::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (k.size() == name.size() && lower(name) == k) return v;
    return {};
}

// One request, from the queue to its callback. Its address is curl's PRIVATE pointer and the
// userdata of every per-transfer callback, so a Transfer never moves once started.
struct Transfer {
    Request request;
    HttpClient::Callback done;
    std::string host;
    EasyHandle easy;
    HeaderList header_list;
    std::string body;
    Headers headers;            // of the latest response in the redirect chain
    std::vector<long> statuses;  // every final (non-1xx) status line of the chain
    std::size_t header_bytes = 0;
    std::size_t max_body = 0;
    bool too_large = false;
    bool check_addresses = true;
    const std::vector<Network>* allowed = nullptr;
    std::string blocked;  // why the address guard refused a connection
    char error[CURL_ERROR_SIZE] = {};
    // curl drops only Authorization and Cookie when a redirect changes host; the feed's own
    // headers (X-Api-Key...) would follow. So a redirect to another scheme, host or port stops
    // the transfer (restart_url) and it starts again there without them (origin_left).
    std::string hop_url;      // where this attempt goes; "" = request.url
    std::string restart_url;  // set by on_header: follow this without the feed's headers
    bool origin_left = false;
};

namespace {

// Statuses curl follows (CURLOPT_FOLLOWLOCATION): only these lead to another request.
bool is_followed_redirect(long status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// True when the redirect to `location` would carry the feed's headers or basic auth to
// another origin; the resolved target is then kept in t.restart_url.
bool leaves_origin_with_secrets(Transfer& t, const std::string& location) {
    if (t.origin_left || (t.request.headers.empty() && t.request.basic_auth.empty())) return false;
    char* current = nullptr;
    curl_easy_getinfo(t.easy.get(), CURLINFO_EFFECTIVE_URL, &current);
    const std::string from = current ? current : t.request.url;
    std::string target = resolve_location(from, location);
    if (target.empty() || same_origin(t.request.url, target)) return false;
    t.restart_url = std::move(target);
    return true;
}

}  // namespace

// A socket curl asked us to watch. The descriptor belongs to curl: the stream_descriptor only
// registers it with the reactor and is released, never closed, before curl closes the fd.
struct SocketWatch {
    SocketWatch(asio::io_context& io, curl_socket_t s) : descriptor(io, s), fd(s) {}
    ~SocketWatch() { release(); }
    SocketWatch(const SocketWatch&) = delete;
    SocketWatch& operator=(const SocketWatch&) = delete;

    // Cancels pending waits (their handlers see `released`) and gives the fd back to curl.
    void release() {
        if (released) return;
        released = true;
        boost::system::error_code ignored;
        descriptor.cancel(ignored);
        descriptor.release();
    }

    asio::posix::stream_descriptor descriptor;
    curl_socket_t fd;
    int wanted = 0;  // CURL_POLL_IN / OUT / INOUT
    bool reading = false;
    bool writing = false;
    bool released = false;
};

struct HttpClient::Impl {
    Impl(asio::io_context& io, ClientOptions opts);
    ~Impl();

    void enqueue(Request request, Callback done);
    void cancel_all();

    // Scheduling of queued requests under max_in_flight and per_host.
    void pump();
    void start(std::unique_ptr<Transfer> t);
    Result<void> configure(Transfer& t);
    void release_host(const std::string& host);

    // The curl <-> Asio bridge (curl's docs/examples/multi-uv.c, with Asio watchers).
    static int on_socket(CURL* easy, curl_socket_t s, int what, void* userp, void* socketp);
    static int on_timer(CURLM* multi, long timeout_ms, void* userp);
    static curl_socket_t on_open_socket(void* clientp, curlsocktype purpose,
                                        curl_sockaddr* address);
    static int on_close_socket(void* clientp, curl_socket_t s);
    static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* userp);
    static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* userp);
    void watch(curl_socket_t s, int what);
    void forget(curl_socket_t s);
    void arm(const std::shared_ptr<SocketWatch>& w);
    void on_ready(const std::weak_ptr<SocketWatch>& weak, boost::system::error_code ec,
                  int direction);
    void arm_timer(std::chrono::steady_clock::time_point due);
    void on_timeout();
    void collect_finished();
    void finish(std::unique_ptr<Transfer> t, CURLcode code);
    void follow_without_secrets(std::unique_ptr<Transfer> t);
    void complete(Callback done, Result<Response> result);

    asio::io_context& io_;
    ClientOptions options_;
    std::vector<Network> allowed_networks_;
    MultiHandle multi_;
    asio::steady_timer timer_;
    std::optional<std::chrono::steady_clock::time_point> timer_due_;  // of the pending wait
    std::unordered_map<curl_socket_t, std::shared_ptr<SocketWatch>> watches_;
    std::unordered_map<CURL*, std::unique_ptr<Transfer>> active_;
    std::unordered_map<std::string, std::deque<std::unique_ptr<Transfer>>> waiting_;
    std::unordered_map<std::string, std::size_t> per_host_;
    // Hosts that may have a startable request, in round-robin order.
    std::deque<std::string> runnable_;
    std::unordered_set<std::string> in_runnable_;
    std::size_t queued_ = 0;
    // Handlers that may outlive the client check this token before touching `this`.
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

HttpClient::Impl::Impl(asio::io_context& io, ClientOptions opts)
    : io_(io), options_(std::move(opts)), multi_(make_multi()), timer_(io) {
    if (!multi_) throw std::runtime_error("fetch: curl_multi_init failed");
    for (const auto& text : options_.allowed_networks) {
        auto net = parse_network(text);
        if (!net) throw std::invalid_argument(net.error().message);
        allowed_networks_.push_back(*net);
    }
    if (options_.max_in_flight == 0) options_.max_in_flight = 1;
    if (options_.per_host == 0) options_.per_host = 1;
    CURLM* m = multi_.get();
    curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, &Impl::on_socket);
    curl_multi_setopt(m, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, &Impl::on_timer);
    curl_multi_setopt(m, CURLMOPT_TIMERDATA, this);
    curl_multi_setopt(m, CURLMOPT_PIPELINING, long{CURLPIPE_MULTIPLEX});
    // Our own queue enforces the limits (curl's pending queue would count the wait against
    // the transfer's timeout); these only bound the connection pool as a second line.
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(options_.per_host));
    curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                      static_cast<long>(options_.max_in_flight));
    curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.max_in_flight * 2));
}

HttpClient::Impl::~Impl() {
    for (auto& [easy, t] : active_) curl_multi_remove_handle(multi_.get(), easy);
    active_.clear();
    // Watches go before the multi handle: its cleanup closes pooled connections through
    // on_close_socket, which must find no reactor registration left for those fds.
    for (auto& [fd, w] : watches_) w->release();
    watches_.clear();
    multi_.reset();
    timer_.cancel();
    timer_due_.reset();
}

void HttpClient::Impl::complete(Callback done, Result<Response> result) {
    // Callbacks always run from the loop, never inside get() or a curl callback, so a caller
    // may start or cancel requests from its callback.
    asio::post(io_, [done = std::move(done), result = std::move(result)]() mutable {
        done(std::move(result));
    });
}

void HttpClient::Impl::enqueue(Request request, Callback done) {
    if (!is_http_url(request.url)) {
        complete(std::move(done), fail("blocked", "fetch: only http and https URLs are fetched "
                                                  "feed=" + redact_url(request.url)));
        return;
    }
    auto t = std::make_unique<Transfer>();
    t->host = host_of(request.url);
    if (t->host.empty()) {
        complete(std::move(done), fail("protocol", "fetch: malformed URL feed=" + redact_url(request.url)));
        return;
    }
    t->request = std::move(request);
    t->done = std::move(done);
    const auto host = t->host;
    waiting_[host].push_back(std::move(t));
    ++queued_;
    if (in_runnable_.insert(host).second) runnable_.push_back(host);
    pump();
}

void HttpClient::Impl::pump() {
    while (active_.size() < options_.max_in_flight && !runnable_.empty()) {
        const std::string host = std::move(runnable_.front());
        runnable_.pop_front();
        in_runnable_.erase(host);
        auto it = waiting_.find(host);
        if (it == waiting_.end()) continue;
        auto& count = per_host_[host];
        if (count >= options_.per_host) continue;  // release_host re-queues the host
        auto t = std::move(it->second.front());
        it->second.pop_front();
        --queued_;
        if (it->second.empty()) {
            waiting_.erase(it);
        } else if (count + 1 < options_.per_host) {
            in_runnable_.insert(host);
            runnable_.push_back(host);
        }
        ++count;
        start(std::move(t));
    }
}

void HttpClient::Impl::release_host(const std::string& host) {
    auto it = per_host_.find(host);
    if (it != per_host_.end() && --it->second == 0) per_host_.erase(it);
    if (waiting_.contains(host) && in_runnable_.insert(host).second) runnable_.push_back(host);
}

void HttpClient::Impl::start(std::unique_ptr<Transfer> t) {
    t->easy = make_easy();
    Result<void> ready = t->easy ? configure(*t)
                                 : fail("protocol", "fetch: curl_easy_init failed feed=" +
                                                        redact_url(t->request.url));
    CURL* easy = t->easy.get();
    if (ready && curl_multi_add_handle(multi_.get(), easy) != CURLM_OK)
        ready = fail("protocol", "fetch: curl_multi_add_handle failed feed=" + redact_url(t->request.url));
    if (!ready) {
        release_host(t->host);
        complete(std::move(t->done), std::unexpected(ready.error()));
        return;
    }
    active_.emplace(easy, std::move(t));
}

Result<void> HttpClient::Impl::configure(Transfer& t) {
    const Request& r = t.request;
    CURL* e = t.easy.get();
    const auto ms = [](std::chrono::seconds s) {
        return static_cast<long>(std::chrono::milliseconds(s).count());
    };
    t.max_body = options_.max_body;
    t.allowed = &allowed_networks_;
    const bool allow_private = options_.allow_private_networks || r.allow_private_networks;
    const std::string& proxy = r.proxy.empty() ? options_.proxy : r.proxy;
    // Through a proxy the only address we see is the proxy's, which the operator chose.
    t.check_addresses = !allow_private && proxy.empty();

    static const Headers none;
    std::vector<std::string> lines;
    bool has_accept = false;
    t.header_list = HeaderList{};  // a restarted transfer builds its list again
    for (const auto& [name, value] : t.origin_left ? none : r.headers) {
        if (name.empty() || has_line_break(name) || has_line_break(value) ||
            name.find(':') != std::string::npos)
            return fail("protocol", "fetch: invalid request header '" + name + "' feed=" + redact_url(r.url));
        has_accept = has_accept || lower(name) == "accept";
        lines.push_back(name + ": " + value);
    }
    if (!has_accept) lines.emplace_back(kAcceptHeader);
    if (!r.etag.empty() && !has_line_break(r.etag)) lines.push_back("If-None-Match: " + r.etag);
    if (!r.last_modified.empty() && !has_line_break(r.last_modified))
        lines.push_back("If-Modified-Since: " + r.last_modified);
    for (const auto& line : lines)
        if (!t.header_list.append(line.c_str()))
            return fail("protocol", "fetch: out of memory building headers feed=" + redact_url(r.url));

    const std::string& agent = !r.user_agent.empty()         ? r.user_agent
                               : !options_.user_agent.empty() ? options_.user_agent
                                                              : default_user_agent();
    curl_easy_setopt(e, CURLOPT_URL, (t.hop_url.empty() ? r.url : t.hop_url).c_str());
    curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    // The budget is for the whole chain, across a restart at an origin change.
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L - static_cast<long>(t.statuses.size()));
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // every decoder curl was built with
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, long{CURL_HTTP_VERSION_2TLS});
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, ms(options_.connect_timeout));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, ms(options_.timeout));
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(options_.low_speed_limit));
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.low_speed_time.count()));
    // Refuses a declared Content-Length above the cap before reading any of it.
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_body));
    curl_easy_setopt(e, CURLOPT_USERAGENT, agent.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.header_list.get());
    // Always set, so that an http_proxy variable in the daemon's environment is not used.
    curl_easy_setopt(e, CURLOPT_PROXY, proxy.c_str());
    curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    if (!options_.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (!r.basic_auth.empty() && !t.origin_left) {
        curl_easy_setopt(e, CURLOPT_HTTPAUTH, long{CURLAUTH_BASIC});
        curl_easy_setopt(e, CURLOPT_USERPWD, r.basic_auth.c_str());
    }
    if (r.allow_private_networks && !options_.allow_private_networks) {
        // A connection this request opened to a private address must not be reused by a
        // feed that is not allowed there.
        curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
    }
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Impl::on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Impl::on_open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &t);
    // The pool may close this connection long after the transfer: the client is the data.
    curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, &Impl::on_close_socket);
    curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, this);
    return {};
}

std::size_t HttpClient::Impl::on_header(char* data, std::size_t size, std::size_t n,
                                        void* userp) {
    auto* t = static_cast<Transfer*>(userp);
    const std::size_t len = size * n;
    t->header_bytes += len;
    if (t->header_bytes > kMaxHeaderBytes) {
        t->too_large = true;
        return 0;
    }
    const std::string_view line(data, len);
    if (line.starts_with("HTTP/")) {
        // A new response of the chain starts: keep only the final response's headers.
        const auto space = line.find(' ');
        const long status = space == line.npos ? 0 : std::atol(line.data() + space + 1);
        if (status >= 200) t->statuses.push_back(status);
        t->headers.clear();
        return len;
    }
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
        if (!t->headers.empty()) t->headers.back().second += " " + std::string(trim(line));
        return len;
    }
    const auto colon = line.find(':');
    if (colon == line.npos) return len;
    auto name = lower(trim(line.substr(0, colon)));
    auto value = std::string(trim(line.substr(colon + 1)));
    if (name == "location" && !t->statuses.empty() && t->statuses.back() >= 300 &&
        t->statuses.back() < 400) {
        // curl refuses other schemes through REDIR_PROTOCOLS; we name the refusal "blocked".
        const auto scheme = scheme_of(value);
        if (!scheme.empty() && scheme != "http" && scheme != "https")
            t->blocked = "fetch: refused redirect to a " + scheme + " URL feed=" + redact_url(t->request.url);
        else if (is_followed_redirect(t->statuses.back()) && leaves_origin_with_secrets(*t, value))
            return 0;  // finish() follows it without the feed's headers
    }
    t->headers.emplace_back(std::move(name), std::move(value));
    return len;
}

std::size_t HttpClient::Impl::on_body(char* data, std::size_t size, std::size_t n, void* userp) {
    auto* t = static_cast<Transfer*>(userp);
    const std::size_t len = size * n;
    // curl hands us decoded bytes, so this caps the decompressed size: a gzip bomb stops here
    // after max_body bytes of output, whatever its compressed size.
    if (t->body.size() + len > t->max_body) {
        t->too_large = true;
        return 0;
    }
    if (t->body.empty()) {
        // One allocation for a body of declared length (capped: the header may lie).
        curl_off_t declared = -1;
        curl_easy_getinfo(t->easy.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &declared);
        if (declared > 0)
            t->body.reserve(std::min(static_cast<std::size_t>(declared), t->max_body));
    }
    t->body.append(data, len);
    return len;
}

curl_socket_t HttpClient::Impl::on_open_socket(void* clientp, curlsocktype purpose,
                                               curl_sockaddr* address) {
    auto* t = static_cast<Transfer*>(clientp);
    if (purpose == CURLSOCKTYPE_IPCXN && t->check_addresses) {
        const auto ip = ip_of_sockaddr(address->family, &address->addr);
        if (!ip || !address_allowed(*ip, *t->allowed)) {
            const auto range = ip ? special_range_of(*ip) : std::nullopt;
            t->blocked = "fetch: refused to connect to " + (ip ? format_ip(*ip) : "a non-IP address") +
                         " (" + std::string(range.value_or("not inet")) +
                         " network; allow_private_networks is off) feed=" + redact_url(t->request.url);
            return CURL_SOCKET_BAD;
        }
    }
    return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

int HttpClient::Impl::on_close_socket(void* clientp, curl_socket_t s) {
    // Deregister before the fd number can be reused by a new socket.
    static_cast<Impl*>(clientp)->forget(s);
    return ::close(s);
}

int HttpClient::Impl::on_socket(CURL*, curl_socket_t s, int what, void* userp, void*) {
    auto* self = static_cast<Impl*>(userp);
    if (what == CURL_POLL_REMOVE) {
        self->forget(s);
    } else {
        try {
            self->watch(s, what);
        } catch (const boost::system::system_error&) {
            return -1;  // the reactor refused the fd: curl fails the transfer
        }
    }
    return 0;
}

void HttpClient::Impl::watch(curl_socket_t s, int what) {
    auto& w = watches_[s];
    if (!w) w = std::make_shared<SocketWatch>(io_, s);
    w->wanted = what;
    arm(w);
}

void HttpClient::Impl::forget(curl_socket_t s) {
    auto it = watches_.find(s);
    if (it == watches_.end()) return;
    it->second->release();
    watches_.erase(it);
}

void HttpClient::Impl::arm(const std::shared_ptr<SocketWatch>& w) {
    using Wait = asio::posix::stream_descriptor::wait_type;
    // The handlers hold the watch weakly: a forgotten watch (fd handed back to curl) or a
    // destroyed client makes them return without touching anything.
    const std::weak_ptr<SocketWatch> weak = w;
    if ((w->wanted & CURL_POLL_IN) && !w->reading) {
        w->reading = true;
        w->descriptor.async_wait(Wait::wait_read, [this, weak](boost::system::error_code ec) {
            on_ready(weak, ec, CURL_CSELECT_IN);
        });
    }
    if ((w->wanted & CURL_POLL_OUT) && !w->writing) {
        w->writing = true;
        w->descriptor.async_wait(Wait::wait_write, [this, weak](boost::system::error_code ec) {
            on_ready(weak, ec, CURL_CSELECT_OUT);
        });
    }
}

void HttpClient::Impl::on_ready(const std::weak_ptr<SocketWatch>& weak,
                                boost::system::error_code ec, int direction) {
    auto w = weak.lock();
    if (!w) return;
    (direction == CURL_CSELECT_IN ? w->reading : w->writing) = false;
    if (w->released || ec == asio::error::operation_aborted) return;
    const int wanted_bit = direction == CURL_CSELECT_IN ? CURL_POLL_IN : CURL_POLL_OUT;
    if (!ec && !(w->wanted & wanted_bit)) return;  // a wait curl no longer asks for
    int running = 0;
    curl_multi_socket_action(multi_.get(), w->fd, ec ? CURL_CSELECT_ERR : direction, &running);
    collect_finished();
    // Asio re-arms epoll on every wait, so data curl left unread fires the next wait at once.
    if (!w->released) arm(w);
}

int HttpClient::Impl::on_timer(CURLM*, long timeout_ms, void* userp) {
    auto* self = static_cast<Impl*>(userp);
    if (timeout_ms < 0) {
        self->timer_.cancel();
        self->timer_due_.reset();
        return 0;
    }
    const auto due = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    // A pending wait that fires no later than curl needs is kept: on_timeout asks curl for
    // its next timeout itself, so waking early costs one spurious socket_action, while moving
    // the timer costs a timerfd_settime on nearly every transfer state change.
    if (self->timer_due_ && *self->timer_due_ <= due) return 0;
    // Even a 0 ms timeout goes through the loop: curl forbids socket_action from inside this
    // callback.
    self->arm_timer(due);
    return 0;
}

void HttpClient::Impl::arm_timer(std::chrono::steady_clock::time_point due) {
    timer_due_ = due;
    timer_.expires_at(due);
    timer_.async_wait([this, alive = std::weak_ptr<char>(alive_)](boost::system::error_code ec) {
        if (alive.expired() || ec) return;
        timer_due_.reset();
        on_timeout();
    });
}

void HttpClient::Impl::on_timeout() {
    int running = 0;
    curl_multi_socket_action(multi_.get(), CURL_SOCKET_TIMEOUT, 0, &running);
    collect_finished();
    // curl calls on_timer only when its earliest deadline changes; after an early wake-up it
    // has not changed, so the next wait is armed from curl's own answer.
    if (!timer_due_) {
        long ms = -1;
        curl_multi_timeout(multi_.get(), &ms);
        if (ms >= 0) arm_timer(std::chrono::steady_clock::now() + std::chrono::milliseconds(ms));
    }
}

void HttpClient::Impl::collect_finished() {
    std::vector<std::pair<std::unique_ptr<Transfer>, CURLcode>> finished;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_.get(), &left)) {
        if (msg->msg != CURLMSG_DONE) continue;
        auto it = active_.find(msg->easy_handle);
        if (it == active_.end()) continue;
        const CURLcode code = msg->data.result;  // msg dies with remove_handle
        auto t = std::move(it->second);
        active_.erase(it);
        curl_multi_remove_handle(multi_.get(), t->easy.get());
        release_host(t->host);
        finished.emplace_back(std::move(t), code);
    }
    pump();
    for (auto& [t, code] : finished) finish(std::move(t), code);
}

void HttpClient::Impl::follow_without_secrets(std::unique_ptr<Transfer> t) {
    t->hop_url = std::exchange(t->restart_url, {});
    t->origin_left = true;
    t->error[0] = '\0';
    t->host = host_of(t->hop_url);
    ++per_host_[t->host];  // start() gives it back on failure, collect_finished() at the end
    start(std::move(t));
}

void HttpClient::Impl::finish(std::unique_ptr<Transfer> t, CURLcode code) {
    CURL* e = t->easy.get();
    if (code != CURLE_OK && !t->restart_url.empty() && t->blocked.empty() && !t->too_large)
        return follow_without_secrets(std::move(t));
    if (code != CURLE_OK) {
        TransferFacts facts{static_cast<int>(code), !t->blocked.empty(), t->too_large};
        const auto kind = error_kind_of(facts);
        std::string message;
        if (facts.blocked) {
            message = t->blocked;
        } else if (kind == "too_large") {
            message = "fetch: response larger than " + std::to_string(t->max_body) +
                      " bytes (decoded) feed=" + redact_url(t->request.url);
        } else {
            // curl's own text may quote a URL (a malformed redirect target): redacted too.
            message = "fetch: " + redact_urls_in(t->error[0] ? t->error : curl_easy_strerror(code)) +
                      " feed=" + redact_url(t->request.url);
        }
        complete(std::move(t->done), fail(std::string(kind), std::move(message)));
        return;
    }
    Response r;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r.status);
    char* effective = nullptr;
    curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &effective);
    r.effective_url = effective ? effective : t->request.url;
    long version = 0;
    curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &version);
    r.http_version = version == CURL_HTTP_VERSION_1_0   ? "1.0"
                     : version == CURL_HTTP_VERSION_1_1 ? "1.1"
                     : version == CURL_HTTP_VERSION_2_0 ? "2"
                     : version == CURL_HTTP_VERSION_3   ? "3"
                                                        : "";
    curl_off_t micros = 0;
    curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &micros);
    r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::microseconds(micros));
    // Only a chain made entirely of permanent redirects moves the feed.
    const auto& s = t->statuses;
    if (s.size() > 1 &&
        std::all_of(s.begin(), s.end() - 1, [](long c) { return c == 301 || c == 308; }))
        r.permanent_url = r.effective_url;
    r.body = std::move(t->body);
    r.headers = std::move(t->headers);
    complete(std::move(t->done), std::move(r));
}

void HttpClient::Impl::cancel_all() {
    std::vector<std::unique_ptr<Transfer>> cancelled;
    for (auto& [easy, t] : active_) {
        curl_multi_remove_handle(multi_.get(), easy);
        cancelled.push_back(std::move(t));
    }
    active_.clear();
    for (auto& [host, queue] : waiting_)
        for (auto& t : queue) cancelled.push_back(std::move(t));
    waiting_.clear();
    runnable_.clear();
    in_runnable_.clear();
    per_host_.clear();
    queued_ = 0;
    for (auto& t : cancelled)
        complete(std::move(t->done),
                 fail("cancelled", "fetch: transfer cancelled feed=" + redact_url(t->request.url)));
}

HttpClient::HttpClient(asio::io_context& io, ClientOptions options)
    : impl_(std::make_unique<Impl>(io, std::move(options))) {}
HttpClient::~HttpClient() = default;

void HttpClient::get(Request request, Callback done) {
    impl_->enqueue(std::move(request), std::move(done));
}
void HttpClient::cancel_all() { impl_->cancel_all(); }
std::size_t HttpClient::in_flight() const { return impl_->active_.size(); }
std::size_t HttpClient::queued() const { return impl_->queued_; }

}  // namespace ww::fetch
