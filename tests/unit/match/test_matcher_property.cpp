// Property: the anchor index finds exactly what checking every watchlist finds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "match/engine.h"
#include "match/frequencies.h"
#include "match/lexicon.h"
#include "match/matcher.h"

namespace ww::match {
namespace {

// A small vocabulary so that random items and queries meet often: inflections, hyphens,
// possessives, diacritics, acronyms, Cyrillic and Chinese.
const std::vector<std::string> kWords{
    "tariffs", "tariff", "security", "securities", "China", "Russia", "Russia's", "Xi", "Xi’s",
    "Putin", "co-operation", "cooperation", "Zürich", "Zurich", "U.S.", "US", "us", "energy",
    "clean", "clean-energy", "sanctions", "sanctioned", "Arctic", "talks", "Georgia", "Atlanta",
    "России", "Россия", "Китай", "Китая", "санкции", "中国", "俄罗斯", "电动汽车", "关税", "AT&T",
    "the", "and", "of", "fined", "fine", "Kremlin", "vote", "voters",
    // The lexicon's expansions (issue 15): adjectives and peoples, names of several words,
    // capitalised names that are common nouns, acronyms that are words, combining forms,
    // other languages, irregular forms and British spellings.
    "Chinese", "china", "CHINA", "Russian", "Russians", "Russland", "Britons", "UK", "U.K.", "Britain",
    "United Kingdom", "WHO", "who", "World Health Organization", "Sino-Japanese", "Japanese", "Japan's",
    "struck", "strike", "mice", "mouse", "colour", "color", "defence", "defense"};
const std::vector<std::string> kHosts{"https://www.bbc.co.uk/x", "https://dw.com/a", "http://news.example.org/",
                                      ""};

class Gen {
public:
    explicit Gen(unsigned seed) : rng_(seed) {}
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
    bool chance(int percent) { return pick(100) < percent; }

    std::string word() { return kWords[static_cast<std::size_t>(pick(static_cast<int>(kWords.size())))]; }

    std::string text(int max_words) {
        std::string s;
        const int n = pick(max_words + 1);
        for (int i = 0; i < n; ++i) {
            if (i > 0) s += chance(8) ? "\n" : chance(10) ? ", " : " ";
            s += word();
        }
        return s;
    }

    std::string atom(int depth) {
        const int k = pick(100);
        if (k < 45) return word();
        if (k < 55) return "\"" + word() + " " + word() + "\"" + (chance(30) ? "~" + std::to_string(pick(3)) : "");
        if (k < 60) {
            static const std::vector<std::string> prefixes{"sanct*", "tarif*", "secur*", "coop*", "Росс*", "vot*"};
            return prefixes[static_cast<std::size_t>(pick(static_cast<int>(prefixes.size())))];
        }
        if (k < 70) {
            static const std::vector<std::string> fields{"title:", "summary:", "content:", "text:", "category:",
                                                         "author:", "case:"};
            return fields[static_cast<std::size_t>(pick(static_cast<int>(fields.size())))] +
                   (depth < 2 && chance(30) ? "(" + query(depth + 1) + ")" : word());
        }
        if (k < 73) {
            static const std::vector<std::string> sites{"site:bbc.co.uk", "site:dw.com", "site:example.org",
                                                        "site:co.uk"};
            return sites[static_cast<std::size_t>(pick(static_cast<int>(sites.size())))];
        }
        if (depth < 2) return "(" + query(depth + 1) + ")";
        return word();
    }

    std::string near_operand() {
        if (chance(20)) return "(" + word() + " OR " + word() + ")";
        if (chance(20)) return "\"" + word() + " " + word() + "\"";
        return word();
    }

    std::string unary(int depth) {
        if (chance(12)) return (chance(50) ? "-" : "NOT ") + atom(depth);
        if (chance(15))
            return near_operand() + (chance(50) ? " NEAR/" : " ONEAR/") + std::to_string(pick(4)) + " " +
                   near_operand();
        return atom(depth);
    }

