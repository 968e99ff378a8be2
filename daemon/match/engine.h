#pragma once

// Internals of the matcher shared by its sources and tests: the compiled query form, the term
// dictionary, item analysis and exact verification. The public surface is matcher.h.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "match/analyzer.h"
#include "match/flat_map.h"
#include "match/frequencies.h"
#include "match/huge_pages.h"
#include "match/lexicon.h"
#include "match/matcher.h"
#include "match/query.h"
#include "match/stemmer.h"

namespace ww::match {

inline constexpr std::uint32_t kNoTerm = 0xFFFFFFFFu;
// A term that counts through a token of any language (quoted words, surfaces, prefixes,
// hosts), as opposed to bit L for stemming language L.
inline constexpr std::uint32_t kAnyLanguage = 0x80000000u;

// A bare word's stem term in each stemming language. A token matches the word only when the
// token's stem (in the token's own language) is the word's stem in that same language, so that
// "Putin" never meets an English "put" through some other language's stemmer.
using StemTable = std::array<std::uint32_t, kStemLanguageCount>;

class TermDictionary {
public:
    TermDictionary();
    // Distinct per dictionary: keys the per-thread token caches.
    std::uint64_t generation() const { return generation_; }
    std::uint32_t intern(Ns ns, std::string_view term);
    std::optional<std::uint32_t> find(Ns ns, std::string_view term) const;
    bool any(Ns ns) const { return !maps_[static_cast<int>(ns)].empty(); }
    std::size_t size() const { return terms_.size(); }
    const std::string& term(std::uint32_t id) const { return terms_[id]; }
    std::size_t max_prefix_bytes() const { return max_prefix_bytes_; }
    Ns ns(std::uint32_t id) const { return ns_[id]; }
    // How rarely the term occurs in items, higher = rarer: measured document frequency when
    // the build was given TermFrequencies, else the length heuristic (term_rarity).
    int rarity(std::uint32_t id) const;
    // The rarity of needing any one of `ids`: with frequencies, of the sum of their counts.
    int set_rarity(std::span<const std::uint32_t> ids) const;
    const TermFrequencies* frequencies = nullptr;
    // Stem tables of bare words, shared by every query using the word; word_memo finds them at
    // build time, so that the 100,000th query with "sanctions" costs a lookup, not twenty
    // Snowball calls.
    std::vector<StemTable> stem_tables;
    StringMap<std::uint32_t> word_memo;
    std::vector<std::array<std::uint32_t, 2>> word_lemmas;  // per stem table: the word's lemma terms
    // A bare query word's entity reading by its surface (compile.cpp, query_entity): the
    // entity term, or kNoTerm, and whether it asks for the entity only.
    StringMap<std::pair<std::uint32_t, bool>> entity_memo;

private:
    std::array<FlatStringMap<std::uint32_t>, kNsCount> maps_;
    std::vector<std::string> terms_;
    std::vector<Ns> ns_;
    double count_of(std::uint32_t id) const;  // measured count, memoised in counts_
    mutable std::vector<double> counts_;
    std::uint64_t generation_ = 0;
    std::size_t max_prefix_bytes_ = 0;
};

// A query after analysis. `span` is a word or phrase: members[i] lists the term ids any of
// which may stand at position i (a bare word's stems across languages).
struct CNode {
    enum class Kind : std::uint8_t { all, any, negation, span, near, site };
    Kind kind = Kind::all;
    std::uint8_t fields = kDefaultFields;
    bool ordered = false;
    int distance = 0;  // phrase slop or NEAR distance
    std::vector<CNode> kids;
    std::vector<std::vector<std::uint32_t>> members;
    // Per member: its StemTable index (bare words), or kNoTerm when any of its ids will do.
    std::vector<std::uint32_t> stem_table;
    std::string label;  // the atom as written, for explanations
};

struct CompileError {
    int column = 1;
    std::string message;
};

// QueryNode -> CNode, interning terms. Errors: atoms with nothing to match, short prefixes,
// NEAR over something that has no position, no positive term.
std::expected<CNode, CompileError> compile(const QueryNode& q, TermDictionary& dict,
                                           const Stemming& stemming);

// The terms whose presence is necessary for the node to match (any one of them), or nothing
// when the node can match without any (NOT, OR with a NOT branch).
struct Anchor {
    std::vector<std::uint32_t> ids;
    int score = 0;  // higher = rarer in items
    // Per id, the languages of the tokens through which it can count (as a program's span
    // member: bit L, or kAnyLanguage). An item's token has the id as its stem in one
    // language; a filter that ignored which one let ~16 programs per item run and fail at
    // 100,000 watchlists (a word's stem in some other language is an English word's stem).
    std::vector<std::uint32_t> languages = {};
};
std::optional<Anchor> anchors_of(const CNode& node, const TermDictionary& dict);
// Every term set the node needs (one term of each must be present), rarest first: the first
// is the anchor, the next few a cheap filter checked before exact verification.
std::vector<Anchor> required_of(const CNode& node, const TermDictionary& dict);
// Heuristic rarity of a term in news text: longer is rarer, function words are common.
int term_rarity(std::string_view term);

// An item analysed against a dictionary: its tokens and, per term id, where it occurs.
struct AnalyzedItem {
    std::array<std::string, kFieldCount> owned;   // texts that needed markup stripped
    std::array<std::string_view, kFieldCount> texts;
    std::vector<Token> tokens;
    std::vector<std::string> hosts;  // link host and its parent domains
};
// Title, summary and content are each read up to this many bytes (docs/query-language.md).
inline constexpr std::size_t kMaxFieldBytes = 256 * 1024;
void analyze_item(const ItemView& item, bool surfaces, AnalyzedItem& out);
// The last token of the name of several words `rest` continues after token k (in one field
// and paragraph, hyphen parts skipped, a plural -s/-es allowed: guinea pigs),
// or nothing.
std::optional<std::uint32_t> name_end(const AnalyzedItem& item, std::uint32_t k, std::span<const std::string> rest,
                                      const Stemming& stemming);
// Whether an item's token k is written as an entity form with these FormFlags requires.
bool written_as_required(const AnalyzedItem& item, std::uint32_t k, std::uint8_t flags, const Lexicon& lexicon);

// One occurrence of a term with what verification needs of its token, so that the compiled
// queries read one contiguous list instead of chasing Token (two strings, ~100 bytes) per hit.
struct Occ {
    std::uint32_t tok;    // index in AnalyzedItem::tokens, or Occurrences::kHostToken
    std::uint32_t pos;
    std::uint32_t end;
    std::uint32_t stem;   // the token's stem term in its own language (kNoTerm: none)
    std::uint32_t block;  // paragraph
    std::uint8_t field;   // Field, or kHostField for the link's host names
    std::uint8_t lang;
};
inline constexpr std::uint8_t kHostField = 7;  // no query field bit: a host never meets a word

// Term id -> token indexes, built per item in per-thread scratch space.
class Occurrences {
public:
    static constexpr std::uint32_t kHostToken = 0xFFFFFFFFu;
    // Words whose terms are cached per thread before the cache starts afresh: bounded for the
    // same reason as Stemming::kCacheWords (about 3 MiB of slots and key bytes).
    static constexpr std::size_t kCacheWords = std::size_t{1} << 16;
    void build(const AnalyzedItem& item, const TermDictionary& dict, const Stemming& stemming);
    std::span<const std::uint32_t> of(std::uint32_t term) const;
    // The same occurrences with their positions inline (Program::run reads these).
    std::span<const Occ> entries(std::uint32_t term) const;
    std::span<const std::uint32_t> touched() const { return touched_; }
    // Whether the term occurs: a bit per dictionary term, small enough to stay in cache.
    bool present(std::uint32_t term) const { return (bits_[term >> 6] >> (term & 63)) & 1U; }
    // Whether some term whose low 16 bits are `low` occurs: exact while the dictionary holds
    // at most 65,536 terms, a superset beyond. An index posting carries a filter set in
    // 8 bytes this way (four 16-bit terms) instead of 16.
    bool maybe_present(std::uint16_t low) const { return (low_bits_[low >> 6] >> (low & 63)) & 1U; }
    // The stem term of a token in its own language (kNoTerm when no query uses it).
    std::uint32_t stem_of(std::uint32_t token) const { return token_stem_[token]; }
    std::size_t cached_words() const { return word_cache_.size(); }
    // Bit L for each language L of the item's tokens with a stem term, and kAnyLanguage: a
    // stem term occurs through language L only if L is here (Anchor::languages).
    std::uint32_t languages() const { return languages_; }

private:
    // What a (language, word) resolves to in one dictionary, cached per thread: most words of
    // an item were seen before, so Snowball and three dictionary probes become one lookup.
    struct WordTerms {
        std::uint32_t stem = kNoTerm, exact = kNoTerm;
        std::uint32_t entity = kNoTerm;  // the entity the word names (Ns::entity), if a query asks
        std::uint32_t lemma = kNoTerm;   // the lemma of an irregular form (Ns::lemma), if a query asks
        std::uint8_t entity_flags = 0;   // FormFlags: how it must be written to count
        bool starts_name = false;        // first word of a name of several words
    };
    void add_names(const AnalyzedItem& item, std::uint32_t k, const TermDictionary& dict, const Stemming& stemming);
    // Tokens up to covered_end_ belong to a name of several words (or a blocker such as
    // "French fries"): their own entity forms do not count.
    std::uint32_t covered_end_ = 0;
    bool covering_ = false;
    const WordTerms& terms_of(const Token& t, std::uint64_t hash, const TermDictionary& dict,
                              const Stemming& stemming);
    FlatStringMap<WordTerms> word_cache_;
    std::uint64_t cache_generation_ = 0;
    std::string key_;
    std::vector<std::uint64_t> hashes_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs_;
    // Term -> its run in occ_/entries_, in an open-addressing table sized to the item (a few
    // hundred terms: it stays in L1), where an array as long as the dictionary missed the
    // cache on every lookup once the index held 100,000 queries.
    struct Slot {
        std::uint32_t term = kNoTerm, begin = 0, count = 0, fill = 0;
    };
    std::uint32_t home(std::uint32_t term) const;
    // The term's run, grouping a word's exact form on first use (hence mutable: the table,
    // runs and their reset list grow from const lookups, on this thread's scratch only).
    const Slot* run_of(std::uint32_t term) const;
    Occ occ_of(std::uint32_t token) const;
    void mark(std::uint32_t term) {
        bits_[term >> 6] |= std::uint64_t{1} << (term & 63);
        low_bits_[(term & 0xFFFF) >> 6] |= std::uint64_t{1} << (term & 63);
    }
    const AnalyzedItem* item_ = nullptr;
    std::uint32_t languages_ = kAnyLanguage;
    mutable std::vector<Slot> slots_;
    std::uint32_t slot_mask_ = 0;
    mutable std::vector<std::uint32_t> occ_;
    std::vector<std::uint32_t> touched_, token_stem_, token_exact_;
    // Per pair its slot, per touched term its slot: the fill pass and the next item's reset
    // reuse them instead of probing again.
    std::vector<std::uint32_t> pair_slot_;
    mutable std::vector<std::uint32_t> touched_slot_;
    mutable std::vector<Occ> entries_;
    std::vector<std::uint64_t> bits_;
    std::vector<std::uint64_t> low_bits_ = std::vector<std::uint64_t>(1024);  // 65,536 bits
};

struct VerifyContext {
    const AnalyzedItem& item;
    const Occurrences& occ;
    const TermDictionary& dict;
    const Stemming* stemming = nullptr;  // for explanations: the lexicon's names and forms
};

// What an explanation says a word matched as: empty when the item writes the query word
// (up to case and Snowball's endings), else `China (as "Chinese")`, `strike (as "struck")`.
// `tok` is the occurrence's token, `id` the term it was found through.
struct Labeller {
    const AnalyzedItem& item;
    const TermDictionary& dict;
    const Stemming* stemming;
    std::string operator()(const std::string& label, std::uint32_t id, std::uint32_t tok) const;
};
// The reference evaluator over the query tree; Program::run must agree with it (tests).
bool verify(const CNode& node, const VerifyContext& ctx);
MatchExplanation explain(const CNode& node, const VerifyContext& ctx);

// A query flattened into one contiguous block of 32-bit words, evaluated against the item's
// occurrence lists: a candidate costs one or two cache lines of code instead of a walk over
// nodes, vectors and stem tables scattered through the heap. Layout of a node:
//   [kind | fields << 8 | ordered << 16, length in words, ...]
//   all / any:  kids follow back to back          negation: one kid
//   site:       term                              near: distance, kid, kid
//   span:       slop, member count, then per member [n, (term, languages) x n]
// where `languages` has bit L set when the term is the word's stem in stemming language L
// (bit 31: no stem check, for quoted words, surfaces and prefixes: kAnyLanguage).
// The languages word `m` of span `n` accepts term `id` in (the `languages` of its program).
std::uint32_t member_languages(const CNode& n, std::size_t m, std::uint32_t id, const TermDictionary& dict);

struct ProgramSpan {
    std::uint32_t start, end, block;
    std::uint8_t field;
};

// Per-thread scratch of Program::run (NEAR collects spans on a stack, never allocating once
// warm).
struct RunContext {
    const Occurrences& occ;
    std::vector<ProgramSpan>& spans;
};

// Appends the program of `node` to `code`, and the labels of its atoms (as written, for
// explanations) to `labels`.
void emit_program(const CNode& node, const TermDictionary& dict, HugeVector<std::uint32_t>& code,
                  std::vector<std::string>& labels);
bool run_program(const std::uint32_t* node, RunContext& ctx);

// A program that is one word (a span of one member, alone or the only kid of an AND/OR)
// matches when one occurrence of one of its terms passes this check: the index keeps it in
// the posting of each term, and such candidates (a tenth of the watchlists, most of the hits
// at 100,000) are verified without loading their programs.
struct WordCheck {
    std::uint32_t languages;  // as in the program's span member (kAnyLanguage: any)
    std::uint8_t fields;
};
// The check of term `id` when the program at `node` is one word with `id` among its terms.
std::optional<WordCheck> single_word_check(const std::uint32_t* node, std::uint32_t id);
// run_program's verdict for such a program, from the occurrences of one of its terms.
bool word_occurs(std::span<const Occ> occurrences, std::uint32_t id, WordCheck check);

// An explanation before its strings: matched labels, field bits, the earliest occurrence.
struct Explanation {
    std::vector<std::string> terms;
    unsigned field_bits = 0;
    bool link = false;
    std::uint32_t first_token = Occurrences::kHostToken;  // none
};
MatchExplanation finish_explanation(Explanation found, const AnalyzedItem& item);
// The same explanation as explain() over the tree, from the program (no walk over the
// tree's nodes scattered in the heap).
MatchExplanation explain_program(const std::uint32_t* node, RunContext& ctx, const AnalyzedItem& item,
                                 const std::vector<std::string>& labels, const Labeller& labeller);

// The labels of the positive atoms of the program at `node` that do not occur in the item
// (excluded ones are never listed), for "no match: ... missing".
std::vector<std::string> missing_terms(const std::uint32_t* node, RunContext& ctx, const std::vector<std::string>& labels);

// The names of the watchlists the item matches by verify() over every query tree: what the
// tests hold the index and its programs to.
std::vector<std::string> match_reference(const Index& index, const ItemView& item);
// explain() over the tree of watchlist `id`, for the item of this thread's last match.
MatchExplanation explain_reference(const Index& index, std::uint32_t id);

}  // namespace ww::match
