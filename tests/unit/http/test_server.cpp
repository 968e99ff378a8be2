#include "http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <future>
#include <map>
#include <optional>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include "client.h"

namespace ww::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

using test_client::Client;
using test_client::get;

class ServerTest : public test_client::ServerFixture {
protected:
    void start(Limits limits = {}) {
        Router router;
        router.get("/healthz", [this](const Request&) {
            ++handled_;
            return Response::text(200, "ok\n");
        });
        router.get("/metrics", [](const Request& r) { return Response::text(200, "q=" + r.query + "\n"); });
        router.post("/echo", [](const Request& r) { return Response::text(200, r.body); });
        run_server({.listen = "127.0.0.1:0", .limits = limits}, std::move(router));
    }

    std::atomic<int> handled_{0};
};

TEST_F(ServerTest, ServesARoute) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.connected());
    c.send(get("/healthz"));
    const auto r = c.read_reply();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "ok\n");
    EXPECT_EQ(r.headers.at("content-type"), "text/plain; charset=utf-8");
    EXPECT_EQ(r.headers.at("cache-control"), "no-store");
    EXPECT_EQ(r.headers.at("server"), "wirewatch");
}

TEST_F(ServerTest, PassesTheQueryString) {
    start();
    Client c(port_);
    c.send(get("/metrics?name[]=x"));
    EXPECT_EQ(c.read_reply().body, "q=name[]=x\n");
}

TEST_F(ServerTest, UnknownPathIs404AndWrongMethodIs405) {
    start();
    Client c(port_);
    c.send(get("/nope"));
    EXPECT_EQ(c.read_reply().status, 404);
    c.send("DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto r = c.read_reply();
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.headers.at("allow"), "GET, HEAD");
}

TEST_F(ServerTest, HeadSendsHeadersOnly) {
    start();
    Client c(port_);
    c.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto r = c.read_reply(/*head=*/true);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.at("content-length"), "3");
    // Had a body been sent, it would now be read as the start of the next response.
    c.send(get("/metrics"));
    EXPECT_EQ(c.read_reply().body, "q=\n");
}

TEST_F(ServerTest, KeepAliveServesManyRequestsThenHonoursClose) {
    start();
    Client c(port_);
    for (int i = 0; i < 5; ++i) {
        c.send(get("/healthz"));
        ASSERT_EQ(c.read_reply().status, 200) << i;
    }
    EXPECT_EQ(handled_, 5);
    c.send(get("/healthz", "Connection: close\r\n"));
    const auto r = c.read_reply();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.at("connection"), "close");
    EXPECT_TRUE(c.closed_by_server());
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
    start();
    Client c(port_);
    c.send(get("/metrics?1") + get("/metrics?2") + get("/metrics?3"));
    for (std::string q : {"1", "2", "3"}) EXPECT_EQ(c.read_reply().body, "q=" + q + "\n");
}

TEST_F(ServerTest, PostBodyWithinTheLimitIsDelivered) {
    start();
    Client c(port_);
    const std::string body(1000, 'x');
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + body);
    const auto r = c.read_reply();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, body);
}

TEST_F(ServerTest, OversizedHeadersAre431AndClose) {
    start({.max_header_bytes = 1024});
    Client c(port_);
    c.send(get("/healthz", "X-Big: " + std::string(4000, 'a') + "\r\n"));
    const auto r = c.read_reply();
    EXPECT_EQ(r.status, 431);
    EXPECT_EQ(r.headers.at("connection"), "close");
    EXPECT_TRUE(c.closed_by_server());
    EXPECT_EQ(handled_, 0);
}

TEST_F(ServerTest, OversizedBodyIs413AndClose) {
    start({.max_body_bytes = 64 * 1024});
    Client c(port_);
    const std::string body(200 * 1024, 'x');
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    const auto r = c.read_reply();
    EXPECT_EQ(r.status, 413);
    EXPECT_TRUE(c.closed_by_server());
}

TEST_F(ServerTest, OversizedChunkedBodyIs413) {
    start({.max_body_bytes = 1024});
    Client c(port_);
    std::string chunked = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 4; ++i) chunked += "200\r\n" + std::string(512, 'y') + "\r\n";
    chunked += "0\r\n\r\n";
    c.send(chunked);
    EXPECT_EQ(c.read_reply().status, 413);
}

TEST_F(ServerTest, MalformedRequestIs400) {
    start();
    Client c(port_);
    c.send("THIS IS NOT HTTP\r\n\r\n");
    const auto r = c.read_reply();
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(c.closed_by_server());
}

TEST_F(ServerTest, ASlowClientIsCutOffAtTheReadTimeout) {
    start({.read_timeout = 200ms});
    Client c(port_);
    const auto t0 = std::chrono::steady_clock::now();
    c.send("GET /healthz HTTP/1.1\r\nHost:");  // and never the rest
    EXPECT_TRUE(c.closed_by_server());  // within the client's own 5 s deadline
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    EXPECT_GE(elapsed, 150ms);
    EXPECT_LT(elapsed, 3s);
}

