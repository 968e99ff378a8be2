#include "story/sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "words.h"

namespace {

using ww::story::is_stopword;
using ww::story::Sketch;
using ww::story::sketch_from_hex;
using ww::story::sketch_of;
using ww::story::similarity;
using ww::story::testing::analysed_words;

std::vector<std::string> numbered(const std::string& prefix, int from, int to) {
    std::vector<std::string> out;
    for (int i = from; i < to; ++i) out.push_back(prefix + std::to_string(i));
    return out;
}

TEST(Sketch, IdenticalWordsGiveOne) {
    const auto words = numbered("w", 0, 30);
    EXPECT_DOUBLE_EQ(similarity(sketch_of(words, {}), sketch_of(words, {})), 1.0);
}

TEST(Sketch, OrderAndRepetitionDoNotMatter) {
    const std::vector<std::string> a{"lavrov", "beijing", "security", "wang"};
    const std::vector<std::string> b{"wang", "security", "beijing", "lavrov", "lavrov"};
    EXPECT_EQ(sketch_of(a, {}), sketch_of(b, {}));
}

TEST(Sketch, TitleAndTextWordsAreOneSet) {
    const std::vector<std::string> title{"lavrov", "beijing"};
    const std::vector<std::string> text{"security", "wang"};
    const std::vector<std::string> all{"lavrov", "beijing", "security", "wang"};
    EXPECT_EQ(sketch_of(title, text), sketch_of(all, {}));
}

TEST(Sketch, DisjointWordsGiveZero) {
    EXPECT_EQ(similarity(sketch_of(numbered("a", 0, 40), {}), sketch_of(numbered("b", 0, 40), {})), 0.0);
}

// Items up to kSketchWords content words are sketched whole: the measures are exact.
TEST(Sketch, MeasuresAreExactForShortItems) {
    for (const int shared : {0, 10, 20, 30, 40}) {
        // |A| = 50, |B| = 45, |A n B| = shared
        auto a = numbered("s", 0, shared);
        auto b = a;
        for (const auto& w : numbered("a", 0, 50 - shared)) a.push_back(w);
        for (const auto& w : numbered("b", 0, 45 - shared)) b.push_back(w);
        const auto sa = sketch_of(a, {}, {.max_text_words = 0});
        const auto sb = sketch_of(b, {}, {.max_text_words = 0});
        EXPECT_EQ(ww::story::shared_words(sa, sb), static_cast<std::size_t>(shared));
        EXPECT_DOUBLE_EQ(similarity(sa, sb), static_cast<double>(shared) / (95 - shared));
        EXPECT_DOUBLE_EQ(ww::story::overlap(sa, sb), static_cast<double>(shared) / 45);
    }
}

// A long text keeps the kSketchWords smallest hashes: a headline contained in it is still
// mostly found when it has been sampled the same way.
TEST(Sketch, LongTextsAreSampledBottomK) {
    const auto long_words = numbered("x", 0, 300);
    const auto s = sketch_of(long_words, {}, {.max_text_words = 0});
    EXPECT_EQ(s.words.size(), ww::story::kSketchWords);
    EXPECT_EQ(s.features, 300);
    EXPECT_TRUE(std::is_sorted(s.words.begin(), s.words.end()));
    EXPECT_DOUBLE_EQ(similarity(s, s), 1.0);
}

TEST(Sketch, StopwordsAreIgnored) {
    const std::vector<std::string> a{"the", "lavrov", "in", "beijing", "и", "的"};
    const std::vector<std::string> b{"lavrov", "beijing"};
    EXPECT_EQ(sketch_of(a, {}), sketch_of(b, {}));
    EXPECT_EQ(sketch_of(a, {}).features, 2);
    EXPECT_EQ(sketch_of(a, {}).words.size(), 2u);
    EXPECT_TRUE(is_stopword("the"));
    EXPECT_TRUE(is_stopword("что"));
    EXPECT_FALSE(is_stopword("china"));
    EXPECT_FALSE(is_stopword("us"));  // the country survives
}

TEST(Sketch, TextIsCutAtMaxTextWords) {
    const auto title = numbered("t", 0, 5);
    auto text = numbered("x", 0, 10);
    const auto cut = sketch_of(title, text, {.max_text_words = 10});
    for (const auto& w : numbered("y", 0, 50)) text.push_back(w);
    EXPECT_EQ(sketch_of(title, text, {.max_text_words = 10}), cut);
    EXPECT_NE(sketch_of(title, text, {.max_text_words = 60}), cut);
}

TEST(Sketch, EmptyComparesAsZero) {
    const Sketch empty = sketch_of({}, {});
    EXPECT_EQ(empty.features, 0);
    EXPECT_EQ(similarity(empty, empty), 0.0);
    EXPECT_EQ(similarity(empty, sketch_of(numbered("a", 0, 5), {})), 0.0);
}

TEST(Sketch, HexRoundTrip) {
    const auto s = sketch_of(numbered("w", 0, 25), {});
    const auto hex = ww::story::to_hex(s);
    EXPECT_EQ(hex.size(), 4 + 25 * 8u);
    const auto back = sketch_from_hex(hex);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, s);
    EXPECT_FALSE(sketch_from_hex(hex.substr(1)).has_value());
    auto bad = hex;
    bad[3] = 'g';
    EXPECT_FALSE(sketch_from_hex(bad).has_value());
    // Words out of order were not written by to_hex.
    EXPECT_FALSE(sketch_from_hex("0002" "00000002" "00000001").has_value());
    EXPECT_TRUE(sketch_from_hex("0002" "00000001" "00000002").has_value());
    EXPECT_EQ(sketch_from_hex("0000")->features, 0);
}

