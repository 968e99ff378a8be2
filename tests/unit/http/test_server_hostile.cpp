// Issue 16's attacks on the HTTP listener: DNS rebinding (Host, Origin), request smuggling
// (Transfer-Encoding), bodies refused before they are read, the in-flight body budget,
// slowloris connections, and a route that answers from another thread.
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include "client.h"
#include "http/server.h"

namespace ww::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test_client::Client;
using test_client::get;

std::string request(std::string_view method, std::string_view path, std::string_view headers) {
    return std::string(method) + " " + std::string(path) + " HTTP/1.1\r\n" + std::string(headers) + "\r\n";
}

class HostileServer : public test_client::ServerFixture {
protected:
    void start(ServerOptions options, Router router = {}) {
        router.get("/healthz", [](const Request&) { return Response::text(200, "ok\n"); });
        router.post("/echo", [this](const Request& r) {
            ++bodies_;
            return Response::text(200, r.body);
        });
        options.listen = "127.0.0.1:0";
        run_server(std::move(options), std::move(router));
    }

    std::atomic<int> bodies_{0};
};

TEST(HostAllowed, NamesOfThisServerOnly) {
    const std::vector<std::string> allowed{"metrics.example.org", "proxy.example:8443"};
    struct Case {
        std::string_view host, listen;
        bool ok;
    };
    const Case cases[] = {
        {"127.0.0.1:9108", "127.0.0.1", true},
        {"127.0.0.1", "127.0.0.1", true},
        {"localhost:9108", "127.0.0.1", true},
        {"LOCALHOST", "127.0.0.1", true},
        {"[::1]:9108", "127.0.0.1", true},
        {"192.0.2.7:9108", "192.0.2.7", true},          // the listen address itself
        {"192.0.2.8:9108", "192.0.2.7", false},         // another address
        {"192.0.2.8:9108", "0.0.0.0", true},            // a wildcard listener: any IP literal
        {"[2001:db8::1]:9108", "::", true},
        {"attacker.example:9108", "0.0.0.0", false},    // a name: the rebinding attack
        {"attacker.example", "127.0.0.1", false},
        {"localhost.attacker.example", "127.0.0.1", false},
        {"metrics.example.org", "127.0.0.1", true},     // configured, any port
        {"Metrics.Example.Org:443", "127.0.0.1", true},
        {"proxy.example:8443", "127.0.0.1", true},      // configured with its port
        {"proxy.example:80", "127.0.0.1", false},
        {"", "127.0.0.1", false},
        {"[::1", "127.0.0.1", false},
        {"localhost:80x", "127.0.0.1", false},
        {"localhost:80\r\nX: y", "127.0.0.1", false},
    };
    for (const auto& c : cases) EXPECT_EQ(host_allowed(c.host, c.listen, allowed), c.ok) << c.host << " on " << c.listen;
}

TEST_F(HostileServer, ARebindingHostIsMisdirectedAndNoCorsHeaderIsEverSent) {
    start({.check_host = true, .allowed_hosts = {"wirewatch.internal"}});
    Client c(port_);
    c.send(request("GET", "/healthz", "Host: attacker.example:" + std::to_string(port_) + "\r\n"));
    auto r = c.read_reply();
    EXPECT_EQ(r.status, 421);
    EXPECT_TRUE(c.closed_by_server());

    for (const std::string& host : {"127.0.0.1:" + std::to_string(port_), std::string("localhost"),
                                   std::string("wirewatch.internal:443")}) {
        Client ok(port_);
        ok.send(request("GET", "/healthz", "Host: " + host + "\r\nOrigin: http://" + host + "\r\n"));
        r = ok.read_reply();
        EXPECT_EQ(r.status, 200) << host;
        for (const auto& [name, value] : r.headers) EXPECT_FALSE(name.starts_with("access-control-")) << name;
    }
    // A page elsewhere that posts to the right Host is told no, whatever it sends.
    Client cross(port_);
    cross.send(request("POST", "/echo", "Host: 127.0.0.1\r\nOrigin: http://attacker.example\r\nContent-Length: 1\r\n") +
               "x");
    EXPECT_EQ(cross.read_reply().status, 403);
    Client preflight(port_);
    preflight.send(request("OPTIONS", "/echo", "Host: 127.0.0.1\r\nOrigin: http://attacker.example\r\n"));
    r = preflight.read_reply();
    EXPECT_EQ(r.status, 403);
    EXPECT_FALSE(r.headers.contains("access-control-allow-origin"));
    Client no_host(port_);
    no_host.send("GET /healthz HTTP/1.1\r\n\r\n");
    EXPECT_EQ(no_host.read_reply().status, 400);
    EXPECT_EQ(bodies_, 0);
}

// RFC 9112 §6.3: on a keep-alive connection, a body framed any other way than by
// Content-Length or by exactly "chunked" would be read by a proxy in front as something else.
TEST_F(HostileServer, AmbiguousTransferEncodingIs400AndClose) {
    start({});
    const std::string smuggled = request("GET", "/healthz", "Host: 127.0.0.1\r\n");
    const std::string framings[] = {"Transfer-Encoding: xchunked\r\n", "Transfer-Encoding: chunked, identity\r\n",
                                 "Transfer-Encoding: identity\r\n", "Transfer-Encoding: gzip, chunked\r\n",
                                 "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                                 "Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n",
                                 "Content-Length: 5\r\nTransfer-Encoding: xchunked\r\n"};
    for (const auto& te : framings) {
        Client c(port_);
        c.send(request("POST", "/echo", "Host: 127.0.0.1\r\n" + te) + "5\r\nhello\r\n0\r\n\r\n" + smuggled);
        const auto r = c.read_reply();
        EXPECT_EQ(r.status, 400) << te;
        EXPECT_EQ(r.headers.at("connection"), "close") << te;
        EXPECT_TRUE(c.closed_by_server()) << te;
    }
    EXPECT_EQ(bodies_, 0);
    Client chunked(port_);  // the one framing that is not ambiguous still works, and keeps alive
    chunked.send(request("POST", "/echo", "Host: 127.0.0.1\r\nTransfer-Encoding: Chunked\r\n") + "5\r\nhello\r\n0\r\n\r\n" +
                 smuggled);
    EXPECT_EQ(chunked.read_reply().body, "hello");
    EXPECT_EQ(chunked.read_reply().status, 200);
}

