#include "app/routes.h"

#include <nlohmann/json.hpp>

#include "http/metrics.h"

namespace ww::app {

http::Router make_routes(RouteSources s) {
    http::Router router;
    router.get("/metrics", [f = s.metrics](const http::Request&) {
        http::Response r = http::Response::text(200, f());
        r.content_type = std::string(http::kMetricsContentType);
        return r;
    });
    router.get("/healthz", [f = s.healthy](const http::Request&) {
        return f() ? http::Response::text(200, "ok\n") : http::Response::text(503, "unhealthy\n");
    });
    router.get("/readyz", [f = s.ready](const http::Request&) {
        return f() ? http::Response::text(200, "ready\n") : http::Response::text(503, "not ready\n");
    });
    if (s.web.recent) add_web_routes(router, std::move(s.web));
    router.get("/api/feeds", [f = s.feeds_json](const http::Request&) { return http::Response::json(f()); });
    router.get("/api/watchlists",
               [f = s.watchlists_json](const http::Request&) { return http::Response::json(f()); });
    if (s.backtest)
        router.get("/api/backtest", [f = s.backtest](const http::Request& request) {
            auto r = f(request.query);
            if (r) return http::Response::json(std::move(*r));
            const int status = r.error().kind == "backtest" ? 400 : 500;
            return http::Response::json(nlohmann::json{{"error", r.error().message}}.dump(), status);
        });
    return router;
}

}  // namespace ww::app
