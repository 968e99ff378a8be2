#include "app/websub.h"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "core/text.h"
#include "core/time.h"
#include "core/url.h"
#include "fetch/http_client.h"
#include "fetch/http_post.h"
#include "http/server.h"
#include "websub/callback.h"
#include "websub/lease.h"
#include "websub/signature.h"

namespace ww::app {

namespace asio = boost::asio;
using std::chrono::seconds;

namespace {

constexpr std::string_view kCallbackPrefix = "/";
// A push carries a feed's new entries, rarely a whole large feed: a smaller cap than a poll's
// ([fetch] max_body), and a budget for all pushes being read at once, so that a flood of
// large POSTs holds at most kPushBodiesInFlight bytes. A push refused for size is not lost:
// the feed is still polled.
constexpr std::size_t kMaxPushBody = 4u << 20;
constexpr std::size_t kPushBodiesInFlight = 4 * kMaxPushBody;

std::string last_segment(std::string_view path) {
    while (path.ends_with('/')) path.remove_suffix(1);
    return std::string(path.substr(path.rfind('/') + 1));
}

}  // namespace

std::string push_state(const store::Subscription& s, SysSeconds now) {
    if (s.state == "active" && !websub::lease_active(true, s.expires_at, now)) return "expired";
    return s.state;
}

struct Entry {
    Entry(asio::io_context& io, store::Subscription s) : sub(std::move(s)), renew(io) {}
    store::Subscription sub;
    // The feed's name and allow_private_networks, kept for the unsubscription (and its log
    // lines) after a reload removed the feed.
    std::string name;
    bool allow_private = false;
    asio::steady_timer renew;
    bool request_in_flight = false;
};

struct WebSub::Impl {
    Impl(asio::io_context& i, asio::thread_pool& st, store::Store& s, const config::Config& c, WebSubHooks h)
        : io(i), store_thread(st), store(s), cfg(c.websub), user_agent(c.fetch.user_agent),
          allow_private(c.fetch.allow_private_networks), hooks(std::move(h)) {}

    asio::io_context& io;
    asio::thread_pool& store_thread;
    store::Store& store;
    config::WebSubSection cfg;
    std::string user_agent;
    bool allow_private = false;
    WebSubHooks hooks;
    // Hub requests block (a hub may verify before it answers): never on the io thread. A few
    // threads, so that one slow hub does not hold up every other subscription.
    asio::thread_pool hub_thread{4};
    std::optional<http::Server> server;
    std::map<std::int64_t, std::unique_ptr<Entry>> entries;
    std::unordered_map<std::string, std::int64_t> by_callback;
    bool stopped = false;

    std::string name(std::int64_t feed_id) const {
        auto n = hooks.feed_name ? hooks.feed_name(feed_id) : std::string();
        if (n.empty())
            if (const auto it = entries.find(feed_id); it != entries.end()) n = it->second->name;
        return n.empty() ? "#" + std::to_string(feed_id) : n;
    }
    std::string callback_url(const Entry& e) const {
        std::string base = cfg.callback_base;
        while (base.ends_with('/')) base.pop_back();
        return base + "/" + e.sub.callback_id;
    }
    Entry* entry_of_path(std::string_view path) {
        const auto it = by_callback.find(last_segment(path));
        if (it == by_callback.end()) return nullptr;
        const auto e = entries.find(it->second);
        return e == entries.end() ? nullptr : e->second.get();
    }

