#include "match/stemmer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace ww::match {
namespace {

TEST(Stemmer, LanguageOfTag) {
    EXPECT_EQ(std::string(stem_languages()[stem_language_of("en-GB")].code), "en");
    EXPECT_EQ(std::string(stem_languages()[stem_language_of("RU")].code), "ru");
    EXPECT_EQ(std::string(stem_languages()[stem_language_of("nb-NO")].code), "no");
    EXPECT_EQ(stem_language_of("zh-CN"), 0u);
    EXPECT_EQ(stem_language_of(""), 0u);
}

TEST(Stemmer, LanguageForTokenFollowsItemThenScript) {
    const auto en = stem_language_of("en"), de = stem_language_of("de"), ru = stem_language_of("ru");
    const auto pl = stem_language_of("pl");
    EXPECT_EQ(stem_language_for(Script::latin, de, true), de);
    EXPECT_EQ(stem_language_for(Script::cyrillic, de, true), ru);  // a Russian quote in German text
    EXPECT_EQ(stem_language_for(Script::latin, 0, false), en);     // guessed from the script
    EXPECT_EQ(stem_language_for(Script::latin, pl, true), 0u);     // Snowball has no Polish
    EXPECT_EQ(stem_language_for(Script::segmented, 0, false), 0u);
}

TEST(Stemmer, SnowballWithOverrides) {
    auto table = StemOverrides::load(WW_FIXTURES_DIR "/match/stem-overrides-small.tsv");
    ASSERT_TRUE(table.has_value()) << table.error().message;
    EXPECT_EQ(table->size(), 3u);
    const Stemming s(std::make_shared<const StemOverrides>(std::move(*table)));
    const auto ru = stem_language_of("ru"), en = stem_language_of("en");
    EXPECT_EQ(s.stem(ru, "китая"), "китай");
    EXPECT_EQ(s.stem(ru, "кит"), "кит");
    EXPECT_EQ(s.stem(ru, "санкции"), s.stem(ru, "санкций"));
    EXPECT_EQ(s.stem(en, "paris"), "paris");
    EXPECT_EQ(s.stem(en, "securities"), "secur");
    EXPECT_EQ(s.stem(0, "securities"), "securities");
}

TEST(Stemmer, WithoutOverrideSnowballMangles) {
    // Why the table exists: this must stay true, or the table entry is dead weight.
    const Stemming s(std::make_shared<const StemOverrides>(*StemOverrides::parse("", "none")));
    EXPECT_EQ(s.stem(stem_language_of("ru"), "китая"), "кит");
}

TEST(Stemmer, ShippedTableLoads) {
    auto table = StemOverrides::load(WW_SOURCE_DIR "/config/stem-overrides.tsv");
    ASSERT_TRUE(table.has_value()) << table.error().message;
    EXPECT_GT(table->size(), 50u);
    ASSERT_NE(table->find(stem_language_of("ru"), "китая"), nullptr);
}

TEST(Stemmer, BadTableNamesFileAndLine) {
    auto table = StemOverrides::load(WW_FIXTURES_DIR "/match/stem-overrides-bad.tsv");
    ASSERT_FALSE(table.has_value());
    EXPECT_NE(table.error().message.find("stem-overrides-bad.tsv:1: expected lang<TAB>stem<TAB>forms"),
              std::string::npos)
        << table.error().message;
    EXPECT_TRUE(table.error().message.starts_with("match: "));
    EXPECT_FALSE(StemOverrides::parse("xx\ta\tb\n", "t").has_value());
    EXPECT_FALSE(StemOverrides::load("/nonexistent/file.tsv").has_value());
}

TEST(Stemmer, QueryStemsCoverTheScriptsLanguages) {
    const Stemming s(nullptr);
    const auto stems = s.query_stems("security", Script::latin);
    EXPECT_EQ(stems.front(), (std::pair<std::size_t, std::string>{0, "security"}));
    EXPECT_NE(std::ranges::find(stems, std::pair<std::size_t, std::string>{stem_language_of("en"), "secur"}),
              stems.end());
    EXPECT_GT(stems.size(), 10u);
    const auto ru = s.query_stems("россия", Script::cyrillic);
    EXPECT_EQ(ru.size(), 2u);
}

// A daemon meets new words for ever (names, numbers): the per-thread cache starts afresh at its
// bound instead of growing with them, and stems stay right across the fresh start.
TEST(Stemmer, CacheIsBoundedAndStaysRight) {
    const Stemming s(nullptr);
    const auto en = stem_language_of("en");
    EXPECT_EQ(s.stem(en, "securities"), "secur");
    std::size_t most = 0;
    for (std::size_t i = 0; i < Stemming::kCacheWords + 1000; ++i) {
        EXPECT_EQ(s.stem(en, "x" + std::to_string(i)), "x" + std::to_string(i));
        most = std::max(most, Stemming::cached_on_this_thread());
    }
    EXPECT_LE(most, Stemming::kCacheWords);
    EXPECT_GE(most, Stemming::kCacheWords - 1);  // it does cache up to the bound
    EXPECT_LT(Stemming::cached_on_this_thread(), 2000u);  // and started afresh there
    EXPECT_EQ(s.stem(en, "securities"), "secur");
}

}  // namespace
}  // namespace ww::match
