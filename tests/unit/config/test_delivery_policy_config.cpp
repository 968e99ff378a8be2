// Delivery-policy keys: read into the watchlist and sink configs; every bad value is reported
// at its own file:line:column.
#include <gtest/gtest.h>

#include "config/config.h"

namespace ww::config {
namespace {

TEST(DeliveryPolicyConfig, ReadsCooldownDigestPriorityAndQuietHours) {
    auto c = load_string(R"(
[[watchlist]]
name = "tariffs"
query = "tariffs"
cooldown = "10m"
priority = "high"
[[watchlist]]
name = "china"
query = "china"
digest = "daily 08:00 Europe/Berlin"
[[sink]]
name = "night"
plugin = "webhook"
quiet_hours = "22:00-07:00 Europe/Berlin"
)", "p.toml");
    ASSERT_TRUE(c.has_value()) << to_string(c.error().front());
    EXPECT_EQ(c->watchlists[0].cooldown, std::chrono::seconds(600));
    EXPECT_EQ(c->watchlists[0].priority, Priority::high);
    EXPECT_FALSE(c->watchlists[0].digest.has_value());
    ASSERT_TRUE(c->watchlists[1].digest.has_value());
    EXPECT_EQ(c->watchlists[1].digest->zone, "Europe/Berlin");
    EXPECT_EQ(c->watchlists[1].digest->hour, 8);
    EXPECT_EQ(c->sinks[0].options.at("quiet_hours"), "22:00-07:00 Europe/Berlin");
}

TEST(DeliveryPolicyConfig, BadValuesNameTheirLine) {
    struct Case { const char* line; const char* where; const char* says; } cases[] = {
        {"cooldown = \"soon\"", "bad.toml:4:12", "cooldown"},
        {"cooldown = \"0s\"", "bad.toml:4:12", "at least 1s"},
        {"digest = \"weekly\"", "bad.toml:4:10", "digest must be"},
        {"digest = \"daily 08:00 Europe/Atlantis\"", "bad.toml:4:10", "Europe/Atlantis"},
        {"priority = \"urgent\"", "bad.toml:4:12", "priority must be"},
        {"quiet_hours = \"late\"", "bad.toml:4:1", "unknown key"},  // a sink key, not a watchlist's
    };
    for (const auto& c : cases) {
        const std::string text = std::string("[[watchlist]]\nname = \"w\"\nquery = \"q\"\n") + c.line + "\n";
        auto r = load_string(text, "bad.toml");
        ASSERT_FALSE(r.has_value()) << c.line;
        const auto message = to_string(r.error().front());
        EXPECT_TRUE(message.starts_with(c.where)) << message;
        EXPECT_NE(message.find(c.says), std::string::npos) << message;
    }
    auto both = load_string("[[watchlist]]\nname = \"w\"\nquery = \"q\"\ncooldown = \"5m\"\ndigest = \"hourly\"\n", "b.toml");
    ASSERT_FALSE(both.has_value());
    EXPECT_NE(to_string(both.error().front()).find("exclude each other"), std::string::npos);
    auto quiet = load_string("[[sink]]\nname = \"s\"\nplugin = \"webhook\"\nquiet_hours = \"22:00-07:00 Mars/Base\"\n", "s.toml");
    ASSERT_FALSE(quiet.has_value());
    EXPECT_TRUE(to_string(quiet.error().front()).starts_with("s.toml:4:15")) << to_string(quiet.error().front());
}

}  // namespace
}  // namespace ww::config