    Entry& put(store::Subscription s);
    void save(const Entry& e);
    void erase(std::int64_t feed_id);
    void send(Entry& e, std::string mode);
    void on_hub_answer(std::int64_t feed_id, const std::string& callback_id, const std::string& mode,
                       const Result<fetch::PostResponse>& r);
    void arm_renewal(Entry& e);
    http::Response on_verification(const http::Request& request);
    http::Response on_push(const http::Request& request);
    http::Admission screen(const http::Request& head);
    std::size_t max_push_body = kMaxPushBody;  // at most [fetch] max_body
    // Feeds refused a cleartext hub, with that hub: told once, not at every poll.
    std::unordered_map<std::int64_t, std::string> cleartext_refused;
};

// Before a body is read: a push to a callback id we never gave out is refused at once.
http::Admission WebSub::Impl::screen(const http::Request& head) {
    http::Admission a;
    if (head.method != "POST") return a;
    a.max_body_bytes = max_push_body;
    if (!entry_of_path(head.path)) {
        if (hooks.count_push) hooks.count_push("unknown");
        a.refuse = http::Response::text(404, "not found\n");
    }
    return a;
}

Entry& WebSub::Impl::put(store::Subscription s) {
    if (auto old = entries.find(s.feed_id); old != entries.end()) {
        old->second->renew.cancel();
        by_callback.erase(old->second->sub.callback_id);
        entries.erase(old);
    }
    const auto feed_id = s.feed_id;
    by_callback[s.callback_id] = feed_id;
    auto& e = *entries.emplace(feed_id, std::make_unique<Entry>(io, std::move(s))).first->second;
    e.name = hooks.feed_name ? hooks.feed_name(feed_id) : std::string();
    e.allow_private = hooks.allow_private && hooks.allow_private(feed_id);
    return e;
}

void WebSub::Impl::save(const Entry& e) {
    asio::post(store_thread, [this, sub = e.sub] {
        if (auto r = store.save_subscription(sub); !r)
            spdlog::error("store: cannot save websub subscription feed_id={} error=\"{}\"", sub.feed_id,
                          r.error().message);
    });
}

void WebSub::Impl::erase(std::int64_t feed_id) {
    if (auto it = entries.find(feed_id); it != entries.end()) {
        it->second->renew.cancel();
        by_callback.erase(it->second->sub.callback_id);
        entries.erase(it);
    }
    asio::post(store_thread, [this, feed_id] {
        if (auto r = store.delete_subscription(feed_id); !r)
            spdlog::error("store: cannot delete websub subscription feed_id={} error=\"{}\"", feed_id,
                          r.error().message);
    });
}

// One subscription request (WebSub 5.1) on the hub thread; the answer comes back to the loop.
// The hub's verification may arrive before this answer: the state was set before sending.
void WebSub::Impl::send(Entry& e, std::string mode) {
    if (stopped) return;
    e.request_in_flight = true;
    fetch::PostRequest req;
    req.url = e.sub.hub;
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                   {"User-Agent", user_agent.empty() ? fetch::default_user_agent() : user_agent}};
    req.body = websub::subscription_body(mode, e.sub.topic, callback_url(e), e.sub.secret, cfg.lease);
    req.refuse_special_addresses = !(allow_private || e.allow_private);
    spdlog::info("websub: {} feed=\"{}\" hub={} topic={}", mode == "subscribe" ? "subscribing" : "unsubscribing",
                 name(e.sub.feed_id), redact_url(e.sub.hub), redact_url(e.sub.topic));
    asio::post(hub_thread, [this, req = std::move(req), feed_id = e.sub.feed_id, id = e.sub.callback_id,
                            mode = std::move(mode)] {
        auto r = fetch::http_post(req);
        asio::post(io, [this, r = std::move(r), feed_id, id, mode] { on_hub_answer(feed_id, id, mode, r); });
    });
}

