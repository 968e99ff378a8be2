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
    // /api/backtest: the request's query string -> JSON; errors of kind "backtest" are the
    // caller's (400), others the server's (500). Null: no such route.
    std::function<Result<std::string>(std::string_view query_string)> backtest = {};
};

// /metrics /healthz /readyz /api/feeds /api/watchlists /api/backtest
http::Router make_routes(RouteSources sources);

}  // namespace ww::app
