#include "app/routes.h"

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
    router.get("/api/feeds", [f = s.feeds_json](const http::Request&) { return http::Response::json(f()); });
    router.get("/api/watchlists",
               [f = s.watchlists_json](const http::Request&) { return http::Response::json(f()); });
    return router;
}

}  // namespace ww::app
