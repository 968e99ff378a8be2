#include "fetch/http_client.h"

#include <optional>

#include <gtest/gtest.h>

#include "fetch/response_policy.h"
#include "loopback_server.h"

namespace ww::fetch {
namespace {

using namespace std::chrono_literals;
using test::LoopbackServer;
using test::Next;
using test::ServerRequest;
using test::gzip;
using test::tcp;
namespace asio = boost::asio;

const std::string kFeed =
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>World</title>"
    "<item><title>Talks resume</title><guid>a1</guid></item></channel></rss>";

class HttpClientTest : public ::testing::Test {
protected:
    asio::io_context io;
    LoopbackServer server{io};

    // Tests talk to loopback, which the SSRF guard refuses unless told otherwise.
    static ClientOptions options() {
        ClientOptions o;
        o.allow_private_networks = true;
        o.connect_timeout = 5s;
        o.timeout = 10s;
        return o;
    }

    void run_until(const std::function<bool()>& done, std::chrono::seconds limit = 15s) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done() && std::chrono::steady_clock::now() < deadline) io.run_one_for(50ms);
    }

    Result<Response> fetch(HttpClient& client, Request request) {
        std::optional<Result<Response>> out;
        client.get(std::move(request), [&](Result<Response> r) { out = std::move(r); });
        run_until([&] { return out.has_value(); });
        if (!out) return fail("test", "no callback within the limit");
        return *out;
    }

    Result<Response> fetch(HttpClient& client, const std::string& path) {
        return fetch(client, Request{.url = server.url(path)});
    }
};

TEST_F(HttpClientTest, ReturnsStatusBodyAndLowerCaseHeaders) {
    server.on("/feed", [](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 200, kFeed, {"Content-Type: application/rss+xml",
                                                       "ETag: \"v1\""});
    });
    HttpClient client(io, options());
    auto r = fetch(client, "/feed");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, kFeed);
    EXPECT_EQ(r->header("content-type"), "application/rss+xml");
    EXPECT_EQ(r->header("ETag"), "\"v1\"");
    EXPECT_EQ(r->effective_url, server.url("/feed"));
    EXPECT_TRUE(r->permanent_url.empty());
    EXPECT_EQ(r->http_version, "1.1");
    EXPECT_EQ(client.in_flight(), 0u);
}

TEST_F(HttpClientTest, SendsValidatorsAndReportsNotModified) {
    server.on("/feed", [](tcp::socket& s, const ServerRequest& req) -> asio::awaitable<Next> {
        if (req.header("if-none-match") == "\"v1\"" &&
            req.header("if-modified-since") == "Fri, 27 Nov 2026 10:00:00 GMT")
            co_return co_await LoopbackServer::respond(s, 304, "");
        co_return co_await LoopbackServer::respond(s, 200, kFeed);
    });
    HttpClient client(io, options());
    auto r = fetch(client, Request{.url = server.url("/feed"),
                                   .etag = "\"v1\"",
                                   .last_modified = "Fri, 27 Nov 2026 10:00:00 GMT"});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 304);
    EXPECT_FALSE(is_modified(*r));
    auto plain = fetch(client, "/feed");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->status, 200);
    EXPECT_EQ(server.requests.back().header("if-none-match"), "");
}

TEST_F(HttpClientTest, AdvertisesEncodingsAndDecodesGzip) {
    server.on("/feed", [](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 200, gzip(kFeed), {"Content-Encoding: gzip"});
    });
    HttpClient client(io, options());
    auto r = fetch(client, "/feed");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->body, kFeed);
    const auto accepted = server.requests.at(0).header("accept-encoding");
    EXPECT_NE(accepted.find("gzip"), std::string::npos) << accepted;
    EXPECT_NE(accepted.find("br"), std::string::npos) << accepted;
    EXPECT_NE(accepted.find("zstd"), std::string::npos) << accepted;
}

TEST_F(HttpClientTest, SendsUserAgentAcceptAuthAndExtraHeaders) {
    server.on("/feed", [](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 200, kFeed);
    });
    HttpClient client(io, options());
    ASSERT_TRUE(fetch(client, "/feed"));
    const auto& plain = server.requests.at(0);
    EXPECT_EQ(plain.header("user-agent"), default_user_agent());
    EXPECT_TRUE(plain.header("user-agent").starts_with("wirewatch/"));
    EXPECT_NE(plain.header("accept").find("application/rss+xml"), std::string::npos);
    EXPECT_NE(plain.header("accept").find("application/atom+xml"), std::string::npos);
    EXPECT_EQ(plain.header("authorization"), "");

    ASSERT_TRUE(fetch(client, Request{.url = server.url("/feed"),
                                      .headers = {{"X-Token", "abc"}},
                                      .user_agent = "custom/1",
                                      .basic_auth = "reader:s3cret"}));
    const auto& custom = server.requests.at(1);
    EXPECT_EQ(custom.header("user-agent"), "custom/1");
    EXPECT_EQ(custom.header("x-token"), "abc");
    EXPECT_EQ(custom.header("authorization"), "Basic cmVhZGVyOnMzY3JldA==");
}

