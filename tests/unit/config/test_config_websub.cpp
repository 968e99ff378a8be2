#include <gtest/gtest.h>

#include "config/config.h"

namespace ww::config {
namespace {

TEST(ConfigWebSub, ReadsTheSectionAndItsDefaults) {
    auto defaults = load_string("", "t.toml");
    ASSERT_TRUE(defaults);
    EXPECT_EQ(defaults->websub.callback_base, "");
    EXPECT_EQ(defaults->websub.listen, "127.0.0.1:9109");
    EXPECT_EQ(defaults->websub.lease, std::chrono::seconds(10 * 86400));
    auto c = load_string(R"(
[websub]
callback_base = "https://news.example/websub"
listen = "127.0.0.1:7001"
lease = "2d"
)", "t.toml");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->websub.callback_base, "https://news.example/websub");
    EXPECT_EQ(c->websub.listen, "127.0.0.1:7001");
    EXPECT_EQ(c->websub.lease, std::chrono::seconds(2 * 86400));
}

TEST(ConfigWebSub, RejectsWhatCannotWork) {
    struct Case {
        const char* text;
        const char* message;
    };
    const Case cases[] = {
        {"[websub]\ncallback_base = \"ftp://x/\"\n", "callback_base must be an http or https URL"},
        {"[websub]\nlease = \"10s\"\n", "lease must be at least 1m"},
        {"[websub]\nlease = \"soon\"\n", "lease"},
        {"[websub]\nsecret = \"x\"\n", "unknown key \"secret\" in [websub]"},
    };
    for (const auto& c : cases) {
        auto r = load_string(c.text, "t.toml");
        ASSERT_FALSE(r) << c.text;
        ASSERT_FALSE(r.error().empty());
        EXPECT_NE(to_string(r.error()[0]).find(c.message), std::string::npos) << to_string(r.error()[0]);
    }
}

// Issue 16's keys: [http] allowed_hosts and connection limits, the per-feed cleartext-hub flag.
TEST(ConfigNetwork, HostsLimitsAndTheCleartextHubFlag) {
    auto defaults = load_string("[[feed]]\nurl = \"https://a.example/\"\n", "t.toml");
    ASSERT_TRUE(defaults);
    EXPECT_TRUE(defaults->http.allowed_hosts.empty());
    EXPECT_EQ(defaults->http.max_connections, 64u);
    EXPECT_EQ(defaults->http.max_connections_per_peer, 32u);
    EXPECT_FALSE(defaults->feeds[0].websub_allow_insecure_secret);
    auto c = load_string(R"(
[http]
allowed_hosts = ["metrics.example.org", "proxy:8443"]
max_connections = 200
max_connections_per_peer = 10
[[feed]]
url = "https://a.example/"
websub_allow_insecure_secret = true
)", "t.toml");
    ASSERT_TRUE(c) << to_string(c.error()[0]);
    EXPECT_EQ(c->http.allowed_hosts, (std::vector<std::string>{"metrics.example.org", "proxy:8443"}));
    EXPECT_EQ(c->http.max_connections, 200u);
    EXPECT_EQ(c->http.max_connections_per_peer, 10u);
    EXPECT_TRUE(c->feeds[0].websub_allow_insecure_secret);
    for (const char* bad : {"[http]\nallowed_hosts = [\"a b\"]\n", "[http]\nallowed_hosts = [\"\"]\n",
                            "[http]\nallowed_hosts = [\"http://x/\"]\n", "[http]\nmax_connections = 0\n",
                            "[http]\nmax_connections_per_peer = 0\n"}) {
        auto r = load_string(bad, "t.toml");
        ASSERT_FALSE(r) << bad;
        EXPECT_NE(to_string(r.error()[0]).find("t.toml:"), std::string::npos) << to_string(r.error()[0]);
    }
}

}  // namespace
}  // namespace ww::config
