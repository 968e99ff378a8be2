#include "publish/replay_server.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <zmq.hpp>

#include "outbox.h"
#include "publish/subscriber.h"

namespace ww::publish {
namespace {

using namespace std::chrono_literals;
using testing::must;
using testing::Outbox;

ReplayClient client_for(const std::string& endpoint, CurveClientOptions curve = {},
                        std::chrono::milliseconds timeout = 10s) {
    return must(ReplayClient::connect({endpoint, curve, timeout}));
}

std::vector<std::int64_t> seqs(const ReplayPage& page) {
    std::vector<std::int64_t> out;
    for (const auto& a : page.alerts) out.push_back(a.seq);
    return out;
}

// Frames exactly as a raw DEALER sees them, to check the wire format itself.
std::vector<std::string> raw_exchange(const std::string& endpoint, std::vector<std::string> request) {
    zmq::context_t context;
    zmq::socket_t dealer(context, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::linger, 0);
    dealer.connect(endpoint);
    for (std::size_t i = 0; i < request.size(); ++i)
        dealer.send(zmq::buffer(request[i]),
                    i + 1 < request.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
    std::vector<std::string> reply;
    zmq::pollitem_t item{dealer.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, 10s) <= 0) return reply;
    for (;;) {
        zmq::message_t frame;
        (void)dealer.recv(frame);
        reply.push_back(frame.to_string());
        if (!frame.more()) break;
    }
    return reply;
}

TEST(ReplayServer, AnswersInBatchesWithMoreThenDone) {
    Outbox outbox(1000);
    outbox.record(2000, "wl", false);
    auto client = client_for(outbox.replay_endpoint());
    auto first = must(client.request(0, ""));
    ASSERT_EQ(first.alerts.size(), 1000u);
    EXPECT_EQ(first.alerts.front().seq, 1);
    EXPECT_EQ(first.alerts.back().seq, 1000);
    EXPECT_EQ(first.alerts.front().topic, "alert.wl");
    EXPECT_EQ(first.end_seq, 1000);
    EXPECT_TRUE(first.more);
    // Exactly at the boundary: the last page says done, with no empty extra round trip.
    auto second = must(client.request(first.end_seq, ""));
    EXPECT_EQ(second.alerts.size(), 1000u);
    EXPECT_EQ(second.end_seq, 2000);
    EXPECT_FALSE(second.more);
    auto none = must(client.request(2000, ""));
    EXPECT_TRUE(none.alerts.empty());
    EXPECT_EQ(none.end_seq, 2000);  // the requested seq when nothing was sent
    EXPECT_FALSE(none.more);
}

TEST(ReplayServer, FiltersByTopicPrefix) {
    Outbox outbox;
    outbox.record(2, "china-russia", false);
    outbox.record(3, "tariffs", false);
    outbox.record(1, "china-trade", false);
    auto client = client_for(outbox.replay_endpoint());
    EXPECT_EQ(seqs(must(client.request(0, "alert.china-"))), (std::vector<std::int64_t>{1, 2, 6}));
    EXPECT_EQ(seqs(must(client.request(2, "alert.tariffs"))), (std::vector<std::int64_t>{3, 4, 5}));
    auto none = must(client.request(3, "alert.nothing"));
    EXPECT_TRUE(none.alerts.empty());
    EXPECT_EQ(none.end_seq, 3);
}

TEST(ReplayServer, WireFormatIsThreeFramesPerMessage) {
    Outbox outbox;
    outbox.record(1, "wl", false);
    // The first reply message of a raw DEALER exchange is the ALERT.
    auto alert = raw_exchange(outbox.replay_endpoint(), {"REPLAY", "0", "alert."});
    ASSERT_EQ(alert.size(), 3u);
    EXPECT_EQ(alert[0], "ALERT");
    EXPECT_EQ(alert[1], "alert.wl");
    EXPECT_TRUE(alert[2].starts_with("{"));
    auto end = raw_exchange(outbox.replay_endpoint(), {"REPLAY", "1", ""});
    EXPECT_EQ(end, (std::vector<std::string>{"END", "1", "done"}));
}

TEST(ReplayServer, MalformedRequestsGetAnError) {
    Outbox outbox;
    const std::vector<std::vector<std::string>> bad = {
        {"HELLO"}, {"REPLAY", "1"}, {"REPLAY", "x", ""}, {"REPLAY", "1", "", "extra"}};
    for (const auto& request : bad) {
        auto reply = raw_exchange(outbox.replay_endpoint(), request);
        ASSERT_EQ(reply.size(), 2u) << request[0];
        EXPECT_EQ(reply[0], "ERROR");
        EXPECT_FALSE(reply[1].empty());
    }
    // The server keeps serving after bad requests.
    EXPECT_TRUE(client_for(outbox.replay_endpoint()).request(0, ""));
}

TEST(ReplayServer, PrunedAlertsGiveAClearErrorWithTheEarliestSeqKept) {
    Outbox outbox;
    outbox.record(3, "wl", false);
    must(outbox.store().prune_alerts(now_seconds() + std::chrono::seconds(1)));
    outbox.record(2, "wl", false);
    auto client = client_for(outbox.replay_endpoint());
    auto pruned = client.request(0, "");
    ASSERT_FALSE(pruned);
    EXPECT_EQ(pruned.error().kind, "pruned");
    EXPECT_NE(pruned.error().message.find("earliest seq kept is 4"), std::string::npos)
        << pruned.error().message;
    EXPECT_EQ(seqs(must(client.request(3, ""))), (std::vector<std::int64_t>{4, 5}));
}

TEST(ReplayServer, ACursorAheadOfTheLogIsAnError) {
    Outbox outbox;
    outbox.record(2, "wl", false);
    auto ahead = client_for(outbox.replay_endpoint()).request(9, "");
    ASSERT_FALSE(ahead);
    EXPECT_NE(ahead.error().message.find("ahead last=2"), std::string::npos);
}

TEST(ReplayServer, ASourceFailureIsReportedNotFatal) {
    int calls = 0;
    auto server = must(ReplayServer::start({"tcp://127.0.0.1:*"},
                                           [&](std::int64_t, std::string_view, std::size_t) -> Result<ReplaySlice> {
                                               if (++calls == 1) return fail("store", "store: disk on fire");
                                               return ReplaySlice{1, 0, {}};
                                           }));
    auto client = client_for(server.endpoint());
    auto failed = client.request(0, "");
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().message.find("disk on fire"), std::string::npos);
    EXPECT_TRUE(client.request(0, ""));
    server.stop();
    server.stop();  // idempotent
}

TEST(ReplayServer, AClientThatStopsReadingDoesNotStallOthers) {
    Outbox outbox(10);
    outbox.record(100, "wl", false);
    zmq::context_t context;
    zmq::socket_t stalled(context, zmq::socket_type::dealer);
    stalled.set(zmq::sockopt::linger, 0);
    stalled.set(zmq::sockopt::rcvhwm, 1);
    stalled.set(zmq::sockopt::rcvbuf, 4096);
    stalled.connect(outbox.replay_endpoint());
    // Far more answers than the socket buffers and both queues hold; it never reads.
    for (int i = 0; i < 3000; ++i) {
        stalled.send(zmq::str_buffer("REPLAY"), zmq::send_flags::sndmore);
        stalled.send(zmq::str_buffer("0"), zmq::send_flags::sndmore);
        stalled.send(zmq::str_buffer(""), zmq::send_flags::none);
    }
    auto client = client_for(outbox.replay_endpoint(), {}, 20s);
    auto page = client.request(90, "");
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(seqs(*page), (std::vector<std::int64_t>{91, 92, 93, 94, 95, 96, 97, 98, 99, 100}));
}

TEST(ReplayServer, RefusesANonLoopbackBindWithoutCurve) {
    auto r = ReplayServer::start({"tcp://*:0"}, [](auto, auto, auto) -> Result<ReplaySlice> {
        return ReplaySlice{};
    });
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("replay_endpoint"), std::string::npos);
}

TEST(ReplayServer, CurveAllowlistAppliesToReplayToo) {
    const auto server_keys = must(generate_keypair());
    const auto allowed = must(generate_keypair());
    const auto stranger = must(generate_keypair());
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<PeerRefusal> refusals;
    CurveServerOptions curve{server_keys.secret_key, std::vector<std::string>{allowed.public_key},
                             [&](const PeerRefusal& r) {
                                 std::lock_guard lock(mutex);
                                 refusals.push_back(r);
                                 changed.notify_all();
                             }};
    Outbox outbox(1000, curve);
    outbox.record(3, "wl", false);
    auto good = client_for(outbox.replay_endpoint(), {server_keys.public_key, allowed});
    EXPECT_EQ(seqs(must(good.request(0, ""))), (std::vector<std::int64_t>{1, 2, 3}));
    auto bad = client_for(outbox.replay_endpoint(), {server_keys.public_key, stranger}, 500ms);
    auto refused = bad.request(0, "");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, "timeout");
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return !refusals.empty(); }));
    EXPECT_EQ(refusals[0].socket, "replay");
    EXPECT_EQ(refusals[0].client_key, stranger.public_key);
}

}  // namespace
}  // namespace ww::publish
