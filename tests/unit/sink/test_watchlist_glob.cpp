#include "sink/watchlist_glob.h"

#include <gtest/gtest.h>

namespace ww::sink {
namespace {

TEST(GlobMatch, Table) {
    struct Case {
        const char* pattern;
        const char* name;
        bool want;
    } cases[] = {
        {"china-*", "china-trade", true},  {"china-*", "china-", true},
        {"china-*", "chinatown", false},   {"*-trade", "china-trade", true},
        {"*", "anything", true},           {"*", "", true},
        {"tariffs-?", "tariffs-1", true},  {"tariffs-?", "tariffs-12", false},
        {"a*b*c", "axxbyyc", true},        {"a*b*c", "axxbyy", false},
        {"exact", "exact", true},          {"exact", "exactly", false},
        {"**x", "yx", true},               {"", "", true},
        {"", "x", false},
    };
    for (const auto& c : cases) EXPECT_EQ(glob_match(c.pattern, c.name), c.want) << c.pattern << " vs " << c.name;
}

TEST(RoutesTo, EmptyMeansAllAndAnyGlobSuffices) {
    EXPECT_TRUE(routes_to({}, "whatever"));
    EXPECT_TRUE(routes_to({"china-*", "tariffs-*"}, "tariffs-eu"));
    EXPECT_FALSE(routes_to({"china-*", "tariffs-*"}, "sport"));
}

TEST(WatchlistOfTopic, StripsThePrefix) {
    EXPECT_EQ(watchlist_of_topic("alert.china-trade"), "china-trade");
    EXPECT_EQ(watchlist_of_topic("digest.china-trade"), "china-trade");
    EXPECT_EQ(watchlist_of_topic("_hb"), "_hb");
}

}  // namespace
}  // namespace ww::sink