void WebSub::Impl::on_hub_answer(std::int64_t feed_id, const std::string& callback_id, const std::string& mode,
                                 const Result<fetch::PostResponse>& r) {
    const auto it = entries.find(feed_id);
    // Replaced or unsubscribed meanwhile: this answer is about a subscription that is gone.
    if (it == entries.end() || it->second->sub.callback_id != callback_id) return;
    Entry& e = *it->second;
    // An answer to a request the subscription has moved past (a subscribe answered after the
    // feed was removed and is being unsubscribed): the newer request decides.
    if ((mode == "unsubscribe") != (e.sub.state == "unsubscribing")) return;
    e.request_in_flight = false;
    std::string error;
    if (!r) error = r.error().message;
    else if (r->status < 200 || r->status >= 300)
        error = "websub: hub answered " + std::to_string(r->status) + ": " + r->body.substr(0, 200);
    if (error.empty()) {
        spdlog::debug("websub: hub accepted feed=\"{}\" mode={} status={}", name(feed_id), mode, r->status);
        return;  // the verification request will follow
    }
    spdlog::error("websub: hub request failed feed=\"{}\" mode={} hub={} error=\"{}\"", name(feed_id), mode,
                  redact_url(e.sub.hub), redact_urls_in(error));
    if (mode == "unsubscribe") return erase(feed_id);  // nothing more to do: the lease will run out
    e.sub.last_error = error;
    e.sub.updated_at = now_seconds();
    const auto now = now_seconds();
    if (websub::lease_active(e.sub.state == "active", e.sub.expires_at, now)) {
        // A failed renewal: push still works until the lease ends; try again half way there.
        e.renew.expires_after(std::max(seconds(1), (*e.sub.expires_at - now) / 2));
        e.renew.async_wait([this, &e](const boost::system::error_code& ec) {
            if (!ec && !stopped) send(e, "subscribe");
        });
    } else {
        e.sub.state = "failed";
    }
    save(e);
}

void WebSub::Impl::arm_renewal(Entry& e) {
    if (!e.sub.expires_at) return;
    const auto now = now_seconds();
    // A row written before leases were clamped may hold any number: clamp before arithmetic.
    const auto lease = websub::clamp_lease(e.sub.lease_seconds);
    const auto verified = *e.sub.expires_at - lease;
    const auto at = websub::renew_at(verified, lease, now);
    e.renew.expires_after(at - now);
    e.renew.async_wait([this, &e](const boost::system::error_code& ec) {
        if (ec || stopped) return;
        spdlog::info("websub: renewing feed=\"{}\" expires={}", name(e.sub.feed_id), format_rfc3339(*e.sub.expires_at));
        send(e, "subscribe");
    });
}

http::Response WebSub::Impl::on_verification(const http::Request& request) {
    Entry* e = entry_of_path(request.path);
    std::optional<websub::Expected> expected;
    if (e)
        expected = websub::Expected{e->sub.topic, e->sub.state == "unsubscribing" ? websub::Intent::unsubscribe
                                                                                  : websub::Intent::subscribe};
    const auto query = parse_query_string(request.query);
    const auto answer = websub::answer_verification(query, expected);
    using Outcome = websub::VerificationAnswer::Outcome;
    const auto feed = e ? name(e->sub.feed_id) : std::string();
    switch (answer.outcome) {
        case Outcome::refused:
            spdlog::warn("websub: refused verification path={} feed=\"{}\" mode={} reason=\"{}\"", request.path, feed,
                         websub::param(query, "hub.mode"), answer.reason);
            break;
        case Outcome::subscribed: {
            const auto now = now_seconds();
            e->sub.state = "active";
            e->sub.lease_seconds = answer.lease.count();
            e->sub.expires_at = now + answer.lease;
            e->sub.last_error.clear();
            e->sub.updated_at = now;
            save(*e);
            arm_renewal(*e);
            spdlog::info("websub: subscribed feed=\"{}\" hub={} lease_s={} expires={}", feed, redact_url(e->sub.hub),
                         answer.lease.count(), format_rfc3339(*e->sub.expires_at));
            break;
        }
        case Outcome::unsubscribed:
            spdlog::info("websub: unsubscribed feed=\"{}\" hub={}", feed, redact_url(e->sub.hub));
            erase(e->sub.feed_id);
            break;
        case Outcome::denied:
            spdlog::warn("websub: denied feed=\"{}\" hub={} reason=\"{}\"", feed, redact_url(e->sub.hub), answer.reason);
            e->sub.state = "denied";
            e->sub.last_error = "websub: hub denied the subscription: " + answer.reason;
            e->sub.updated_at = now_seconds();
            e->renew.cancel();
            save(*e);
            break;
    }
    return http::Response::text(answer.status, answer.body);
}