TEST_F(HttpClientTest, GoesThroughAPerRequestProxy) {
    // A forward proxy receives the absolute URL; the feed's host is never resolved here.
    server.on("http://feeds.example.invalid/world.rss", [](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 200, kFeed);
    });
    auto o = options();
    o.allow_private_networks = false;  // the operator's proxy is trusted even on loopback
    HttpClient client(io, o);
    auto r = fetch(client, Request{.url = "http://feeds.example.invalid/world.rss",
                                   .proxy = server.url("")});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->body, kFeed);
    ASSERT_EQ(server.requests.size(), 1u);
    EXPECT_EQ(server.requests[0].target, "http://feeds.example.invalid/world.rss");
    EXPECT_EQ(server.requests[0].header("host"), "feeds.example.invalid");
}

TEST_F(HttpClientTest, RefusesHeaderInjection) {
    HttpClient client(io, options());
    auto r = fetch(client, Request{.url = server.url("/feed"),
                                   .headers = {{"X-A", "1\r\nX-Injected: yes"}}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, "protocol");
    EXPECT_TRUE(server.requests.empty());
}

TEST_F(HttpClientTest, ReusesTheConnection) {
    server.on("/feed", [](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 200, kFeed);
    });
    HttpClient client(io, options());
    ASSERT_TRUE(fetch(client, "/feed"));
    ASSERT_TRUE(fetch(client, "/feed"));
    ASSERT_TRUE(fetch(client, "/feed"));
    EXPECT_EQ(server.requests.size(), 3u);
    EXPECT_EQ(server.connections, 1);
}

TEST_F(HttpClientTest, CapsTheBodyBeforeReadingAllOfIt) {
    const std::string big(64 * 1024, 'x');
    server.on("/big", [&](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 200, big);
    });
    auto o = options();
    o.max_body = 10 * 1024;
    HttpClient client(io, o);
    auto r = fetch(client, "/big");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, "too_large");
    EXPECT_TRUE(r.error().message.starts_with("fetch: ")) << r.error().message;
}

TEST_F(HttpClientTest, CapsTheDecodedSizeOfACompressedBody) {
    // About 32 KiB of gzip that inflates to 32 MiB: the cap must count what it inflates to.
    const std::string bomb = gzip(std::string(32u << 20, '\0'));
    ASSERT_LT(bomb.size(), 256u * 1024);
    server.on("/bomb", [&](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 200, bomb, {"Content-Encoding: gzip"});
    });
    auto o = options();
    o.max_body = 1u << 20;
    HttpClient client(io, o);
    auto r = fetch(client, "/bomb");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, "too_large");
}

TEST_F(HttpClientTest, RunsAllDueRequestsConcurrently) {
    // Nobody gets an answer until all eight are in: only a concurrent client finishes.
    constexpr int kCount = 8;
    int arrived = 0;
    server.on("/slow", [&](tcp::socket& s, const ServerRequest&) -> asio::awaitable<Next> {
        ++arrived;
        while (arrived < kCount) co_await LoopbackServer::pause(5ms);
        co_return co_await LoopbackServer::respond(s, 200, kFeed);
    });
    auto o = options();
    o.per_host = kCount;
    HttpClient client(io, o);
    int ok = 0;
    for (int i = 0; i < kCount; ++i)
        client.get(Request{.url = server.url("/slow?feed=" + std::to_string(i))},
                   [&](Result<Response> r) { ok += r && r->status == 200; });
    EXPECT_EQ(client.in_flight(), std::size_t{kCount});
    run_until([&] { return ok == kCount; });
    EXPECT_EQ(ok, kCount);
    EXPECT_EQ(server.max_active, kCount);
}

