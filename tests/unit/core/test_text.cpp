#include "core/text.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace ww {
namespace {

TEST(Utf8Prefix, NeverCutsInsideASequence) {
    const std::string s = "ab\xD0\x9A\xE4\xB8\xAD";  // "abК中"
    EXPECT_EQ(utf8_prefix(s, 2), "ab");
    EXPECT_EQ(utf8_prefix(s, 3), "ab");
    EXPECT_EQ(utf8_prefix(s, 4), "ab\xD0\x9A");
    EXPECT_EQ(utf8_prefix(s, 6), "ab\xD0\x9A");
    EXPECT_EQ(utf8_prefix(s, 7), s);
}

TEST(Utf8Sanitize, ReplacesInvalidBytes) {
    EXPECT_TRUE(utf8_valid("plain \xD0\x9A"));
    EXPECT_FALSE(utf8_valid("\xC0\xAF"));       // overlong
    EXPECT_FALSE(utf8_valid("\xED\xA0\x80"));   // surrogate
    EXPECT_FALSE(utf8_valid("\xE4\xB8"));       // truncated
    EXPECT_EQ(utf8_sanitize("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
    EXPECT_TRUE(utf8_valid(utf8_sanitize("\xE4\xB8\xFF\xC0")));
}

TEST(Fnv1a64, IsStableAndSeeded) {
    EXPECT_EQ(hex64(fnv1a64("")), "cbf29ce484222325");
    EXPECT_EQ(hex64(fnv1a64("a")), "af63dc4c8601ec8c");
    EXPECT_NE(fnv1a64("a", 1), fnv1a64("a"));
}

}  // namespace
}  // namespace ww

TEST(DidYouMean, EditDistanceCountsTranspositionsAsOne) {
    struct Case { const char* a; const char* b; std::size_t d; };
    for (const Case c : {Case{"publish", "publish", 0}, Case{"publsh", "publish", 1},
                         Case{"intervall", "interval", 1}, Case{"tilte", "title", 1},
                         Case{"", "abc", 3}, Case{"abc", "", 3}, Case{"kitten", "sitting", 3}})
        EXPECT_EQ(ww::edit_distance(c.a, c.b), c.d) << c.a << " / " << c.b;
}

TEST(DidYouMean, SuggestsOnlyLikelyTypos) {
    const std::vector<std::string> keys{"publish", "daemon", "fetch", "feed", "http"};
    EXPECT_EQ(ww::closest("publsh", keys), "publish");
    EXPECT_EQ(ww::closest("deamon", keys), "daemon");
    EXPECT_EQ(ww::closest("fed", keys), "feed");
    EXPECT_EQ(ww::closest("htp", keys), "http");
    EXPECT_EQ(ww::closest("zzz", keys), "");        // nothing close
    EXPECT_EQ(ww::closest("fetcher", keys), "fetch");  // 2 edits: a typo for a word of 5+ letters
    EXPECT_EQ(ww::closest("hp", keys), "");            // ...but not for one of up to 4
    EXPECT_EQ(ww::did_you_mean("publsh", keys), " (did you mean \"publish\"?)");
    EXPECT_EQ(ww::did_you_mean("zzz", keys), "");
}
