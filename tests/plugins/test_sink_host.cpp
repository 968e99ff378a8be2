// SinkHost with real plugin modules: routing by watchlist globs, cursors per sink, start-up
// errors, backpressure.
#include "sink/sink_host.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sink_harness.h"

namespace ww::test {
namespace {

using namespace std::chrono_literals;

sink::OfferedAlert alert(std::int64_t seq, const std::string& watchlist) {
    auto j = nlohmann::json::parse(reference_alert().envelope);
    j["seq"] = seq;
    j["watchlist"]["name"] = watchlist;
    return {seq, "alert." + watchlist, j.dump()};
}

sink::SinkSpec webhook(const std::string& name, const std::string& url, std::vector<std::string> globs = {}) {
    sink::SinkSpec s;
    s.name = name;
    s.plugin = "webhook";
    s.url = url;
    s.watchlists = std::move(globs);
    return s;
}

sink::HostServices services(std::shared_ptr<sink::Clock> clock = std::make_shared<FakeClock>()) {
    sink::HostServices s;
    s.plugin_dir = WW_PLUGIN_BUILD_DIR;
    s.http = curl_http();
    s.clock = std::move(clock);
    return s;
}

TEST(SinkHost, RoutesEachAlertToTheSinksWhoseGlobsMatch) {
    MockHttpServer server;
    MemoryCursorStore cursors;
    auto host = sink::SinkHost::start({webhook("china", server.url("/china"), {"china-*"}),
                                       webhook("all", server.url("/all"))},
                                      services(), cursors);
    ASSERT_TRUE(host.has_value()) << host.error().message;
    (*host)->offer(alert(1, "china-trade"));
    (*host)->offer(alert(2, "tariffs-eu"));
    (*host)->offer(alert(3, "china-security"));
    ASSERT_TRUE((*host)->find("china")->wait_for_cursor(3, 10s));
    ASSERT_TRUE((*host)->find("all")->wait_for_cursor(3, 10s));
    std::map<std::string, std::vector<std::string>> got;
    for (const auto& r : server.requests()) got[r.target].push_back(r.header("X-Wirewatch-Seq"));
    EXPECT_EQ(got["/china"], (std::vector<std::string>{"1", "3"}));
    EXPECT_EQ(got["/all"], (std::vector<std::string>{"1", "2", "3"}));
    EXPECT_EQ((*host)->lowest_cursor(), 3);
    const auto status = (*host)->status();
    ASSERT_EQ(status.size(), 2u);
    EXPECT_EQ(status[0].counters.skipped, 1u);
    EXPECT_EQ(status[0].counters.delivered, 2u);
}

TEST(SinkHost, ResumesEachSinkFromItsOwnCursor) {
    MockHttpServer server;
    MemoryCursorStore cursors;
    ASSERT_TRUE(cursors.save("ahead", 5).has_value());
    ASSERT_TRUE(cursors.save("behind", 2).has_value());
    auto host = sink::SinkHost::start({webhook("ahead", server.url("/a")), webhook("behind", server.url("/b"))},
                                      services(), cursors);
    ASSERT_TRUE(host.has_value()) << host.error().message;
    EXPECT_EQ((*host)->lowest_cursor(), 2);  // the bridge replays from here
    for (int seq = 3; seq <= 6; ++seq) (*host)->offer(alert(seq, "w"));
    ASSERT_TRUE((*host)->find("ahead")->wait_for_cursor(6, 10s));
    ASSERT_TRUE((*host)->find("behind")->wait_for_cursor(6, 10s));
    std::map<std::string, int> count;
    for (const auto& r : server.requests()) ++count[r.target];
    EXPECT_EQ(count["/a"], 1);
    EXPECT_EQ(count["/b"], 4);
    EXPECT_EQ(cursors.load("ahead").value(), 6);
}

TEST(SinkHost, StartUpErrorsNameTheSink) {
    MemoryCursorStore cursors;
    auto dup = sink::SinkHost::start({webhook("x", "http://127.0.0.1:1/"), webhook("x", "http://127.0.0.1:1/")},
                                     services(), cursors);
    ASSERT_FALSE(dup.has_value());
    EXPECT_NE(dup.error().message.find("two sinks are named \"x\""), std::string::npos) << dup.error().message;

    sink::SinkSpec bad;
    bad.name = "nourl";
    bad.plugin = "webhook";
    bad.options["token"] = "SECRET-VALUE-123";
    auto rejected = sink::SinkHost::start({bad}, services(), cursors);
    ASSERT_FALSE(rejected.has_value());
    const auto& m = rejected.error().message;
    EXPECT_NE(m.find("sink=nourl"), std::string::npos) << m;
    EXPECT_NE(m.find("webhook.so"), std::string::npos) << m;
    EXPECT_EQ(m.find("SECRET-VALUE-123"), std::string::npos) << m;
}

TEST(SinkHost, WaitForRoomReportsAFullQueue) {
    MockHttpServer server;
    server.set_default({503, {}, "down"});
    MemoryCursorStore cursors;
    auto spec = webhook("stuck", server.url("/s"));
    spec.options["retry_initial"] = "1h";  // the first alert parks in a real backoff
    auto host = sink::SinkHost::start({spec}, services(std::make_shared<sink::SteadyClock>()), cursors);
    ASSERT_TRUE(host.has_value()) << host.error().message;
    for (int seq = 1; seq <= 5; ++seq) (*host)->offer(alert(seq, "w"));
    ASSERT_TRUE(server.wait_for(1));
    EXPECT_FALSE((*host)->wait_for_room(1, 50ms));
    EXPECT_TRUE((*host)->wait_for_room(10, 50ms));
    (*host)->stop();  // interrupts the hour-long backoff
    EXPECT_EQ(cursors.load("stuck").value(), 0);
}

}  // namespace
}  // namespace ww::test