TEST_F(HttpClientTest, QueuesBeyondMaxInFlightAndPerHost) {
    LoopbackServer other(io, "127.0.0.2");
    auto slow = [](tcp::socket& s, const ServerRequest&) -> asio::awaitable<Next> {
        co_await LoopbackServer::pause(20ms);
        co_return co_await LoopbackServer::respond(s, 200, kFeed);
    };
    server.on("/f", slow);
    other.on("/f", slow);
    auto o = options();
    o.max_in_flight = 3;
    o.per_host = 2;
    HttpClient client(io, o);
    int ok = 0;
    std::size_t most_in_flight = 0;
    for (int i = 0; i < 6; ++i) {
        client.get(Request{.url = server.url("/f")}, [&](Result<Response> r) { ok += bool(r); });
        client.get(Request{.url = other.url("/f")}, [&](Result<Response> r) { ok += bool(r); });
    }
    EXPECT_EQ(client.in_flight(), 3u);
    EXPECT_EQ(client.queued(), 9u);
    run_until([&] {
        most_in_flight = std::max(most_in_flight, client.in_flight());
        return ok == 12;
    });
    EXPECT_EQ(ok, 12);
    EXPECT_LE(most_in_flight, 3u);
    EXPECT_EQ(server.max_active, 2);
    EXPECT_EQ(other.max_active, 2);
}

TEST_F(HttpClientTest, PermanentUrlOnlyWhenEveryHopIsPermanent) {
    auto redirect = [this](int status, std::string to) {
        return [this, status, to](tcp::socket& s, const ServerRequest&) {
            return LoopbackServer::respond(s, status, "", {"Location: " + server.url(to)});
        };
    };
    server.on("/a", redirect(301, "/b"));
    server.on("/b", redirect(308, "/feed"));
    server.on("/c", redirect(301, "/d"));
    server.on("/d", redirect(302, "/feed"));
    server.on("/feed", [](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 200, kFeed);
    });
    HttpClient client(io, options());
    auto permanent = fetch(client, "/a");
    ASSERT_TRUE(permanent) << permanent.error().message;
    EXPECT_EQ(permanent->status, 200);
    EXPECT_EQ(permanent->permanent_url, server.url("/feed"));
    auto mixed = fetch(client, "/c");
    ASSERT_TRUE(mixed);
    EXPECT_EQ(mixed->effective_url, server.url("/feed"));
    EXPECT_EQ(mixed->permanent_url, "");
}

// curl drops only Authorization and Cookie at a host change; a feed's X-Api-Key must not
// reach another origin either (issue 16, item 4). Same address, another port: another origin.
TEST_F(HttpClientTest, FeedHeadersDoNotFollowARedirectToAnotherOrigin) {
    LoopbackServer other(io);
    other.on("/feed", [](tcp::socket& s, const ServerRequest&) { return LoopbackServer::respond(s, 200, kFeed); });
    server.on("/away", [&](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 301, "", {"Location: " + other.url("/feed")});
    });
    server.on("/here", [](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 302, "", {"Location: /feed"});
    });
    server.on("/feed", [](tcp::socket& s, const ServerRequest&) { return LoopbackServer::respond(s, 200, kFeed); });
    HttpClient client(io, options());
    const Headers key{{"X-Api-Key", "k3y"}};

    auto away = fetch(client, Request{.url = server.url("/away"), .headers = key, .basic_auth = "reader:pw"});
    ASSERT_TRUE(away) << away.error().message;
    EXPECT_EQ(away->status, 200);
    EXPECT_EQ(away->effective_url, other.url("/feed"));
    EXPECT_EQ(away->permanent_url, other.url("/feed"));  // the chain was one 301
    EXPECT_EQ(server.requests.at(0).header("x-api-key"), "k3y");
    ASSERT_EQ(other.requests.size(), 1u);
    EXPECT_EQ(other.requests[0].header("x-api-key"), "");
    EXPECT_EQ(other.requests[0].header("authorization"), "");
    EXPECT_NE(other.requests[0].header("accept").find("application/rss+xml"), std::string::npos);

    auto here = fetch(client, Request{.url = server.url("/here"), .headers = key});
    ASSERT_TRUE(here) << here.error().message;
    EXPECT_EQ(here->effective_url, server.url("/feed"));
    ASSERT_EQ(server.requests.size(), 3u);
    EXPECT_EQ(server.requests[2].target, "/feed");
    EXPECT_EQ(server.requests[2].header("x-api-key"), "k3y");  // same origin: kept
}

TEST_F(HttpClientTest, RedirectBudgetSpansTheRestartAtAnOriginChange) {
    LoopbackServer other(io);
    other.on("/loop", [&](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 302, "", {"Location: " + other.url("/loop")});
    });
    server.on("/start", [&](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 302, "", {"Location: " + other.url("/loop")});
    });
    HttpClient client(io, options());
    auto r = fetch(client, Request{.url = server.url("/start"), .headers = {{"X-Api-Key", "k3y"}}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, "redirects") << r.error().message;
    EXPECT_EQ(server.requests.size() + other.requests.size(), 11u);
}

