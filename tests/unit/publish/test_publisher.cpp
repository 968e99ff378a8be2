#include "publish/publisher.h"

#include <algorithm>

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "publish/subscriber.h"
#include "support.h"

namespace ww::publish {
namespace {

using namespace std::chrono_literals;
using testing::next_alert;
using testing::wait_until_subscribed;

Publisher bind_local(PublisherOptions options = {}) {
    options.endpoint = options.endpoint == PublisherOptions{}.endpoint ? "tcp://127.0.0.1:*"
                                                                       : options.endpoint;
    auto pub = Publisher::bind(options);
    if (!pub) throw std::runtime_error(pub.error().message);
    return std::move(*pub);
}

Subscriber subscribe(const std::string& endpoint, std::vector<std::string> topics,
                     CurveClientOptions curve = {}) {
    auto sub = Subscriber::connect({endpoint, std::move(topics), true, curve});
    if (!sub) throw std::runtime_error(sub.error().message);
    return std::move(*sub);
}

TEST(Publisher, ResolvesAWildcardPortAndDeliversTwoFramesInOrder) {
    auto pub = bind_local();
    EXPECT_TRUE(pub.endpoint().starts_with("tcp://127.0.0.1:"));
    EXPECT_NE(pub.endpoint(), "tcp://127.0.0.1:*");
    auto sub = subscribe(pub.endpoint(), {"alert."});
    ASSERT_TRUE(wait_until_subscribed(pub, sub));
    for (int i = 1; i <= 3; ++i)
        ASSERT_TRUE(pub.send("alert.wl", "{\"v\":1,\"seq\":" + std::to_string(i) + "}"));
    for (int i = 1; i <= 3; ++i) {
        auto got = next_alert(sub);
        ASSERT_TRUE(got) << "alert " << i;
        EXPECT_EQ(got->topic, "alert.wl");
        EXPECT_EQ(got->body, "{\"v\":1,\"seq\":" + std::to_string(i) + "}");
    }
}

TEST(Publisher, SubscribersFilterByTopicPrefix) {
    auto pub = bind_local();
    auto sub = subscribe(pub.endpoint(), {"alert.china-"});
    ASSERT_TRUE(wait_until_subscribed(pub, sub));
    ASSERT_TRUE(pub.send("alert.tariffs", "t"));
    ASSERT_TRUE(pub.send("alert.china-russia", "c"));
    auto got = next_alert(sub);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->topic, "alert.china-russia");
}

TEST(Publisher, HeartbeatCarriesTheLastSeq) {
    EXPECT_EQ(heartbeat_body(0), R"({"v":1,"seq":0})");
    auto pub = bind_local();
    auto sub = subscribe(pub.endpoint(), {});
    ASSERT_TRUE(wait_until_subscribed(pub, sub));
    ASSERT_TRUE(pub.heartbeat(1234));
    auto got = sub.receive(5s);
    ASSERT_TRUE(got && *got);
    EXPECT_EQ((*got)->topic, "_hb");
    EXPECT_EQ((*got)->body, R"({"v":1,"seq":1234})");
}

TEST(Publisher, NeverBlocksOnASubscriberThatDoesNotRead) {
    PublisherOptions options;
    options.send_hwm = 10;
    auto pub = bind_local(options);
    auto sub = subscribe(pub.endpoint(), {""});
    ASSERT_TRUE(wait_until_subscribed(pub, sub));
    const std::string body(4096, 'x');
    // Far past both high-water marks: PUB drops instead of blocking or failing.
    for (int i = 0; i < 50'000; ++i) ASSERT_TRUE(pub.send("alert.wl", body));
}

TEST(Publisher, RefusesANonLoopbackBindWithoutCurve) {
    auto refused = Publisher::bind({"tcp://0.0.0.0:*"});
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("publish: refusing to bind endpoint tcp://0.0.0.0:*"),
              std::string::npos);
    PublisherOptions insecure{"tcp://0.0.0.0:*"};
    insecure.allow_insecure = true;
    EXPECT_TRUE(Publisher::bind(insecure));
}

TEST(Publisher, ABadEndpointFailsNamingIt) {
    auto r = Publisher::bind({"tcp://127.0.0.1:notaport"});
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().message.starts_with("publish: cannot bind tcp://127.0.0.1:notaport"));
}