TEST_F(HostileServer, AScreenRefusesBeforeTheBodyIsRead) {
    start({.limits = {.max_body_bytes = 16 << 20},
           .screen = [](const Request& head) {
               Admission a;
               if (head.path != "/echo") a.refuse = Response::text(404, "not found\n");
               a.max_body_bytes = 1024;
               return a;
           }},
          [] {
              Router r;
              r.post("/nowhere", [](const Request&) { return Response::text(200, "read\n"); });
              return r;
          }());
    Client c(port_);
    // Only the header is sent: an answer proves the body was never waited for.
    c.send(request("POST", "/nowhere", "Host: 127.0.0.1\r\nContent-Length: 15000000\r\n"));
    auto r = c.read_reply();
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.headers["connection"], "close");
    Client big(port_);
    big.send(request("POST", "/echo", "Host: 127.0.0.1\r\nContent-Length: 2000\r\n"));
    EXPECT_EQ(big.read_reply().status, 413);  // the screen's smaller limit, before the body
    Client small(port_);
    small.send(request("POST", "/echo", "Host: 127.0.0.1\r\nContent-Length: 3\r\n") + "abc");
    EXPECT_EQ(small.read_reply().body, "abc");
}

TEST_F(HostileServer, BodiesPastTheInFlightBudgetAre503) {
    start({.limits = {.max_body_bytes = 4096, .max_body_in_flight = 6000}});
    Client first(port_);  // announces 4000 bytes and sends one: its reservation stays
    first.send(request("POST", "/echo", "Host: 127.0.0.1\r\nContent-Length: 4000\r\n") + "x");
    Client probe(port_);  // a request without a body proves the first header was read
    probe.send(get("/healthz"));
    ASSERT_EQ(probe.read_reply().status, 200);
    Client second(port_);
    second.send(request("POST", "/echo", "Host: 127.0.0.1\r\nContent-Length: 4000\r\n"));
    const auto r = second.read_reply();
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.headers.at("retry-after"), "5");
    first.send(std::string(3999, 'y'));
    EXPECT_EQ(first.read_reply().body.size(), 4000u);
    Client third(port_);  // the budget was given back
    third.send(request("POST", "/echo", "Host: 127.0.0.1\r\nContent-Length: 4000\r\n") + std::string(4000, 'z'));
    EXPECT_EQ(third.read_reply().status, 200);
}

// 64 half-open connections (a request line and never the rest), reopened as soon as they are
// closed: /healthz must still be answered, promptly.
TEST_F(HostileServer, HalfOpenConnectionsDoNotStarveHealthz) {
    start({.limits = {.read_timeout = 30s, .evict_after = 500ms}});
    std::atomic<bool> stop{false};
    std::atomic<int> connected{0};
    std::vector<std::jthread> attackers;
    for (int i = 0; i < 64; ++i) {
        attackers.emplace_back([&] {
            while (!stop) {
                Client c(port_);
                c.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
                ++connected;
                c.closed_by_server();  // returns when evicted (or after the client's 5 s)
            }
        });
    }
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (connected < 64 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    ASSERT_GE(connected, 64);
    const auto t0 = std::chrono::steady_clock::now();
    int status = 0;
    while (status != 200 && std::chrono::steady_clock::now() - t0 < 8s) {
        Client c(port_);
        c.send(get("/healthz"));
        status = c.read_reply().status;
    }
    const auto waited = std::chrono::steady_clock::now() - t0;
    stop = true;
    EXPECT_EQ(status, 200);
    EXPECT_LT(waited, 4s);
}

TEST_F(HostileServer, AnAsynchronousRouteAnswersFromAnotherThreadWithoutBlockingOthers) {
    std::promise<void> release;
    auto released = release.get_future().share();
    std::promise<std::jthread> started;  // the worker, handed to the test once it runs
    Router router;
    router.add_async("POST", "/slow", [&](const Request&, Reply reply) {
        started.set_value(std::jthread([this, released, reply = std::move(reply)] {
            released.wait();
            asio::post(io_, [reply] { reply(Response::text(200, "done\n")); });
        }));
    });
    start({}, std::move(router));
    Client slow(port_);
    slow.send(request("POST", "/slow", "Host: 127.0.0.1\r\nContent-Length: 0\r\n"));
    auto worker = started.get_future();
    ASSERT_EQ(worker.wait_for(5s), std::future_status::ready);
    const auto running = worker.get();
    Client quick(port_);
    quick.send(get("/healthz"));
    EXPECT_EQ(quick.read_reply().status, 200);  // answered while /slow is still running
    release.set_value();
    const auto r = slow.read_reply();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "done\n");
    Client wrong(port_);
    wrong.send(get("/slow"));
    const auto w = wrong.read_reply();
    EXPECT_EQ(w.status, 405);
    EXPECT_EQ(w.headers.at("allow"), "POST");
}

}  // namespace
}  // namespace ww::http
