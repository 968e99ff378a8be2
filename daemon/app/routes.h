#pragma once

#include <functional>
#include <string>

#include "app/web_routes.h"
#include "core/error.h"
#include "http/server.h"

namespace ww::app {

// What the HTTP routes read. Each function runs on the io thread (the router's thread), so it
// may read the loop's state directly.
struct RouteSources {
    std::function<std::string()> metrics;          // Prometheus text
    std::function<bool()> healthy;                 // loop answering and the store writable
    std::function<bool()> ready;                   // everything up and not stopping
    // /, /api/alerts, /feeds/*: the web page and the feeds of alerts (docs/web.md). Null
    // `recent`: no such routes.
    WebSources web;
    std::function<std::string()> feeds_json;       // /api/feeds
    std::function<std::string()> watchlists_json;  // /api/watchlists
    // POST /api/backtest: the form-encoded parameters (the body, else the query string) ->
    // `done` once, on the io thread, with the JSON or the error (kind "backtest" is the
    // caller's, 400; others the server's, 500). False when a backtest is running already (429).
    // Null: no such route.
    using BacktestDone = std::function<void(Result<std::string> json)>;
    std::function<bool(std::string_view params, BacktestDone done)> backtest = {};
};

// GET /metrics /healthz /readyz /api/feeds /api/watchlists, POST /api/backtest
http::Router make_routes(RouteSources sources);

}  // namespace ww::app
