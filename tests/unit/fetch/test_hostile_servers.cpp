// Hostile servers against the real client on loopback: each misbehaviour ends in its own
// clear error kind, quickly (short limits set through ClientOptions), with memory bounded by
// the body cap, and without disturbing the other transfers of the same client.


#include <map>
#include <optional>

#include <gtest/gtest.h>

#include "fetch/http_client.h"
#include "fetch/response_policy.h"
#include "loopback_server.h"

namespace ww::fetch {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;
using test::Next;
using test::ServerRequest;
using test::tcp;
namespace asio = boost::asio;

const std::string kFeed =
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Calm</title>"
    "<item><title>Nothing to see</title><guid>c1</guid></item></channel></rss>";

std::string gzip_zeros(std::size_t n) { return test::gzip(std::string(n, '\0')); }

asio::awaitable<bool> write_all(tcp::socket& s, std::string data) {
    auto [ec, n] = co_await asio::async_write(s, asio::buffer(data), asio::as_tuple(asio::use_awaitable));
    co_return !ec;
}

// Installs every hostile behaviour on `server`, one path each.
void install_hostile_handlers(LoopbackServer& server, const std::string& bomb) {
    server.on("/trickle", [](tcp::socket& s, const ServerRequest&) -> asio::awaitable<Next> {
        // One byte every 10 s of a 100-byte body: only the low-speed limit saves the client.
        if (!co_await write_all(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")) co_return Next::close;
        for (int i = 0; i < 100; ++i) {
            if (!co_await write_all(s, "x")) break;
            co_await LoopbackServer::pause(10s);
        }
        co_return Next::close;
    });
    server.on("/endless", [](tcp::socket& s, const ServerRequest&) -> asio::awaitable<Next> {
        // Chunked and never ending.
        if (!co_await write_all(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"))
            co_return Next::close;
        const std::string chunk = "4000\r\n" + std::string(0x4000, 'y') + "\r\n";
        while (co_await write_all(s, chunk)) {
        }
        co_return Next::close;
    });
    server.on("/bomb", [bomb](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 200, bomb, {"Content-Encoding: gzip"});
    });
    server.on("/loop", [&server](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 301, "", {"Location: " + server.url("/loop")});
    });
    server.on("/limited", [](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 429, "slow down", {"Retry-After: 120"});
    });
    server.on("/reset", [](tcp::socket& s, const ServerRequest&) -> asio::awaitable<Next> {
        co_await write_all(s, "HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n" + std::string(100, 'z'));
        // SO_LINGER 0 turns close into a TCP reset.
        boost::system::error_code ignored;
        s.set_option(asio::socket_base::linger(true, 0), ignored);
        s.close(ignored);
        co_return Next::close;
    });
    server.on("/cut", [](tcp::socket& s, const ServerRequest&) -> asio::awaitable<Next> {
        co_await write_all(s, "HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n" + std::string(100, 'z'));
        co_return Next::close;  // a clean close, 9,900 bytes short
    });
    server.on("/empty", [](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 200, "");
    });
    server.on("/huge", [](tcp::socket& s, const ServerRequest&) -> asio::awaitable<Next> {
        co_await write_all(s, "HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n" + std::string(4096, 'h'));
        co_await LoopbackServer::pause(60s);
        co_return Next::close;
    });
    server.on("/garbage", [](tcp::socket& s, const ServerRequest&) -> asio::awaitable<Next> {
        co_await write_all(s, "SSH-2.0-OpenSSH_9.2\r\n\r\n");
        co_return Next::close;
    });
    server.on("/silent", [](tcp::socket&, const ServerRequest&) -> asio::awaitable<Next> {
        co_await LoopbackServer::pause(60s);  // accepts, reads the request, never answers
        co_return Next::close;
    });
}

class HostileServerTest : public ::testing::Test {
protected:
    asio::io_context io;
    LoopbackServer hostile{io, "127.0.0.1"};
    LoopbackServer calm{io, "127.0.0.2"};
    // About 32 KiB of gzip inflating to 32 MiB, 32 times the client's cap.
    const std::string bomb = gzip_zeros(32u << 20);

