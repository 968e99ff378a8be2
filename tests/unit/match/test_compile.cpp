#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "match/engine.h"

namespace ww::match {
namespace {

// anchors_of as a table: which terms of a query are enough to find it.
struct AnchorCase {
    const char* query;
    std::vector<std::string> anchors;  // exact or stem terms; empty = verified for every item
};

CNode compiled(const char* query, TermDictionary& dict) {
    const Stemming stemming(nullptr);
    auto q = parse_query(query);
    EXPECT_TRUE(q.has_value()) << query;
    auto c = compile(*q, dict, stemming);
    EXPECT_TRUE(c.has_value()) << query;
    return c ? std::move(*c) : CNode{};
}

std::vector<std::string> anchor_terms(const char* query) {
    TermDictionary dict;
    const auto c = compiled(query, dict);
    const auto a = anchors_of(c, dict);
    std::vector<std::string> out;
    if (!a) return out;
    for (const auto id : a->ids) out.push_back(dict.term(id));
    std::ranges::sort(out);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

TEST(Compile, AnchorsOf) {
    const std::vector<AnchorCase> cases{
        {"\"the sanctions\"", {"sanctions"}},
        {"\"Putin\" NEAR/5 \"Xi\"", {"putin"}},
        {"\"Georgia\" -Atlanta", {"georgia"}},
        {"\"a\" OR \"bb\"", {"a", "bb"}},
        {"\"the\" \"kremlin\"", {"kremlin"}},
        {"\"x\" OR -\"y\"", {}},
        {"site:dw.com \"a\"", {"dw.com"}},
        {"sanct*", {"sanct"}},
    };
    for (const auto& c : cases) EXPECT_EQ(anchor_terms(c.query), c.anchors) << c.query;
}

TEST(Compile, BareWordAnchorsOnEveryStem) {
    const auto a = anchor_terms("securities");
    EXPECT_NE(std::ranges::find(a, "secur"), a.end());
    EXPECT_NE(std::ranges::find(a, "securities"), a.end());
}

TEST(Compile, Rarity) {
    EXPECT_EQ(term_rarity("the"), 0);
    EXPECT_GT(term_rarity("kremlin"), term_rarity("xi"));
    EXPECT_GT(term_rarity("关税"), term_rarity("xi"));
}

struct CompileErrorCase {
    const char* query;
    int column;
    const char* message;
};

TEST(Compile, Errors) {
    const std::vector<CompileErrorCase> cases{
        {"-sport", 1, "the query has no positive term (only exclusions): add a word to look for"},
        {"NOT a -b", 1, "the query has no positive term (only exclusions): add a word to look for"},
        {"a &", 3, "& has no letters or digits to match"},
        {"ab*", 1, "a prefix needs at least 3 letters before \"*\""},
        {"(a b) NEAR c", 2, "NEAR joins words, phrases or OR groups of them, not AND, NOT or site:"},
        {"a ONEAR (b -c)", 10, "ONEAR joins words, phrases or OR groups of them, not AND, NOT or site:"},
    };
    for (const auto& c : cases) {
        TermDictionary dict;
        const Stemming stemming(nullptr);
        auto q = parse_query(c.query);
        ASSERT_TRUE(q.has_value()) << c.query;
        auto r = compile(*q, dict, stemming);
        ASSERT_FALSE(r.has_value()) << c.query;
        EXPECT_EQ(r.error().column, c.column) << c.query;
        EXPECT_EQ(r.error().message, c.message) << c.query;
    }
}

// Measured frequencies override the length guess: "government" is long but in every item,
// "xi" short but rare, and a function word never anchors when another term is required.
std::vector<std::string> measured_anchor(const char* query, const TermFrequencies& f) {
    TermDictionary dict;
    dict.frequencies = &f;
    const auto required = required_of(compiled(query, dict), dict);
    std::vector<std::string> out;
    if (required.empty()) return out;
    for (const auto id : required[0].ids) out.push_back(dict.term(id));
    std::ranges::sort(out);
    return out;
}

TEST(Compile, AnchorsByMeasuredFrequency) {
    TermFrequencies f;
    const std::vector<std::string> texts{
        "The government said on Monday", "A government spokesman and the minister",
        "The government met Xi in Beijing", "Officials of the government and the regulators"};
    for (const auto& text : texts) f.add(ItemView{.title = text, .language = "en"});
    EXPECT_EQ(f.items(), 4u);
    EXPECT_EQ(f.count(Ns::exact, "government"), 4u);
    EXPECT_EQ(f.count(Ns::exact, "xi"), 1u);
    EXPECT_EQ(f.count(Ns::exact, "absent"), 0u);

    const struct {
        const char* query;
        std::vector<std::string> anchor;
    } cases[] = {
        {"\"government\" \"xi\"", {"xi"}},
        {"\"the\" \"beijing\"", {"beijing"}},
        {"\"government\" OR \"minister\"", {"government", "minister"}},
        {"\"the\" \"government\" \"unseen\"", {"unseen"}},
    };
    for (const auto& c : cases) EXPECT_EQ(measured_anchor(c.query, f), c.anchor) << c.query;
    // Without counts, the length guess picks the long word.
    TermDictionary dict;
    const auto q = compiled("\"government\" \"xi\"", dict);
    EXPECT_EQ(dict.term(required_of(q, dict)[0].ids[0]), "government");
}

// The per-thread word cache of Occurrences is bounded: items bringing new words for ever (the
// daemon's lot) restart it at Occurrences::kCacheWords, and terms are still found after that.
TEST(Occurrences, WordCacheIsBoundedAndStillFindsTerms) {
    TermDictionary dict;
    const Stemming stemming(nullptr);
    const auto tariff = dict.intern(Ns::stem, stemming.stem(stem_language_of("en"), "tariffs"));
    constexpr std::size_t kWordsPerItem = 1000;
    Occurrences occ;
    AnalyzedItem item;
    std::size_t most = 0;
    for (std::size_t n = 0; n * kWordsPerItem < Occurrences::kCacheWords + 3 * kWordsPerItem; ++n) {
        std::string title = "tariffs";
        for (std::size_t k = 0; k < kWordsPerItem; ++k) title += " w" + std::to_string(n * kWordsPerItem + k);
        analyze_item(ItemView{.title = title, .language = "en"}, false, item);
        occ.build(item, dict, stemming);
        ASSERT_TRUE(occ.present(tariff)) << "item " << n;
        most = std::max(most, occ.cached_words());
    }
    EXPECT_LE(most, Occurrences::kCacheWords + kWordsPerItem + 1);
    EXPECT_GE(most, Occurrences::kCacheWords);
    EXPECT_LT(occ.cached_words(), Occurrences::kCacheWords);  // it started afresh
}

}  // namespace
}  // namespace ww::match