TEST_F(HttpClientTest, RedirectLoopIsARedirectsError) {
    server.on("/loop", [this](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 302, "", {"Location: " + server.url("/loop")});
    });
    HttpClient client(io, options());
    auto r = fetch(client, "/loop");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, "redirects");
    EXPECT_EQ(server.requests.size(), 11u);  // the first request and 10 redirects
}

TEST_F(HttpClientTest, RefusedConnectionIsAConnectError) {
    unsigned short port;
    {
        tcp::acceptor closed(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        port = closed.local_endpoint().port();
    }
    HttpClient client(io, options());
    auto r = fetch(client, Request{.url = "http://127.0.0.1:" + std::to_string(port) + "/"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, "connect");
    EXPECT_NE(r.error().message.find("feed=http://127.0.0.1"), std::string::npos);
}

TEST_F(HttpClientTest, GuardRefusesLoopbackWhenPrivateNetworksAreNotAllowed) {
    server.on("/feed", [](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 200, kFeed);
    });
    auto o = options();
    o.allow_private_networks = false;
    HttpClient client(io, o);
    auto r = fetch(client, "/feed");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, "blocked");
    EXPECT_NE(r.error().message.find("127.0.0.1"), std::string::npos) << r.error().message;
    EXPECT_TRUE(server.requests.empty());
    // The same client lets one feed through that is allowed on its own.
    auto allowed = fetch(client, Request{.url = server.url("/feed"), .allow_private_networks = true});
    ASSERT_TRUE(allowed) << allowed.error().message;
    EXPECT_EQ(allowed->status, 200);
}

TEST_F(HttpClientTest, GuardChecksEveryRedirectHop) {
    LoopbackServer inner(io, "127.0.0.2");
    inner.on("/secret", [](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 200, "internal");
    });
    server.on("/to-private", [&](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 302, "", {"Location: " + inner.url("/secret")});
    });
    server.on("/to-v6", [](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 301, "", {"Location: http://[::1]:1/"});
    });
    server.on("/to-file", [](tcp::socket& s, const ServerRequest&) {
        return LoopbackServer::respond(s, 302, "", {"Location: file:///etc/passwd"});
    });
    auto o = options();
    o.allow_private_networks = false;
    o.allowed_networks = {"127.0.0.1/32"};  // the "public" first hop of this test
    HttpClient client(io, o);
    for (const char* path : {"/to-private", "/to-v6", "/to-file"}) {
        auto r = fetch(client, path);
        ASSERT_FALSE(r) << path;
        EXPECT_EQ(r.error().kind, "blocked") << path << ": " << r.error().message;
    }
    EXPECT_TRUE(inner.requests.empty());
}

TEST_F(HttpClientTest, OnlyHttpAndHttpsAreFetched) {
    HttpClient client(io, options());
    for (const char* url : {"file:///etc/passwd", "ftp://127.0.0.1/feed", "gopher://x/"}) {
        auto r = fetch(client, Request{.url = url});
        ASSERT_FALSE(r) << url;
        EXPECT_EQ(r.error().kind, "blocked") << url;
    }
}

TEST_F(HttpClientTest, CancelAllReportsCancelledForActiveAndQueued) {
    server.on("/hang", [](tcp::socket&, const ServerRequest&) -> asio::awaitable<Next> {
        co_await LoopbackServer::pause(60s);
        co_return Next::close;
    });
    auto o = options();
    o.max_in_flight = 1;
    HttpClient client(io, o);
    std::vector<std::string> kinds;
    for (int i = 0; i < 3; ++i)
        client.get(Request{.url = server.url("/hang")},
                   [&](Result<Response> r) { kinds.push_back(r ? "ok" : r.error().kind); });
    run_until([&] { return server.requests.size() == 1; });
    client.cancel_all();
    EXPECT_EQ(client.in_flight(), 0u);
    EXPECT_EQ(client.queued(), 0u);
    run_until([&] { return kinds.size() == 3; });
    EXPECT_EQ(kinds, (std::vector<std::string>{"cancelled", "cancelled", "cancelled"}));
}

TEST_F(HttpClientTest, SurvivesDestructionWithTransfersInFlight) {
    server.on("/hang", [](tcp::socket&, const ServerRequest&) -> asio::awaitable<Next> {
        co_await LoopbackServer::pause(60s);
        co_return Next::close;
    });
    bool called = false;
    {
        HttpClient client(io, options());
        client.get(Request{.url = server.url("/hang")}, [&](Result<Response>) { called = true; });
        run_until([&] { return server.requests.size() == 1; });
    }
    // Handlers left in the loop by the dead client must not touch it.
    for (int i = 0; i < 20; ++i) io.run_one_for(5ms);
    EXPECT_FALSE(called);
}

}  // namespace
}  // namespace ww::fetch
