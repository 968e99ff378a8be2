// The lexicon: what it derives from the Debian data, and how the reviewed table is read.
#include "match/lexicon.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <string>

#include "match/analyzer.h"

namespace ww::match {
namespace {

bool have_debian_data() {
    return std::filesystem::exists("/usr/share/wordnet/data.noun") &&
           std::filesystem::exists("/usr/share/hunspell/en_GB.dic");
}

const Lexicon& shipped() {
    static const auto lex = [] {
        auto l = Lexicon::load(Lexicon::default_sources());
        EXPECT_TRUE(l.has_value()) << (l ? "" : l.error().message);
        return l ? *l : Lexicon::empty();
    }();
    return *lex;
}

std::string entity_of(std::string_view word) {
    const auto* f = shipped().by_word(word);
    return f == nullptr ? "" : shipped().entity_key(f->entity);
}

TEST(Lexicon, NamesAdjectivesPeoplesAndOtherLanguages) {
    if (!have_debian_data()) GTEST_SKIP() << "wordnet-base or hunspell-en-gb not installed";
    EXPECT_EQ(entity_of("chinese"), "CN");       // WordNet pertainym
    EXPECT_EQ(entity_of("britain"), "GB");       // WordNet synset / table
    EXPECT_EQ(entity_of("britons"), "GB");       // table
    EXPECT_EQ(entity_of("russland"), "RU");      // ICU, German
    EXPECT_EQ(entity_of("россия"), "RU");        // ICU, Russian
    EXPECT_EQ(entity_of("nato"), "NATO");        // table
    EXPECT_EQ(entity_of("soviet"), "");          // the Soviet Union is not Russia
    // Inflected: by the stem in the language (России).
    const auto* f = shipped().by_stem(stem_language_of("ru"), Stemming(nullptr).stem(stem_language_of("ru"), "россии"));
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(shipped().entity_key(f->entity), "RU");
}

TEST(Lexicon, CommonNounsAndAcronymWordsAreDerived) {
    if (!have_debian_data()) GTEST_SKIP() << "wordnet-base or hunspell-en-us not installed";
    // China the porcelain, turkey the bird, guinea the coin: from WordNet's lower-case lemmas.
    for (const char* w : {"china", "turkey", "guinea", "chad"}) {
        ASSERT_NE(shipped().by_word(w), nullptr) << w;
        EXPECT_TRUE(shipped().by_word(w)->flags & kProperOnly) << w;
    }
    for (const char* w : {"russia", "germany", "japanese"}) {
        ASSERT_NE(shipped().by_word(w), nullptr) << w;
        EXPECT_EQ(shipped().by_word(w)->flags & (kProperOnly | kCapitalsOnly), 0) << w;
    }
    // US and WHO are words too (us, who): capitals only. NATO is not.
    EXPECT_TRUE(shipped().by_word("us")->flags & kCapitalsOnly);
    EXPECT_TRUE(shipped().by_word("who")->flags & kCapitalsOnly);
    EXPECT_FALSE(shipped().by_word("nato")->flags & kCapitalsOnly);
    EXPECT_TRUE(shipped().by_word("sino")->flags & kCombining);
}

TEST(Lexicon, IrregularFormsAndSpellings) {
    if (!have_debian_data()) GTEST_SKIP() << "wordnet-base or hunspell not installed";
    EXPECT_EQ(shipped().lemma("struck"), "strike");
    EXPECT_EQ(shipped().lemma("mice"), "mouse");
    EXPECT_EQ(shipped().lemma("children"), "child");
    EXPECT_EQ(shipped().lemma("women"), "woman");  // WordNet's -men rule
    EXPECT_EQ(shipped().item_lemma("strikes", "strike"), "strike");  // by its stem
    // As a query, a form that is a noun or verb of its own keeps its meaning: left, shot.
    EXPECT_EQ(shipped().query_lemma("children"), "child");
    EXPECT_EQ(shipped().query_lemma("left"), "");
    EXPECT_EQ(shipped().query_lemma("shot"), "");
    // "leaves" is mostly leave's: not leaf's.
    EXPECT_EQ(shipped().lemma("leaves"), "");
    const Stemming plain(nullptr);
    const auto en = stem_language_of("en");
    for (const auto& [gb, us] : {std::pair{"colour", "color"}, {"defence", "defense"}, {"centre", "center"},
                                 {"programme", "program"}, {"organise", "organize"}, {"analyse", "analyze"},
                                 {"catalogue", "catalog"}}) {
        EXPECT_EQ(shipped().american_stem(plain.stem(en, gb)), plain.stem(en, us)) << gb;
    }
    EXPECT_GT(shipped().spelling_count(), 300U) << "derived from the word lists, not a hand list";
    std::printf("spellings=%zu lemmas=%zu forms=%zu entities=%zu\n", shipped().spelling_count(), shipped().lemma_count(),
                shipped().form_count(), shipped().entity_count());
    // Items and queries meet through the stemmer.
    const Stemming with(nullptr, Lexicon::load(Lexicon::default_sources()).value());
    EXPECT_EQ(with.stem(en, "colours"), with.stem(en, "color"));
    EXPECT_EQ(with.stem(en, "organised"), with.stem(en, "organize"));  // -ise from the -ize lists
}

TEST(Lexicon, BadTableLineNamesFileAndLine) {
    const auto path = std::filesystem::temp_directory_path() / ("ww-entities-" + std::to_string(::getpid()) + ".tsv");
    {
        std::ofstream out(path);
        out << "# comment\nUN\tUnited Nations\tUN|U.N.\nEU\tEuropean Union\n";
    }
    Lexicon::Sources s{"", "", "", path.string(), false};
    auto lex = Lexicon::load(s);
    std::filesystem::remove(path);
    ASSERT_FALSE(lex.has_value());
    EXPECT_EQ(lex.error().message, "match: " + path.string() + ":3: expected key<TAB>name<TAB>form|form|...");
}

TEST(Lexicon, TableAloneWithoutDebianData) {
    const auto path = std::filesystem::temp_directory_path() / ("ww-entities-ok-" + std::to_string(::getpid()) + ".tsv");
    {
        std::ofstream out(path);
        out << "UN\tUnited Nations\tUN|U.N.\n";
    }
    auto lex = Lexicon::load({"", "", "", path.string(), false});
    std::filesystem::remove(path);
    ASSERT_TRUE(lex.has_value()) << lex.error().message;
    ASSERT_NE((*lex)->by_word("un"), nullptr);
    EXPECT_TRUE((*lex)->by_word("un")->flags & kCapitalsOnly);  // three letters or fewer
    ASSERT_EQ((*lex)->names_starting("united").size(), 1U);
    EXPECT_EQ((*lex)->names_starting("united")[0].rest, std::vector<std::string>{"nations"});
}

}  // namespace
}  // namespace ww::match
