#include "config/config.h"

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <gtest/gtest.h>

namespace ww::config {
namespace {

std::string joined(const std::vector<Problem>& problems) {
    std::string s;
    for (const auto& p : problems) s += to_string(p) + "\n";
    return s;
}

TEST(Config, ReadsTheContractKeys) {
    auto c = load_string(R"(
[daemon]
state_dir = "/tmp/ww"
log_level = "debug"
[publish]
endpoint = "tcp://127.0.0.1:6000"
[[feed]]
url = "https://example.org/world.rss"
name = "Example World"
interval = "10m"
[[feed]]
url = "https://example.org/other.rss"
[[watchlist]]
name = "china-russia-security"
query = "China Russia security"
)", "t.toml");
    ASSERT_TRUE(c.has_value()) << joined(c.error());
    EXPECT_EQ(c->daemon.state_dir, "/tmp/ww");
    EXPECT_EQ(c->daemon.log_level, "debug");
    EXPECT_EQ(c->publish.endpoint, "tcp://127.0.0.1:6000");
    ASSERT_EQ(c->feeds.size(), 2u);
    EXPECT_EQ(c->feeds[0].name, "Example World");
    EXPECT_EQ(c->feeds[0].interval, std::chrono::seconds(600));
    EXPECT_FALSE(c->feeds[1].interval.has_value());  // auto
    EXPECT_EQ(c->feeds[1].name, c->feeds[1].url);
    ASSERT_EQ(c->watchlists.size(), 1u);
    EXPECT_EQ(c->watchlists[0].query, "China Russia security");
    EXPECT_EQ(c->watchlists[0].where.line, 13);  // the [[watchlist]] header
}

struct BadCase {
    const char* name;
    const char* text;
    int line;
    int column;
    const char* says;
};

class ConfigErrors : public testing::TestWithParam<BadCase> {};

TEST_P(ConfigErrors, NameFileLineAndColumn) {
    const auto& c = GetParam();
    auto r = load_string(c.text, "bad.toml");
    ASSERT_FALSE(r.has_value());
    const auto& p = r.error().front();
    EXPECT_EQ(p.where.file, "bad.toml");
    EXPECT_EQ(p.where.line, c.line) << joined(r.error());
    EXPECT_EQ(p.where.column, c.column) << joined(r.error());
    EXPECT_NE(p.message.find(c.says), std::string::npos) << joined(r.error());
}

INSTANTIATE_TEST_SUITE_P(
    Table, ConfigErrors,
    testing::Values(
        BadCase{"unknown_key", "[daemon]\nstate_dir = \"/x\"\nlogg_level = \"info\"\n", 3, 1, "unknown key \"logg_level\""},
        BadCase{"wrong_type", "[publish]\nendpoint = 5556\n", 2, 12, "endpoint must be a string"},
        BadCase{"bad_duration", "[[feed]]\nurl = \"http://a/\"\ninterval = \"10 minutes\"\n", 3, 12, "interval"},
        BadCase{"duplicate_watchlist",
                "[[watchlist]]\nname = \"a\"\nquery = \"x\"\n[[watchlist]]\nname = \"a\"\nquery = \"y\"\n", 4, 1,
                "already defined at bad.toml:1"},
        BadCase{"bad_name", "[[watchlist]]\nname = \"China\"\nquery = \"x\"\n", 2, 8, "[a-z0-9-]+"},
        BadCase{"duplicate_feed", "[[feed]]\nurl = \"http://a/\"\n[[feed]]\nurl = \"http://a/\"\n", 3, 1, "already defined"},
        BadCase{"toml_syntax", "[daemon]\nstate_dir = \n", 2, 13, ""},
        BadCase{"feed_scheme", "[[feed]]\nurl = \"ftp://a/\"\n", 2, 7, "http:// or https://"},
        BadCase{"feed_items_zero", "[http]\nfeed_items = 0\n", 2, 14, "feed_items must be between 1 and 1000"},
        BadCase{"feed_items_text", "[http]\nfeed_items = \"50\"\n", 2, 14, "feed_items must be an integer"},
        BadCase{"unknown_section", "[deamon]\nx = 1\n", 1, 2, "unknown key \"deamon\""},
        BadCase{"feed_not_array", "[feed]\nurl = \"http://a/\"\n", 1, 1, "[[feed]]"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Config, FeedItemsOfTheFeedsOfAlerts) {
    EXPECT_EQ(load_string("", "d.toml")->http.feed_items, 50u);
    auto c = load_string("[http]\nfeed_items = 7\n", "f.toml");
    ASSERT_TRUE(c.has_value()) << joined(c.error());
    EXPECT_EQ(c->http.feed_items, 7u);
}

TEST(Config, ReportsEveryProblemNotJustTheFirst) {
    auto r = load_string("[daemon]\nbogus = 1\n[[watchlist]]\nname = \"A B\"\nquery = \"\"\n", "m.toml");
    ASSERT_FALSE(r.has_value());
    EXPECT_GE(r.error().size(), 3u) << joined(r.error());
}

TEST(Config, ReadsDropInsBesideTheFile) {
    const auto dir = std::filesystem::temp_directory_path() / ("ww-config-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "watchlists.d");
    std::filesystem::create_directories(dir / "feeds.d");
    std::ofstream(dir / "main.toml") << "[daemon]\nstate_dir = \"state\"\n";
    std::ofstream(dir / "watchlists.d" / "10-a.toml") << "[[watchlist]]\nname = \"a\"\nquery = \"x\"\n";
    std::ofstream(dir / "feeds.d" / "f.toml") << "[[feed]]\nurl = \"http://h/f\"\n";
    std::ofstream(dir / "watchlists.d" / "20-bad.toml") << "[[watchlist]]\nname = \"a\"\nquery = \"y\"\n";
    auto r = load(dir / "main.toml");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(joined(r.error()).find("20-bad.toml:1:1: watchlist \"a\" is already defined at"),
              std::string::npos)
        << joined(r.error());
    std::filesystem::remove(dir / "watchlists.d" / "20-bad.toml");
    r = load(dir / "main.toml");
    ASSERT_TRUE(r.has_value()) << joined(r.error());
    EXPECT_EQ(r->watchlists.size(), 1u);
    EXPECT_EQ(r->feeds.size(), 1u);
    EXPECT_EQ(r->daemon.state_dir, dir / "state");  // relative to the config file
    std::filesystem::remove_all(dir);
}

TEST(Config, SinkKeepsPluginOptions) {
    auto r = load_string("[[sink]]\nname = \"team\"\nplugin = \"slack\"\nwebhook_url_file = \"/run/x\"\nretries = 3\n"
                         "watchlists = [\"china-*\"]\n", "s.toml");
    ASSERT_TRUE(r.has_value()) << joined(r.error());
    ASSERT_EQ(r->sinks.size(), 1u);
    EXPECT_EQ(r->sinks[0].options.at("webhook_url_file"), "/run/x");
    EXPECT_EQ(r->sinks[0].options.at("retries"), "3");
    EXPECT_EQ(r->sinks[0].watchlists, std::vector<std::string>{"china-*"});
}

TEST(Config, SinkArrayOfStringsIsPassedJoinedByCommas) {
    auto r = load_string("[[sink]]\nname = \"desk\"\nplugin = \"email\"\n"
                         "to = [\"desk@example.org\", \"Night <night@example.org>\"]\n", "s.toml");
    ASSERT_TRUE(r.has_value()) << joined(r.error());
    EXPECT_EQ(r->sinks[0].options.at("to"), "desk@example.org, Night <night@example.org>");
    // An element with a comma would come back as two values; anything but strings has no text form.
    for (const char* bad : {"to = [\"a@example.org, b@example.org\"]", "to = [1, 2]", "to = [[\"a\"]]"}) {
        auto e = load_string(std::string("[[sink]]\nname = \"desk\"\nplugin = \"email\"\n") + bad + "\n", "s.toml");
        ASSERT_FALSE(e.has_value()) << bad;
        EXPECT_NE(joined(e.error()).find("s.toml:4"), std::string::npos) << joined(e.error());
        EXPECT_NE(joined(e.error()).find("to: each element must be a string without a comma"), std::string::npos)
            << joined(e.error());
    }
}

}  // namespace
}  // namespace ww::config

namespace ww::config {
namespace {

std::string first_problem(std::string_view text) {
    auto r = load_string(text, "typo.toml");
    if (r.has_value() || r.error().empty()) return "(loaded)";
    return to_string(r.error().front());
}

TEST(ConfigHints, UnknownKeysGetTheClosestKnownOne) {
    EXPECT_EQ(first_problem("[publsh]\nendpoint = \"tcp://127.0.0.1:1\"\n"),
              "typo.toml:1:2: unknown key \"publsh\" at the top level (did you mean \"publish\"?)");
    EXPECT_EQ(first_problem("[[feed]]\nurl = \"https://example.org/a.rss\"\nintervall = \"5m\"\n"),
              "typo.toml:3:1: unknown key \"intervall\" in [[feed]] (did you mean \"interval\"?)");
    // Nothing close: no guess.
    EXPECT_EQ(first_problem("[daemon]\nzzzzzz = 1\n"), "typo.toml:2:1: unknown key \"zzzzzz\" in [daemon]");
}

TEST(ConfigHints, AnUnquotedDurationSaysToQuoteIt) {
    const std::string p = first_problem("[[feed]]\nurl = \"https://example.org/a.rss\"\ninterval = 5m\n");
    EXPECT_NE(p.find("typo.toml:3:"), std::string::npos) << p;
    EXPECT_NE(p.find("(durations are strings: write interval = \"5m\")"), std::string::npos) << p;
    // Another syntax error gets no such hint.
    const std::string q = first_problem("[[feed]]\nurl = https://example.org\n");
    EXPECT_EQ(q.find("durations"), std::string::npos) << q;
}

}  // namespace
}  // namespace ww::config

namespace ww::config {
namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path() / ("ww-bridge-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / name;
    std::ofstream(file) << text;
    return file;
}

TEST(BridgeConfig, IsReadLikeTheDaemonsSinks) {
    const auto file = write_temp("bridge.toml", "[bridge]\nendpoint = \"tcp://127.0.0.1:6000\"\nstate_dir = \"cursors\"\n"
                                                "[[sink]]\nname = \"desk\"\nplugin = \"email\"\nto = [\"a@x.org\", \"b@x.org\"]\n"
                                                "watchlists = [\"china-*\"]\n");
    auto c = load_bridge(file);
    ASSERT_TRUE(c.has_value()) << joined(c.error());
    EXPECT_EQ(c->endpoint, "tcp://127.0.0.1:6000");
    EXPECT_EQ(c->state_dir, file.parent_path() / "cursors");  // relative to the file, as the daemon's
    ASSERT_EQ(c->sinks.size(), 1u);
    EXPECT_EQ(c->sinks[0].options.at("to"), "a@x.org, b@x.org");  // arrays as the daemon passes them
    EXPECT_EQ(c->sinks[0].watchlists, std::vector<std::string>{"china-*"});
    std::filesystem::remove_all(file.parent_path());
}

TEST(BridgeConfig, MistakesNameTheirLineAndTheClosestKey) {
    const auto file = write_temp("bad.toml", "[bridge]\nendpont = \"tcp://127.0.0.1:6000\"\n[sinks]\n");
    auto c = load_bridge(file);
    ASSERT_FALSE(c.has_value());
    const auto text = joined(c.error());
    EXPECT_NE(text.find("bad.toml:2:1: unknown key \"endpont\" in [bridge] (did you mean \"endpoint\"?)"),
              std::string::npos) << text;
    EXPECT_NE(text.find("unknown key \"sinks\""), std::string::npos) << text;
    EXPECT_NE(text.find("(did you mean \"sink\"?)"), std::string::npos) << text;
    const auto empty = write_temp("empty.toml", "[bridge]\nlog_level = \"info\"\n");
    auto e = load_bridge(empty);
    ASSERT_FALSE(e.has_value());
    EXPECT_NE(joined(e.error()).find("no [[sink]] table: nothing to deliver to"), std::string::npos);
    std::filesystem::remove_all(file.parent_path());
}

}  // namespace
}  // namespace ww::config