// A content distribution (WebSub 7): 2xx whatever the signature says (the spec requires it, and
// a hub must not learn which forgeries were noticed), but only a valid one reaches the pipeline.
http::Response WebSub::Impl::on_push(const http::Request& request) {
    const auto count = [this](std::string_view result) {
        if (hooks.count_push) hooks.count_push(result);
    };
    Entry* e = entry_of_path(request.path);
    if (!e) {
        count("unknown");
        return http::Response::text(404, "not found\n");
    }
    auto signature = request.header("x-hub-signature");
    if (signature.empty()) signature = request.header("x-hub-signature-256");
    const auto check = websub::verify_signature(signature, e->sub.secret, request.body);
    if (check != websub::SignatureCheck::ok) {
        spdlog::error("websub: rejected push feed=\"{}\" reason={} bytes={}", name(e->sub.feed_id),
                      websub::to_string(check), request.body.size());
        count("rejected");
        return http::Response::text(202, "accepted\n");
    }
    if (hooks.on_push && !hooks.on_push(e->sub.feed_id, request.body, std::string(request.header("content-type")))) {
        // Every body in memory is accounted for (polls and pushes alike): a hub retries a 503.
        spdlog::warn("websub: push deferred, busy feed=\"{}\" bytes={}", name(e->sub.feed_id), request.body.size());
        auto busy = http::Response::text(503, "busy\n");
        busy.headers.emplace_back("Retry-After", "30");
        count("busy");
        return busy;
    }
    spdlog::info("websub: push feed=\"{}\" bytes={}", name(e->sub.feed_id), request.body.size());
    count("ok");
    return http::Response::text(202, "accepted\n");
}

Result<std::unique_ptr<WebSub>> WebSub::start(asio::io_context& io, asio::thread_pool& store_thread,
                                              store::Store& store, const config::Config& config,
                                              const std::vector<std::int64_t>& configured_feed_ids,
                                              WebSubHooks hooks) {
    if (config.websub.callback_base.empty()) return std::unique_ptr<WebSub>();
    auto stored = store.subscriptions();
    if (!stored) return std::unexpected(stored.error());
    auto impl = std::make_unique<Impl>(io, store_thread, store, config, std::move(hooks));
    http::Router router;
    router.add_prefix("GET", std::string(kCallbackPrefix), [p = impl.get()](const http::Request& r) {
        return p->on_verification(r);
    });
    router.add_prefix("POST", std::string(kCallbackPrefix), [p = impl.get()](const http::Request& r) {
        return p->on_push(r);
    });
    http::Limits limits;
    // The parser's limit is a poll's, so that a push to an unknown callback is told 404 whatever
    // it announces; screen() gives known callbacks the smaller push cap.
    limits.max_body_bytes = config.fetch.max_body;
    limits.max_body_in_flight = kPushBodiesInFlight;
    // No Host check here: hubs reach this listener through a reverse proxy under any name, and
    // it serves nothing a rebinding page could read (docs/robustness.md).
    auto server = http::Server::start(
        io, {.listen = config.websub.listen, .limits = limits,
             .on_error = [](std::string_view m) { spdlog::warn("websub: {}", m); },
             .screen = [p = impl.get()](const http::Request& head) { return p->screen(head); }},
        std::move(router));
    if (!server) return std::unexpected(Error{server.error().kind, "websub: " + server.error().message});
    impl->server.emplace(std::move(*server));
    impl->max_push_body = std::min(kMaxPushBody, config.fetch.max_body);
    std::unique_ptr<WebSub> self(new WebSub(std::move(impl)));
    auto& p = *self->impl_;
    for (auto& s : *stored) {
        const bool configured = std::ranges::find(configured_feed_ids, s.feed_id) != configured_feed_ids.end();
        Entry& e = p.put(std::move(s));
        if (!configured) {
            // The feed left the config while the daemon was down.
            e.sub.state = "unsubscribing";
            p.send(e, "unsubscribe");
        } else if (e.sub.state == "unsubscribing") {
            p.send(e, "unsubscribe");
        } else if (e.sub.state == "subscribing") {
            p.send(e, "subscribe");  // the verification may have come while we were down
        } else if (e.sub.state == "active") {
            p.arm_renewal(e);  // at once when the renewal time passed while we were down
        }
    }
    spdlog::info("websub: listening address={} callback_base={} subscriptions={}", self->address(),
                 config.websub.callback_base, p.entries.size());
    return self;
}

