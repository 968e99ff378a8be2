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

}  // namespace
}  // namespace ww::config
