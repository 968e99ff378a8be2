#include "story/sketch.h"

#include <gtest/gtest.h>

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

TEST(Sketch, DisjointWordsGiveAboutZero) {
    EXPECT_LT(similarity(sketch_of(numbered("a", 0, 40), {}), sketch_of(numbered("b", 0, 40), {})), 0.05);
}

// b-bit MinHash estimates Jaccard: check it against the exact value on sets of known overlap.
TEST(Sketch, EstimatesJaccard) {
    for (const int shared : {10, 20, 30, 40}) {
        // |A| = |B| = 50, |A n B| = shared, J = shared / (100 - shared)
        auto a = numbered("s", 0, shared);
        auto b = a;
        for (const auto& w : numbered("a", 0, 50 - shared)) a.push_back(w);
        for (const auto& w : numbered("b", 0, 50 - shared)) b.push_back(w);
        const double exact = static_cast<double>(shared) / (100 - shared);
        EXPECT_NEAR(similarity(sketch_of(a, {}), sketch_of(b, {})), exact, 0.12) << "shared=" << shared;
    }
}

TEST(Sketch, StopwordsAreIgnored) {
    const std::vector<std::string> a{"the", "lavrov", "in", "beijing", "и", "的"};
    const std::vector<std::string> b{"lavrov", "beijing"};
    EXPECT_EQ(sketch_of(a, {}), sketch_of(b, {}));
    EXPECT_EQ(sketch_of(a, {}).features, 2);
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
    EXPECT_EQ(hex.size(), (ww::story::kSketchSlots + 1) * 4);
    const auto back = sketch_from_hex(hex);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, s);
    EXPECT_FALSE(sketch_from_hex(hex.substr(1)).has_value());
    auto bad = hex;
    bad[3] = 'g';
    EXPECT_FALSE(sketch_from_hex(bad).has_value());
}

// Sketches are stored: a change of hash, seed or stopword list breaks every stored sketch.
// This pins the values; change it only together with a migration that recomputes them.
TEST(Sketch, ValuesAreStableAcrossReleases) {
    const auto s = sketch_of(std::vector<std::string>{"lavrov", "beijing", "security", "cooperation"}, {});
    EXPECT_EQ(ww::story::to_hex(s).substr(0, 16), "0b360b36957bf34d");
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
