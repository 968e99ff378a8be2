#include <gtest/gtest.h>

#include <stdexcept>

#include "http/server.h"

namespace ww::http {
namespace {

Request get(std::string path, std::string method = "GET") {
    return Request{.method = std::move(method), .path = std::move(path)};
}

Router sample_router() {
    Router r;
    r.get("/healthz", [](const Request&) { return Response::text(200, "ok\n"); });
    r.get("/api/feeds", [](const Request&) { return Response::json("[]"); });
    r.post("/api/feeds", [](const Request& q) { return Response::text(201, "created " + q.body); });
    r.get("/boom", [](const Request&) -> Response { throw std::runtime_error("disk on fire"); });
    r.get("/echo", [](const Request& q) {
        return Response::text(200, q.query + "|" + std::string(q.header("x-probe")));
    });
    return r;
}

TEST(Router, Dispatch) {
    const auto router = sample_router();
    struct Case {
        std::string method, path;
        int status;
        std::string body_starts;
    };
    const Case cases[] = {
        {"GET", "/healthz", 200, "ok"},
        {"HEAD", "/healthz", 200, "ok"},  // the connection drops the body, not the router
        {"GET", "/api/feeds", 200, "[]"},
        {"POST", "/api/feeds", 201, "created"},
        {"GET", "/nope", 404, "not found"},
        {"GET", "/healthz/", 404, "not found"},  // exact paths only
        {"DELETE", "/healthz", 405, "method not allowed"},
        {"POST", "/healthz", 405, "method not allowed"},
        {"GET", "/boom", 500, "http: handler for /boom failed: disk on fire"},
    };
    for (const auto& c : cases) {
        const auto r = router.dispatch(get(c.path, c.method));
        EXPECT_EQ(r.status, c.status) << c.method << ' ' << c.path;
        EXPECT_TRUE(r.body.starts_with(c.body_starts)) << c.method << ' ' << c.path << ": " << r.body;
    }
}

TEST(Router, MethodNotAllowedListsTheAllowedOnes) {
    const auto r = sample_router().dispatch(get("/api/feeds", "PUT"));
    ASSERT_EQ(r.status, 405);
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0].first, "Allow");
    EXPECT_EQ(r.headers[0].second, "GET, HEAD, POST");
}

TEST(Router, HandlersSeeQueryAndHeadersCaseInsensitively) {
    auto q = get("/echo");
    q.query = "a=1&b=2";
    q.headers = {{"X-Probe", "yes"}};
    EXPECT_EQ(sample_router().dispatch(q).body, "a=1&b=2|yes");
}

TEST(Router, JsonResponsesSayTheirType) {
    EXPECT_EQ(Response::json("{}").content_type, "application/json");
    EXPECT_EQ(Response::text(200, "x").content_type, "text/plain; charset=utf-8");
}

TEST(ListenAddress, Parse) {
    struct Case {
        std::string_view text;
        std::string host;
        int port;  // -1: rejected
    };
    const Case cases[] = {
        {"127.0.0.1:9108", "127.0.0.1", 9108},
        {"localhost:9108", "127.0.0.1", 9108},
        {"[::1]:9108", "::1", 9108},
        {"[::]:80", "::", 80},
        {":9108", "0.0.0.0", 9108},
        {"*:9108", "0.0.0.0", 9108},
        {"0.0.0.0:0", "0.0.0.0", 0},
        {"127.0.0.1", "", -1},           // no port
        {"127.0.0.1:", "", -1},
        {"127.0.0.1:65536", "", -1},
        {"127.0.0.1:9x", "", -1},
        {"127.0.0.1:-1", "", -1},
        {"::1:9108", "", -1},             // IPv6 without brackets
        {"[::1]9108", "", -1},
        {"[::1", "", -1},
        {"example.org:9108", "", -1},     // never resolves names
        {"", "", -1},
    };
    for (const auto& c : cases) {
        const auto r = parse_listen(c.text);
        if (c.port < 0) {
            ASSERT_FALSE(r.has_value()) << c.text;
            EXPECT_TRUE(r.error().message.starts_with("http: invalid listen address")) << r.error().message;
            EXPECT_NE(r.error().message.find(std::string(c.text)), std::string::npos) << r.error().message;
            continue;
        }
        ASSERT_TRUE(r.has_value()) << c.text << ": " << r.error().message;
        EXPECT_EQ(r->host, c.host) << c.text;
        EXPECT_EQ(r->port, c.port) << c.text;
    }
}

}  // namespace
}  // namespace ww::http