    void SetUp() override {
        install_hostile_handlers(hostile, bomb);
        calm.on("/feed", [](tcp::socket& s, const ServerRequest&) {
            return LoopbackServer::respond(s, 200, kFeed);
        });
    }

    // Short limits so the slow cases take about a second, not the production 30 s.
    static ClientOptions options() {
        ClientOptions o;
        o.allow_private_networks = true;
        o.connect_timeout = 2s;
        o.timeout = 4s;
        o.low_speed_limit = 1000;
        o.low_speed_time = 1s;
        o.max_body = 1u << 20;
        o.per_host = 16;
        return o;
    }

    void run_until(const std::function<bool()>& done, std::chrono::seconds limit = 20s) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done() && std::chrono::steady_clock::now() < deadline) io.run_one_for(50ms);
    }

    Result<Response> fetch(HttpClient& client, const std::string& url) {
        std::optional<Result<Response>> out;
        client.get(Request{.url = url}, [&](Result<Response> r) { out = std::move(r); });
        run_until([&] { return out.has_value(); });
        if (!out) return fail("test", "no callback within the limit");
        return *out;
    }
};

// The kind each hostile path must end in: a transport kind from HttpClient, or the
// status_error kind of a response that did arrive.
const std::map<std::string, std::string> kExpectedKinds = {
    {"/trickle", "timeout"},   {"/endless", "too_large"}, {"/bomb", "too_large"},
    {"/loop", "redirects"},    {"/limited", "rate_limited"}, {"/reset", "reset"},
    {"/cut", "reset"},         {"/empty", "empty"},       {"/huge", "too_large"},
    {"/garbage", "protocol"},  {"/silent", "timeout"},
};

std::string kind_of(const Result<Response>& r, const std::string& url) {
    if (!r) return r.error().kind;
    auto e = status_error(*r, url);
    return e ? e->kind : "ok";
}

TEST_F(HostileServerTest, EachMisbehaviourHasItsOwnKind) {
    HttpClient client(io, options());
    for (const auto& [path, kind] : kExpectedKinds) {
        const auto started = std::chrono::steady_clock::now();
        auto r = fetch(client, hostile.url(path));
        const auto took = std::chrono::steady_clock::now() - started;
        EXPECT_EQ(kind_of(r, hostile.url(path)), kind) << path << ": " << (r ? "" : r.error().message);
        EXPECT_LT(took, 6s) << path;
        if (!r && r.error().kind != "test") {
            EXPECT_TRUE(r.error().message.starts_with("fetch: ")) << r.error().message;
        }
    }
}

TEST_F(HostileServerTest, RetryAfterIsReadFromThe429) {
    HttpClient client(io, options());
    auto r = fetch(client, hostile.url("/limited"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 429);
    EXPECT_EQ(retry_after(*r, SysSeconds{}), 120s);
}

TEST_F(HostileServerTest, OtherTransfersAreUnaffected) {
    HttpClient client(io, options());
    std::map<std::string, std::string> kinds;
    int calm_ok = 0;
    bool calm_done_first = false;
    for (const auto& [path, kind] : kExpectedKinds) {
        const auto url = hostile.url(path);
        client.get(Request{.url = url}, [&, url, path](Result<Response> r) { kinds[path] = kind_of(r, url); });
    }
    for (int i = 0; i < 5; ++i) {
        client.get(Request{.url = calm.url("/feed")}, [&](Result<Response> r) {
            calm_ok += r && r->status == 200 && r->body == kFeed;
            // The slow hostile transfers are still running when the calm ones are served.
            if (calm_ok == 5) calm_done_first = !kinds.contains("/trickle") && !kinds.contains("/silent");
        });
    }
    run_until([&] { return kinds.size() == kExpectedKinds.size() && calm_ok == 5; });
    EXPECT_EQ(calm_ok, 5);
    EXPECT_TRUE(calm_done_first);
    for (const auto& [path, kind] : kExpectedKinds) EXPECT_EQ(kinds[path], kind) << path;
    EXPECT_EQ(client.in_flight(), 0u);
    // And the client is still good for more work afterwards.
    auto again = fetch(client, calm.url("/feed"));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->body, kFeed);
}

}  // namespace
}  // namespace ww::fetch
