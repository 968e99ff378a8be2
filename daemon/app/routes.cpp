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
    // POST only: a GET can be sent by any page the operator visits (an <img> tag), and must
    // not start minutes of work.
    if (s.backtest)
        router.add_async("POST", "/api/backtest", [f = s.backtest](const http::Request& request, http::Reply reply) {
            const std::string_view params = request.body.empty() ? std::string_view(request.query) : request.body;
            const bool started = f(params, [reply](Result<std::string> r) {
                if (r) return reply(http::Response::json(std::move(*r)));
                const int status = r.error().kind == "backtest" ? 400 : 500;
                reply(http::Response::json(nlohmann::json{{"error", r.error().message}}.dump(), status));
            });
            if (started) return;
            auto busy = http::Response::json(R"({"error":"backtest: one is running already"})", 429);
            busy.headers.emplace_back("Retry-After", "10");
            reply(std::move(busy));
        });
    return router;
}

}  // namespace ww::app