    std::string query(int depth = 0) {
        std::string q;
        const int groups = 1 + pick(3);
        for (int g = 0; g < groups; ++g) {
            if (g > 0) q += chance(20) ? " AND " : " ";
            q += unary(depth);
            while (chance(20)) q += " OR " + unary(depth);
        }
        return q;
    }

private:
    std::mt19937 rng_;
};

struct OwnedItem {
    std::string title, summary, content, link, language;
    std::vector<std::string> categories, authors;
};

TEST(MatcherProperty, IndexAgreesWithBruteForce) {
    constexpr int kQueries = 2500;
    constexpr int kItems = 60;
    Gen gen(20261127);
    std::vector<Watchlist> watchlists;
    for (int i = 0; i < kQueries; ++i) watchlists.push_back({"q" + std::to_string(i), gen.query(), {}, true});
    const auto built = build_index(watchlists);
    const std::size_t valid = built.index->size();
    // The same watchlists anchored by measured frequencies (counted on other random texts):
    // anchors change, answers must not.
    auto counts = std::make_shared<TermFrequencies>();
    Gen other(7);
    for (int i = 0; i < 40; ++i) {
        const std::string text = other.text(40);
        counts->add(ItemView{.content = text, .language = other.chance(30) ? "ru" : ""});
    }
    const auto measured = build_index(watchlists, BuildOptions{.frequencies = counts});
    ASSERT_GT(valid, kQueries * 8 / 10) << "the generator should mostly write valid queries";
    // The same watchlists read literally: the lexicon must change answers, or the property
    // says nothing about its expansions.
    const auto literal = build_index(watchlists, BuildOptions{.lexicon = Lexicon::empty()});
    std::size_t changed = 0;

    std::size_t pairs = 0, matches = 0;
    for (int i = 0; i < kItems; ++i) {
        OwnedItem o{gen.text(12), gen.text(30), gen.text(60), kHosts[static_cast<std::size_t>(gen.pick(4))],
                    gen.chance(30) ? "ru" : gen.chance(30) ? "en-GB" : "", {}, {}};
        for (int c = gen.pick(3); c > 0; --c) o.categories.push_back(gen.text(3));
        if (gen.chance(50)) o.authors.push_back(gen.text(2));
        ItemView v;
        v.title = o.title;
        v.summary = o.summary;
        v.content = o.content;
        v.link = o.link;
        v.language = o.language;
        v.categories = o.categories;
        v.authors = o.authors;
        const auto fast = built.index->match(v);
        const auto slow = built.index->match_brute_force(v);
        std::vector<std::string> a, b;
        for (const auto& h : fast) a.push_back(h.watchlist);
        for (const auto& h : slow) b.push_back(h.watchlist);
        ASSERT_EQ(a, b) << "item " << i << ": " << o.title << " | " << o.summary << " | " << o.content;
        // Both run the compiled programs; the query trees are the reference for those.
        ASSERT_EQ(b, match_reference(*built.index, v))
            << "item " << i << ": " << o.title << " | " << o.summary << " | " << o.content;
        // The lazy path gives the same watchlists, in the same order, as the eager one.
        MatchStats stats;
        std::vector<std::string> lazy;
        for (const auto id : built.index->match_ids(v, stats)) {
            lazy.push_back(built.index->watchlist_name(id));
            // Explanations from the programs are those of the trees.
            const auto fast_explained = built.index->explain_last(id);
            const auto tree_explained = explain_reference(*built.index, id);
            ASSERT_EQ(fast_explained.terms, tree_explained.terms) << "item " << i << " " << lazy.back();
            ASSERT_EQ(fast_explained.fields, tree_explained.fields) << "item " << i << " " << lazy.back();
            ASSERT_EQ(fast_explained.snippet, tree_explained.snippet) << "item " << i << " " << lazy.back();
        }
        ASSERT_EQ(lazy, a) << "item " << i;
        std::vector<std::string> slow_ids;
        for (const auto id : built.index->match_ids_brute_force(v)) slow_ids.push_back(built.index->watchlist_name(id));
        ASSERT_EQ(slow_ids, b) << "item " << i;
        std::vector<std::string> m;
        for (const auto& h : measured.index->match(v)) m.push_back(h.watchlist);
        ASSERT_EQ(m, a) << "item " << i << ": " << o.title << " | " << o.summary << " | " << o.content;
        std::vector<std::string> l;
        for (const auto& h : literal.index->match(v)) l.push_back(h.watchlist);
        if (l != a) ++changed;
        pairs += valid;
        matches += b.size();
    }
    EXPECT_GE(pairs, 100'000u);
    // The generator must make both answers common, or the property says little.
    EXPECT_GT(matches, pairs / 100);
    EXPECT_LT(matches, pairs / 2);
    EXPECT_GT(changed, static_cast<std::size_t>(kItems / 4)) << "the lexicon's expansions should change many answers";
    std::printf("pairs=%zu matches=%zu changed_by_lexicon=%zu\n", pairs, matches, changed);
}

// A made-up word per number, letters only (the stemmers leave it whole or cut it the same way
// on both sides).
std::string made_up(int n, char last) {
    std::string w = "zq";
    for (int k = 0; k < 4; ++k, n /= 26) w += static_cast<char>('a' + n % 26);
    return w + "o" + last;
}

// Postings carry their first filter set as 16-bit terms: beyond 65,536 dictionary terms
// different terms share those bits, and the filter lets through candidates it would have
// dropped. The programs must still reject them: "A B" matches only where both occur.
TEST(MatcherProperty, IndexAgreesBeyond65536Terms) {
    constexpr int kQueries = 36'000;  // two fresh words each: 72,000 terms or more
    std::vector<Watchlist> watchlists;
    for (int n = 0; n < kQueries; ++n)
        watchlists.push_back({"q" + std::to_string(n), made_up(n, 'k') + " " + made_up(n, 'v'), {}, true});
    const auto built = build_index(watchlists);
    ASSERT_TRUE(built.errors.empty());
    // Every first word, the second words of one watchlist in seven: thousands of first-word
    // postings whose filter term is absent but may share its low 16 bits with a present one.
    // In two fields: each is read up to kMaxFieldBytes (256 KiB), and the text is ~370 KB.
    std::string summary, content;
    std::vector<std::string> expected;
    for (int n = 0; n < kQueries; ++n) {
        if (n == kQueries / 2) summary.swap(content);
        content += made_up(n, 'k') + " ";
        if (n % 7 == 0) {
            content += made_up(n, 'v') + " ";
            expected.push_back("q" + std::to_string(n));
        }
    }
    std::ranges::sort(expected);
    ItemView v;
    v.summary = summary;
    v.content = content;
    ASSERT_LE(std::max(summary.size(), content.size()), kMaxFieldBytes);
    std::vector<std::string> fast;
    for (const auto& h : built.index->match(v)) fast.push_back(h.watchlist);
    std::ranges::sort(fast);
    EXPECT_EQ(fast.size(), expected.size());
    EXPECT_EQ(fast, expected);
    std::vector<std::string> reference = match_reference(*built.index, v);
    std::ranges::sort(reference);
    EXPECT_EQ(reference, expected);
}

}  // namespace
}  // namespace ww::match
