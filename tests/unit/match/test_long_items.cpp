// Long items: phrase and NEAR verification must cost about the item's length, not the product
// of its words' counts, and an item is read up to kMaxFieldBytes per field. ctest runs this
// with a TIMEOUT of a few seconds (tests/unit/match/CMakeLists.txt): the quadratic version
// took minutes on this item, so the timeout is a hang guard, not a timing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "match/engine.h"
#include "match/matcher.h"

namespace ww::match {
namespace {

// "clean" and "energy" thousands of times, never within one word of each other, so that
// every phrase and NEAR/1 below has to look at all of them and fails.
std::string dense_text(std::size_t bytes) {
    std::string s;
    s.reserve(bytes + 64);
    s += "tariffs opening ";
    while (s.size() < bytes) s += "clean a b energy c d ";
    return s;
}

TEST(LongItems, PhrasesAndNearOverThousandsOfOccurrencesFinish) {
    std::vector<Watchlist> w;
    const std::vector<std::string> shapes{"tariffs \"clean energy\"", "\"clean energy\"~1", "clean NEAR/1 energy",
                                          "clean ONEAR/1 energy", "energy ONEAR/1 clean",
                                          "(clean OR cleaner) NEAR/1 (energy OR power)",
                                          "\"clean energy\" NEAR/3 opening"};
    for (int i = 0; i < 49; ++i)
        w.push_back({"q" + std::to_string(i), shapes[static_cast<std::size_t>(i) % shapes.size()] +
                                                  (i >= 7 ? " -zz" + std::to_string(i) : ""), {}, true});
    w.push_back({"found", "tariffs NEAR/1 opening", {}, true});
    auto built = build_index(w);
    ASSERT_TRUE(built.errors.empty()) << built.errors[0].message;
    const std::string content = dense_text(kMaxFieldBytes - 100);
    ItemView item;
    item.content = content;
    const auto hits = built.index->match(item);
    ASSERT_EQ(hits.size(), 1U);
    EXPECT_EQ(hits[0].watchlist, "found");
}

TEST(LongItems, TextBeyondTheCapIsNotRead) {
    const std::vector<Watchlist> w{{"head", "tariffs", {}, true}, {"tail", "zebrafish", {}, true}};
    auto built = build_index(w);
    std::string content = dense_text(2 * 1024 * 1024);
    content += " zebrafish";
    ItemView item;
    item.content = content;
    const auto hits = built.index->match(item);
    ASSERT_EQ(hits.size(), 1U);
    EXPECT_EQ(hits[0].watchlist, "head");
    // The same word inside the cap is found.
    std::string short_content = dense_text(1000) + " zebrafish";
    item.content = short_content;
    EXPECT_EQ(built.index->match(item).size(), 2U);
}

}  // namespace
}  // namespace ww::match