WebSub::WebSub(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebSub::~WebSub() {
    stop();
    impl_->hub_thread.join();
}

void WebSub::discovered(std::int64_t feed_id, const websub::Discovery& found) {
    auto& p = *impl_;
    if (p.stopped) return;
    const auto now = now_seconds();
    std::optional<websub::Held> held;
    if (const auto it = p.entries.find(feed_id); it != p.entries.end()) {
        const auto& s = it->second->sub;
        held = websub::Held{s.hub, s.topic, s.state, s.expires_at, s.updated_at, it->second->request_in_flight};
    }
    if (!websub::should_subscribe(held, found, now)) return;
    const bool cleartext_ok = p.hooks.allow_insecure_secret && p.hooks.allow_insecure_secret(feed_id);
    auto hub = websub::hub_for_secret(found.hubs, cleartext_ok);
    if (!hub) {
        // hub.secret signs every push: sent in clear, anyone on the path could forge pushes.
        if (std::exchange(p.cleartext_refused[feed_id], found.hubs.front()) != found.hubs.front())
            spdlog::error("websub: not subscribing, the hub is not https feed=\"{}\" hub={} "
                          "fix=\"an https hub, or websub_allow_insecure_secret = true for this feed\"",
                          p.name(feed_id), found.hubs.front());
        return;
    }
    p.cleartext_refused.erase(feed_id);
    auto callback_id = websub::random_hex(16);
    auto secret = websub::random_hex(32);
    if (!callback_id || !secret) {
        spdlog::error("websub: cannot subscribe feed=\"{}\" error=\"{}\"", p.name(feed_id),
                      (!callback_id ? callback_id : secret).error().message);
        return;
    }
    store::Subscription s;
    s.feed_id = feed_id;
    s.topic = found.topic;
    s.hub = std::move(*hub);
    s.callback_id = std::move(*callback_id);
    s.secret = std::move(*secret);
    s.state = "subscribing";
    s.updated_at = now;
    Entry& e = p.put(std::move(s));
    p.save(e);
    p.send(e, "subscribe");
}

void WebSub::forget(std::int64_t feed_id) {
    auto& p = *impl_;
    const auto it = p.entries.find(feed_id);
    if (it == p.entries.end() || p.stopped) return;
    Entry& e = *it->second;
    e.renew.cancel();
    if (e.sub.state != "active" && e.sub.state != "subscribing") return p.erase(feed_id);
    e.sub.state = "unsubscribing";
    e.sub.updated_at = now_seconds();
    p.save(e);
    p.send(e, "unsubscribe");
}

bool WebSub::push_active(std::int64_t feed_id) const {
    const auto it = impl_->entries.find(feed_id);
    return it != impl_->entries.end() &&
           websub::lease_active(it->second->sub.state == "active", it->second->sub.expires_at, now_seconds());
}

void WebSub::stop() {
    auto& p = *impl_;
    if (p.stopped) return;
    p.stopped = true;
    if (p.server) p.server->stop();
    for (auto& [id, e] : p.entries) e->renew.cancel();
}

std::vector<store::Subscription> WebSub::subscriptions() const {
    std::vector<store::Subscription> out;
    for (const auto& [id, e] : impl_->entries) out.push_back(e->sub);
    return out;
}

std::string WebSub::address() const { return impl_->server ? impl_->server->address() : std::string(); }

}  // namespace ww::app
