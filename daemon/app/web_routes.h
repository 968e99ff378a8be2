#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "http/server.h"
#include "store/store.h"

namespace ww::app {

// The io thread's own read-only connection to the state database, for the reads the web
// routes make on the loop (each bounded by a LIMIT over an index: Store::recent_alerts,
// Store::alert_page). Opened at the first request, reopened after an error; never written.
class AlertReader {
public:
    explicit AlertReader(std::filesystem::path state_dir) : state_dir_(std::move(state_dir)) {}
    Result<std::vector<store::RecordedAlert>> recent(const store::Store::RecentFilter& filter, std::size_t limit);
    Result<store::AlertPage> page(std::int64_t after, std::size_t limit);

private:
    Result<store::Store*> open();
    std::filesystem::path state_dir_;
    std::optional<store::Store> store_;
};

// What the feeds of alerts read. Each function runs on the io thread.
struct WebSources {
    std::function<Result<std::vector<store::RecordedAlert>>(const store::Store::RecentFilter&, std::size_t)> recent;
    std::function<Result<store::AlertPage>(std::int64_t after, std::size_t limit)> page;
    std::function<bool(std::string_view name)> is_watchlist;  // a watchlist in force
    std::size_t feed_items = 50;                              // [http] feed_items
    std::string listen;  // the listener's "host:port", for a request without Host
    std::function<SysSeconds()> now = [] { return now_seconds(); };
};

// GET /feeds/alerts.{atom,json} and /feeds/<watchlist>.{atom,json}, GET /api/alerts, and the
// web page at / (docs/web.md).
void add_web_routes(http::Router& router, WebSources sources);

}  // namespace ww::app