TEST_F(ServerTest, ConnectionsPastTheLimitAreClosed) {
    start({.max_connections = 2});
    Client a(port_), b(port_);
    // A served request proves that each of the two has its session.
    for (Client* c : {&a, &b}) {
        c->send(get("/healthz"));
        ASSERT_EQ(c->read_reply().status, 200);
    }
    Client third(port_);
    third.send(get("/healthz"));
    EXPECT_EQ(third.read_reply().status, 0);
    EXPECT_EQ(handled_, 2);
    a.send(get("/healthz"));  // the first two are unaffected
    EXPECT_EQ(a.read_reply().status, 200);
}

TEST_F(ServerTest, ConcurrentClientsAreAllServed) {
    start();
    constexpr int kClients = 16, kRequests = 25;
    std::atomic<int> ok{0};
    {
        std::vector<std::jthread> clients;
        for (int i = 0; i < kClients; ++i) {
            clients.emplace_back([&] {
                Client c(port_);
                for (int j = 0; j < kRequests; ++j) {
                    c.send(get("/healthz"));
                    if (c.read_reply().status == 200) ++ok;
                }
            });
        }
    }
    EXPECT_EQ(ok, kClients * kRequests);
    EXPECT_EQ(handled_, kClients * kRequests);
}

TEST_F(ServerTest, StopClosesOpenConnectionsAndTheListener) {
    start();
    Client c(port_);
    c.send(get("/healthz"));
    ASSERT_EQ(c.read_reply().status, 200);
    stop_server();
    EXPECT_TRUE(c.closed_by_server());
    Client late(port_);
    EXPECT_FALSE(late.connected());
}

TEST(ServerStart, ReportsTheAddressItCannotListenOn) {
    asio::io_context io;
    auto first = Server::start(io, {.listen = "127.0.0.1:0"}, Router{});
    ASSERT_TRUE(first.has_value()) << first.error().message;
    EXPECT_EQ(first->address(), "127.0.0.1:" + std::to_string(first->port()));
    const auto taken = "127.0.0.1:" + std::to_string(first->port());
    auto second = Server::start(io, {.listen = taken}, Router{});
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().kind, "http");
    EXPECT_TRUE(second.error().message.starts_with("http: cannot listen on " + taken + ": bind: "))
        << second.error().message;
    auto bad = Server::start(io, {.listen = "nowhere"}, Router{});
    ASSERT_FALSE(bad.has_value());
    EXPECT_TRUE(bad.error().message.starts_with("http: invalid listen address \"nowhere\"")) << bad.error().message;
}

TEST(RespondToBytes, GivesTheExactResponse) {
    Router router;
    router.get("/healthz", [](const Request&) { return Response::text(200, "ok\n"); });
    EXPECT_EQ(respond_to_bytes(router, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
              "HTTP/1.1 200 OK\r\n"
              "Server: wirewatch\r\n"
              "Content-Type: text/plain; charset=utf-8\r\n"
              "Cache-Control: no-store\r\n"
              "Content-Length: 3\r\n"
              "\r\n"
              "ok\n");
}

TEST(RespondToBytes, LimitsAndGarbage) {
    Router router;
    router.post("/in", [](const Request& r) { return Response::text(200, r.body); });
    struct Case {
        std::string raw;
        std::string_view status_line;
    };
    const Case cases[] = {
        {"", "HTTP/1.1 400"},
        {"GET /in HTTP/1.1\r\n", "HTTP/1.1 400"},  // cut short
        {"\x01\x02\x03\r\n\r\n", "HTTP/1.1 400"},
        {"GET /in HTTP/1.1\r\nX: " + std::string(10000, 'h') + "\r\n\r\n", "HTTP/1.1 431"},
        {"POST /in HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", "HTTP/1.1 413"},
        {"POST /in HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi", "HTTP/1.1 200"},
        {"POST /in HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi", "HTTP/1.1 400"},
        {"GET /in HTTP/1.1\r\n\r\n", "HTTP/1.1 405"},
        {"GET http://example.org/in HTTP/1.1\r\n\r\n", "HTTP/1.1 404"},
        {"POST /in HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n", "HTTP/1.1 400"},  // the fuzzer's path too
        {"POST /in HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", "HTTP/1.1 200"},
    };
    for (const auto& c : cases) {
        const auto out = respond_to_bytes(router, c.raw, {.max_header_bytes = 4096, .max_body_bytes = 1024});
        EXPECT_TRUE(out.starts_with(c.status_line)) << c.raw.substr(0, 60) << " -> " << out.substr(0, 40);
    }
}

}  // namespace
}  // namespace ww::http
