#include "match/analyzer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ww::match {
namespace {

struct Tok {
    std::string word;
    std::uint32_t pos, end, block;
    bool operator==(const Tok&) const = default;
};

std::vector<Tok> toks(std::string_view text) {
    std::vector<Token> out;
    TokenCursor cur;
    tokenize(text, Field::content, cur, out);
    std::vector<Tok> r;
    for (const auto& t : out) r.push_back({t.word, t.pos, t.end, t.block});
    return r;
}

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> r;
    for (const auto& t : toks(text)) r.push_back(t.word);
    return r;
}

struct FoldCase {
    const char* in;
    const char* out;
};

TEST(Analyzer, FoldWord) {
    const std::vector<FoldCase> cases{
        {"Security", "security"}, {"Zürich", "zurich"},   {"ÉLYSÉE", "elysee"},
        {"Αθήνα", "αθηνα"},       {"Ёлка", "елка"},       {"Йемен", "йемен"},
        {"ＡＢＣ", "abc"},        {"Straße", "strasse"},  {"中国", "中国"},
    };
    for (const auto& c : cases) EXPECT_EQ(fold_word(c.in), c.out) << c.in;
}

TEST(Analyzer, HyphenGivesPartsAndJoinedWord) {
    EXPECT_EQ(toks("closer co-operation in"),
              (std::vector<Tok>{{"closer", 0, 0, 0}, {"co", 1, 1, 0}, {"cooperation", 1, 2, 0},
                                {"operation", 2, 2, 0}, {"in", 3, 3, 0}}));
}

TEST(Analyzer, PossessiveDroppedOtherApostrophesJoin) {
    EXPECT_EQ(words("Xi’s visit"), (std::vector<std::string>{"xi", "visit"}));
    EXPECT_EQ(words("Russia's"), (std::vector<std::string>{"russia"}));
    EXPECT_EQ(words("d'Italia"), (std::vector<std::string>{"d", "ditalia", "italia"}));
}

TEST(Analyzer, DottedAcronymKeepsSurface) {
    std::vector<Token> out;
    TokenCursor cur;
    tokenize("The U.S. and e.g. AT&T", Field::title, cur, out);
    ASSERT_EQ(out.size(), 5u);
    EXPECT_EQ(out[1].word, "us");
    EXPECT_EQ(out[1].surface, "US");
    EXPECT_EQ(out[2].word, "and");
    EXPECT_EQ(out[3].word, "eg");
    EXPECT_EQ(out[4].word, "at&t");
}

TEST(Analyzer, OtherDotsAndPunctuationSeparate) {
    EXPECT_EQ(words("end.Next 3.5 950,000"), (std::vector<std::string>{"end", "next", "3", "5", "950", "000"}));
}

TEST(Analyzer, NewlineStartsABlock) {
    EXPECT_EQ(toks("China\nRussia"), (std::vector<Tok>{{"china", 0, 0, 0}, {"russia", 1, 1, 1}}));
}

TEST(Analyzer, ChineseIsSegmentedIntoWords) {
    const auto w = words("中国和俄罗斯举行联合军演");
    EXPECT_NE(std::find(w.begin(), w.end(), "中国"), w.end());
    EXPECT_NE(std::find(w.begin(), w.end(), "俄罗斯"), w.end());
    EXPECT_GT(w.size(), 3u);
}

TEST(Analyzer, MixedScriptsSplitAtChinese) {
    EXPECT_EQ(words("EV中国"), (std::vector<std::string>{"ev", "中国"}));
}

TEST(Analyzer, StripMarkup) {
    EXPECT_EQ(strip_markup("<p>Talks stalled with China</p><p>Russia</p>"), "\nTalks stalled with China\n\nRussia\n");
    EXPECT_EQ(strip_markup("AT&amp;T &#233;t&#xE9; a &lt; b &bogus; <b>bold</b>"), "AT&T été a < b &bogus;  bold ");
    EXPECT_EQ(strip_markup("a < b && c"), "a < b && c");
    EXPECT_TRUE(has_markup("x &amp; y"));
    EXPECT_FALSE(has_markup("plain text"));
}

TEST(Analyzer, InvalidUtf8IsSkippedNotFatal) {
    EXPECT_EQ(words("ab\xff\xfe cd"), (std::vector<std::string>{"ab", "cd"}));
}

}  // namespace
}  // namespace ww::match
