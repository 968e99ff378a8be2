#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/error.h"
#include "store/store.h"
#include "websub/link_header.h"

namespace boost::asio {
class io_context;
class thread_pool;
}  // namespace boost::asio

namespace ww::app {

// What the WebSub subscriber asks of the daemon. Both run on the io thread.
struct WebSubHooks {
    // A push whose signature checked out: the daemon feeds it into the pipeline, or returns
    // false when it is too busy to hold another body (the hub is asked to retry later).
    std::function<bool(std::int64_t feed_id, std::string body, std::string content_type)> on_push;
    // The configured name of a feed, for log lines ("" when unknown).
    std::function<std::string(std::int64_t feed_id)> feed_name;
    // Whether the feed may reach private addresses ([[feed]] allow_private_networks); the hub
    // named by such a feed may too.
    std::function<bool(std::int64_t feed_id)> allow_private;
    // Whether the feed may send hub.secret to an http:// hub ([[feed]] websub_allow_insecure_secret).
    std::function<bool(std::int64_t feed_id)> allow_insecure_secret;
    // Counts a push by result: "ok", "rejected" (signature), "busy", "unknown" (callback).
    std::function<void(std::string_view result)> count_push;
};

// The WebSub subscriber (https://www.w3.org/TR/websub/): subscribes feeds whose fetch named a
// hub, answers the hubs' verification requests and pushes on its own Beast listener
// ([websub] listen), verifies every push's HMAC, renews leases before they end, unsubscribes
// feeds that left the config. Subscriptions live in the store and survive restarts.
// Everything but the hub requests runs on the io thread; hub requests (blocking, a hub may
// verify before it answers) run on a thread of their own; store writes go to the store thread.
class WebSub {
public:
    // nullptr when [websub] callback_base is empty. Loads the stored subscriptions (the store
    // is used directly: call before the store thread runs), binds the listener, re-arms
    // renewals, and unsubscribes stored subscriptions of feeds not in `configured_feed_ids`.
    static Result<std::unique_ptr<WebSub>> start(boost::asio::io_context& io, boost::asio::thread_pool& store_thread,
                                                 store::Store& store, const config::Config& config,
                                                 const std::vector<std::int64_t>& configured_feed_ids,
                                                 WebSubHooks hooks);
    ~WebSub();
    WebSub(const WebSub&) = delete;
    WebSub& operator=(const WebSub&) = delete;

    // After a fetch of a feed: subscribes when the feed names a hub and no subscription to that
    // hub and topic is in force or on its way.
    void discovered(std::int64_t feed_id, const websub::Discovery& found);
    // The feed left the config: unsubscribe (the row goes when the hub confirms, or at once
    // when the hub cannot be reached).
    void forget(std::int64_t feed_id);
    // A verified lease is running: polling may fall back to the safety net.
    bool push_active(std::int64_t feed_id) const;
    // The subscriptions as the loop knows them (for /api/feeds and the metrics).
    std::vector<store::Subscription> subscriptions() const;
    // Closes the listener and cancels renewals; a hub request in flight finishes on its thread.
    void stop();
    std::string address() const;

    struct Impl;

private:
    explicit WebSub(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// For `wirewatch feeds` and /api/feeds: "active", "subscribing", "unsubscribing", "denied",
// "failed", or "expired" for an active row whose lease has ended.
std::string push_state(const store::Subscription& s, SysSeconds now);

}  // namespace ww::app
