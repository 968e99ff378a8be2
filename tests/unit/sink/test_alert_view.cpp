#include "sink/alert_view.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ww::sink {
namespace {

std::string_view sv(ww_str s) { return {s.data, s.size}; }

TEST(AlertView, DecodesEveryFieldAsBorrowedStrings) {
    nlohmann::json j = {
        {"v", 1}, {"seq", 9}, {"alert_id", "abc"}, {"detected_at", "2026-11-27T14:05:00Z"},
        {"watchlist", {{"name", "w"}, {"query", "q"}}},
        {"feed", {{"id", 1}, {"title", "Feed"}, {"url", "https://f"}}},
        {"item", {{"key", "k"}, {"title", "Китай"}, {"link", "https://l"}, {"published", "2026-11-27T13:00:00Z"},
                  {"authors", {"A", "B"}}, {"categories", {"c"}}, {"summary", "s"}, {"language", "ru"}}},
        {"match", {{"terms", {"китай"}}, {"fields", {"title"}}, {"snippet", "sn"}}},
    };
    const OfferedAlert offered{9, "alert.w", j.dump()};
    auto v = make_alert_view(offered);
    ASSERT_TRUE(v.has_value()) << v.error().message;
    const ww_alert& c = (*v)->c;
    EXPECT_EQ(c.struct_size, sizeof(ww_alert));
    EXPECT_EQ(c.seq, 9);
    EXPECT_EQ(sv(c.topic), "alert.w");
    EXPECT_EQ(sv(c.envelope), offered.envelope);
    EXPECT_EQ(sv(c.alert_id), "abc");
    EXPECT_EQ(sv(c.title), "Китай");
    EXPECT_EQ(sv(c.published), "2026-11-27T13:00:00Z");
    EXPECT_EQ(sv(c.detected_at), "2026-11-27T14:05:00Z");
    EXPECT_EQ(sv(c.feed_title), "Feed");
    EXPECT_EQ(sv(c.snippet), "sn");
    ASSERT_EQ(c.authors_count, 2u);
    EXPECT_EQ(sv(c.authors[1]), "B");
    ASSERT_EQ(c.terms_count, 1u);
    EXPECT_EQ(sv(c.terms[0]), "китай");
}

TEST(AlertView, RejectsBadEnvelopesAndMismatchedSeq) {
    auto bad = make_alert_view({3, "alert.w", "not json"});
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("seq=3"), std::string::npos) << bad.error().message;
    nlohmann::json j = {{"v", 1}, {"seq", 4}, {"watchlist", {{"name", "w"}}}, {"feed", nlohmann::json::object()},
                        {"item", nlohmann::json::object()}};
    auto mismatch = make_alert_view({3, "alert.w", j.dump()});
    ASSERT_FALSE(mismatch.has_value());
    EXPECT_NE(mismatch.error().message.find("seq=4"), std::string::npos) << mismatch.error().message;
}

}  // namespace
}  // namespace ww::sink