TEST(Publisher, CurveAllowlistAdmitsKnownClientsAndLogsRefusedOnes) {
    const auto server = *generate_keypair();
    const auto allowed = *generate_keypair();
    const auto stranger = *generate_keypair();
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<PeerRefusal> refusals;

    PublisherOptions options{"tcp://127.0.0.1:*"};
    options.curve.secret_key = server.secret_key;
    options.curve.allowed_clients = std::vector<std::string>{allowed.public_key};
    options.curve.on_refused = [&](const PeerRefusal& r) {
        std::lock_guard lock(mutex);
        refusals.push_back(r);
        changed.notify_all();
    };
    auto pub = bind_local(options);
    auto good = subscribe(pub.endpoint(), {""}, {server.public_key, allowed});
    auto bad = subscribe(pub.endpoint(), {""}, {server.public_key, stranger});
    ASSERT_TRUE(wait_until_subscribed(pub, good));
    {
        std::unique_lock lock(mutex);
        ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return !refusals.empty(); }));
        EXPECT_EQ(refusals[0].socket, "pub");
        // The monitor reads the peer's address when it sees ACCEPTED; under load libzmq may have
        // closed a refused connection by then, and the address is reported unknown ("?").
        EXPECT_TRUE(refusals[0].address == "127.0.0.1" || refusals[0].address == "?") << refusals[0].address;
        EXPECT_EQ(refusals[0].client_key, stranger.public_key);
        EXPECT_EQ(refusals[0].reason, "client key not in curve_allowed_clients");
    }
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(pub.send("alert.wl", std::to_string(i)));
    for (int i = 0; i < 5; ++i) {
        auto got = next_alert(good);
        ASSERT_TRUE(got);
        EXPECT_EQ(got->body, std::to_string(i));
    }
    // The good client has everything sent after the refusal; the refused one has nothing.
    auto leaked = bad.receive(200ms);
    ASSERT_TRUE(leaked);
    EXPECT_FALSE(leaked->has_value());
}

// Clients that fail before ZAP is asked: the socket monitor reports them with the address
// noted when their connection was accepted.
// `reasons`: what the log may say; a slow machine can turn a mismatch into a broken pipe before
// libzmq reports the mechanism, and either way the peer is named and gets nothing.
void expect_refused_before_zap(CurveClientOptions client_curve, std::vector<std::string> reasons) {
    const auto server = *generate_keypair();
    const auto client = *generate_keypair();
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<PeerRefusal> refusals;
    PublisherOptions options{"tcp://127.0.0.1:*"};
    options.curve.secret_key = server.secret_key;
    options.curve.on_refused = [&](const PeerRefusal& r) {
        std::lock_guard lock(mutex);
        refusals.push_back(r);
        changed.notify_all();
    };
    auto pub = bind_local(options);
    auto good = subscribe(pub.endpoint(), {""}, {server.public_key, client});
    auto bad = subscribe(pub.endpoint(), {""}, client_curve);
    ASSERT_TRUE(wait_until_subscribed(pub, good));
    {
        std::unique_lock lock(mutex);
        ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return !refusals.empty(); }));
        EXPECT_EQ(refusals[0].socket, "pub");
        // The monitor reads the peer's address when it sees ACCEPTED; under load libzmq may have
        // closed a refused connection by then, and the address is reported unknown ("?").
        EXPECT_TRUE(refusals[0].address == "127.0.0.1" || refusals[0].address == "?") << refusals[0].address;
        EXPECT_TRUE(std::ranges::any_of(reasons, [&](const std::string& part) {
            return refusals[0].reason.find(part) != std::string::npos;
        })) << refusals[0].reason;
    }
    ASSERT_TRUE(pub.send("alert.wl", "secret"));
    ASSERT_TRUE(next_alert(good));
    auto leaked = bad.receive(200ms);
    ASSERT_TRUE(leaked);
    EXPECT_FALSE(leaked->has_value());
}

TEST(Publisher, APlaintextClientGetsNothingFromACurveServerAndIsLogged) {
    expect_refused_before_zap({}, {"mechanism mismatch", "handshake failed"});
}

TEST(Publisher, AClientWithTheWrongServerKeyGetsNothingAndIsLogged) {
    expect_refused_before_zap({generate_keypair()->public_key, *generate_keypair()},
                              {"wrong server key", "handshake failed: "});
}

}  // namespace
}  // namespace ww::publish
