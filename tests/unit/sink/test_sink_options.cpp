#include "sink/sink_options.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace ww::sink {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("ww-sink-opts-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
};

bool has_secret(const ResolvedSink& r, std::string_view s) { return std::ranges::find(r.secrets, s) != r.secrets.end(); }

TEST(ResolveSink, HostKeysAreTakenOutAndTheRestPassedOn) {
    SinkSpec s{"news", "slack", "", {"china-*"},
               {{"retry_initial", "500ms"}, {"retry_max", "1m"}, {"max_attempts", "5"}, {"jitter", "0"},
                {"min_interval", "1s"}, {"timeout", "3s"}, {"channel", "#news"}, {"url", "https://hooks/x/TOKEN"}},
               "bridge.toml:3:1"};
    auto r = resolve_sink(s, {});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->plugin, "slack");
    EXPECT_EQ(r->policy.initial, 500ms);
    EXPECT_EQ(r->policy.max, 60'000ms);
    EXPECT_EQ(r->policy.max_attempts, 5u);
    EXPECT_EQ(r->policy.jitter, 0.0);
    EXPECT_EQ(r->policy.min_interval, 1000ms);
    EXPECT_EQ(r->policy.timeout, 3000ms);
    EXPECT_EQ(r->plugin_options, (std::vector<std::pair<std::string, std::string>>{
                                     {"channel", "#news"}, {"url", "https://hooks/x/TOKEN"}}));
    EXPECT_TRUE(has_secret(*r, "https://hooks/x/TOKEN"));
    EXPECT_EQ(r->watchlists, std::vector<std::string>{"china-*"});
}

TEST(ResolveSink, FileKeysAndCredentialsAreReadAndSecret) {
    TempDir dir;
    std::ofstream(dir.path / "token") << "file-token-123\n";
    fs::create_directories(dir.path / "creds");
    std::ofstream(dir.path / "creds" / "tg") << "cred-token-456";
    SinkSpec s{"tg", "telegram", "", {},
               {{"bot_token_file", "credential:tg"}, {"secret_file", (dir.path / "token").string()}}, ""};
    auto r = resolve_sink(s, dir.path / "creds");
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->plugin_options, (std::vector<std::pair<std::string, std::string>>{
                                     {"bot_token", "cred-token-456"}, {"secret", "file-token-123"}}));
    EXPECT_TRUE(has_secret(*r, "cred-token-456"));
    EXPECT_TRUE(has_secret(*r, "file-token-123"));
}

TEST(ResolveSink, AppriseUrlSetsThePlugin) {
    SinkSpec s{"d", "", "discord://42/SECRET-TOKEN", {}, {{"username", "ww"}}, ""};
    auto r = resolve_sink(s, {});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->plugin, "discord");
    EXPECT_TRUE(has_secret(*r, "SECRET-TOKEN"));
    EXPECT_EQ(r->plugin_options.size(), 2u);
}

TEST(ResolveSink, ErrorsNameTheSinkAndKeyButNoSecret) {
    struct Case {
        SinkSpec spec;
        const char* needle;
    } cases[] = {
        {{"a", "slack", "", {}, {{"retry_max", "soon"}}, "f.toml:1:1"}, "retry_max"},
        {{"b", "slack", "", {}, {{"max_attempts", "-1"}}, ""}, "max_attempts"},
        {{"c", "slack", "", {}, {{"token_file", "/nonexistent/SECRETX"}}, ""}, "token_file"},
        {{"d", "", "", {}, {}, ""}, "needs a plugin or a url"},
        {{"e", "telegram", "slack://A/B/SECRETX", {}, {}, ""}, "plugin"},
        {{"f", "", "tgram://SECRETX", {}, {}, ""}, "tgram://BotToken/ChatID"},
    };
    for (const auto& c : cases) {
        auto r = resolve_sink(c.spec, "/nonexistent-creds");
        ASSERT_FALSE(r.has_value()) << c.spec.name;
        EXPECT_NE(r.error().message.find(c.needle), std::string::npos) << r.error().message;
        EXPECT_NE(r.error().message.find("sink=" + c.spec.name), std::string::npos) << r.error().message;
        EXPECT_EQ(r.error().message.find("SECRETX.") , std::string::npos);
    }
}

}  // namespace
}  // namespace ww::sink