// Sketches are stored: a change of hash, seed or stopword list breaks every stored sketch.
// This pins the values; change it only together with a migration that recomputes them.
TEST(Sketch, ValuesAreStableAcrossReleases) {
    const auto s = sketch_of(std::vector<std::string>{"lavrov", "beijing", "security", "cooperation"}, {});
    EXPECT_EQ(ww::story::to_hex(s).substr(0, 16), "00040b36963d5991");
}

// The analyzer makes inflected Russian and unspaced Chinese comparable.
TEST(Sketch, AnalysedWordsAcrossLanguages) {
    const auto ru_a = analysed_words("Россия и Китай договорились углублять сотрудничество в сфере безопасности", "ru");
    const auto ru_b = analysed_words("России и Китаю предложено углубить сотрудничество по безопасности", "ru");
    EXPECT_GT(similarity(sketch_of(ru_a, {}), sketch_of(ru_b, {})), 0.3);
    const auto zh = analysed_words("俄罗斯和中国同意深化安全合作", "zh");
    EXPECT_GE(zh.size(), 4u);
    const auto en = analysed_words("Russia and China agree to deepen security co-operation", "en");
    const auto en2 = analysed_words("Russia, China agreed deeper security cooperation", "en");
    EXPECT_GT(similarity(sketch_of(en, {}), sketch_of(en2, {})), 0.6);
}

}  // namespace

namespace ww::story {
namespace {

TEST(Sketch, WithoutWordsDropsThemAndTheirCount) {
    const std::vector<std::string> item{"china", "russia", "secur", "arctic", "pact", "warn"};
    const std::vector<std::string> query{"china", "russia", "secur", "absent"};
    const auto s = sketch_of(item, {});
    const auto w = without_words(s, sketch_of(query, {}));
    EXPECT_EQ(w.words.size(), 3u);
    EXPECT_EQ(w.features, 3);
    EXPECT_EQ(shared_words(w, sketch_of(query, {})), 0u);
    EXPECT_EQ(without_words(s, Sketch{}), s);
}

}  // namespace
}  // namespace ww::story
