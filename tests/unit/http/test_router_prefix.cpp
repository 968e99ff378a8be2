#include <gtest/gtest.h>

#include "http/server.h"

namespace ww::http {
namespace {

TEST(RouterPrefix, MatchesEveryPathUnderThePrefixBesideExactRoutes) {
    Router r;
    r.get("/healthz", [](const Request&) { return Response::text(200, "ok\n"); });
    r.add_prefix("GET", "/websub/", [](const Request& q) { return Response::text(200, "get " + q.path); });
    r.add_prefix("POST", "/websub/", [](const Request& q) { return Response::text(202, "post " + q.body); });
    struct Case {
        std::string method, path;
        int status;
        std::string body;
    };
    const Case cases[] = {
        {"GET", "/websub/abc", 200, "get /websub/abc"},
        {"HEAD", "/websub/abc", 200, "get /websub/abc"},
        {"POST", "/websub/abc", 202, "post x"},
        {"GET", "/websub/", 200, "get /websub/"},
        {"GET", "/websub", 404, "not found\n"},  // the prefix ends with '/': its parent is not under it
        {"GET", "/websubx/abc", 404, "not found\n"},
        {"PUT", "/websub/abc", 405, "method not allowed\n"},
        {"GET", "/healthz", 200, "ok\n"},
    };
    for (const auto& c : cases) {
        const auto res = r.dispatch(Request{.method = c.method, .path = c.path, .body = "x"});
        EXPECT_EQ(res.status, c.status) << c.method << ' ' << c.path;
        EXPECT_EQ(res.body, c.body) << c.method << ' ' << c.path;
    }
}

}  // namespace
}  // namespace ww::http
