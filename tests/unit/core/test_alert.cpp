#include "core/alert.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/time.h"

namespace ww {
namespace {

Alert sample() {
    Alert a;
    a.seq = 42;
    a.alert_id = make_alert_id("china-russia-security", "http://x/feed", "guid-1");
    a.detected_at = *parse_rfc3339("2026-11-27T14:05:00Z");
    a.watchlist = "china-russia-security";
    a.query = "China Russia security";
    a.feed = {7, "World", "http://x/feed"};
    a.item.key = "guid-1";
    a.item.title = "Россия и Китай";
    a.item.link = "http://x/1";
    a.item.published = parse_rfc3339("2026-11-27T13:00:00Z");
    a.item.categories = {"World"};
    a.item.summary = std::string(3000, 'x');
    a.match = {{"china", "russia"}, {"title"}, "…China…"};
    return a;
}

TEST(Envelope, HasTheVersion1Shape) {
    const auto j = nlohmann::json::parse(to_envelope_json(sample()));
    EXPECT_EQ(j["v"], 1);
    EXPECT_EQ(j["seq"], 42);
    EXPECT_EQ(j["watchlist"]["name"], "china-russia-security");
    EXPECT_EQ(j["feed"]["id"], 7);
    EXPECT_EQ(j["item"]["published"], "2026-11-27T13:00:00Z");
    EXPECT_EQ(j["item"]["summary"].get<std::string>().size(), kEnvelopeSummaryBytes);
    EXPECT_EQ(j["match"]["terms"].size(), 2u);
}

TEST(Envelope, RoundTrips) {
    const auto a = sample();
    auto back = parse_envelope(to_envelope_json(a));
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(back->seq, a.seq);
    EXPECT_EQ(back->alert_id, a.alert_id);
    EXPECT_EQ(back->item.title, a.item.title);
    EXPECT_EQ(back->item.published, a.item.published);
    EXPECT_EQ(back->match.snippet, a.match.snippet);
}

TEST(Envelope, SurvivesInvalidUtf8) {
    auto a = sample();
    a.item.title = "bad \xFF byte";
    const auto text = to_envelope_json(a);
    EXPECT_TRUE(nlohmann::json::accept(text));
}

TEST(Envelope, RejectsOtherVersionsAndGarbage) {
    EXPECT_FALSE(parse_envelope("not json").has_value());
    EXPECT_FALSE(parse_envelope(R"({"v":2,"seq":1})").has_value());
    EXPECT_FALSE(parse_envelope(R"({"v":1})").has_value());
}

TEST(AlertId, IsStableAndDistinct) {
    EXPECT_EQ(make_alert_id("w", "f", "k"), make_alert_id("w", "f", "k"));
    EXPECT_NE(make_alert_id("w", "f", "k"), make_alert_id("w", "f", "k2"));
    EXPECT_NE(make_alert_id("w", "fk", ""), make_alert_id("w", "f", "k"));
    EXPECT_EQ(make_alert_id("w", "f", "k").size(), 32u);
}

}  // namespace
}  // namespace ww
