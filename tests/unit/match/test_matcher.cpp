#include "match/matcher.h"

#include <gtest/gtest.h>

namespace ww::match {
namespace {

std::vector<Hit> run(std::string query, const ItemView& item) {
    const std::vector<Watchlist> w{{"w", std::move(query), {}, true}};
    auto built = build_index(w);
    EXPECT_TRUE(built.errors.empty());
    return built.index->match(item);
}

TEST(Matcher, AllBareWordsAcrossFields) {
    ItemView item;
    item.summary = "China and Russia will expand joint drills";
    item.content = "talks covered regional security";
    auto hits = run("China Russia security", item);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].watchlist, "w");
    EXPECT_EQ(hits[0].explanation.terms, (std::vector<std::string>{"china", "russia", "security"}));
    EXPECT_EQ(hits[0].explanation.fields, (std::vector<std::string>{"summary", "content"}));
    EXPECT_NE(hits[0].explanation.snippet.find("China"), std::string::npos);
}

TEST(Matcher, MissingWordDoesNotMatch) {
    ItemView item;
    item.title = "Russia's Security Council meets on Ukraine";
    EXPECT_TRUE(run("China Russia security", item).empty());
}

}  // namespace
}  // namespace ww::match
