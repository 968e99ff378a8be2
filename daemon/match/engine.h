#pragma once

// Internals of the matcher shared by its sources and tests: the compiled query form, the term
// dictionary, item analysis and exact verification. The public surface is matcher.h.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "match/analyzer.h"
#include "match/matcher.h"
#include "match/query.h"
#include "match/stemmer.h"

namespace ww::match {

// Term namespaces: a bare word matches by stem, a quoted word exactly, case: by surface,
// word* by prefix of the exact word, site: by host. `stem` terms carry their language (one
// byte, the index in stem_languages()) so that a word matches only a token whose stem in the
// token's own language is the word's stem in that language ("Putin" is not Italian "put");
// `stem_key` is the same stem without the language, a cheaper necessary condition used as the
// anchor.
enum class Ns : std::uint8_t { stem, stem_key, exact, surface, prefix, host };
inline constexpr int kNsCount = 6;

class TermDictionary {
public:
    std::uint32_t intern(Ns ns, std::string_view term);
    std::optional<std::uint32_t> find(Ns ns, std::string_view term) const;
    bool any(Ns ns) const { return !maps_[static_cast<int>(ns)].empty(); }
    std::size_t size() const { return terms_.size(); }
    const std::string& term(std::uint32_t id) const { return terms_[id]; }
    std::size_t max_prefix_bytes() const { return max_prefix_bytes_; }
    // Build-time memo: a bare word's tagged stems and anchor keys, so that the 100,000th query
    // with "sanctions" costs a lookup, not twenty Snowball calls.
    StringMap<std::pair<std::vector<std::uint32_t>, std::vector<std::uint32_t>>> word_memo;

private:
    std::array<StringMap<std::uint32_t>, kNsCount> maps_;
    std::vector<std::string> terms_;
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
    std::vector<std::vector<std::uint32_t>> keys;  // anchor terms per member; empty = members
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
};
std::optional<Anchor> anchors_of(const CNode& node, const TermDictionary& dict);
// Heuristic rarity of a term in news text: longer is rarer, function words are common.
int term_rarity(std::string_view term);

// An item analysed against a dictionary: its tokens and, per term id, where it occurs.
struct AnalyzedItem {
    std::array<std::string, kFieldCount> owned;   // texts that needed markup stripped
    std::array<std::string_view, kFieldCount> texts;
    std::vector<Token> tokens;
    std::vector<std::string> hosts;  // link host and its parent domains
};
void analyze_item(const ItemView& item, const Stemming& stemming, AnalyzedItem& out);

// Term id -> token indexes, built per item in per-thread scratch space.
class Occurrences {
public:
    static constexpr std::uint32_t kHostToken = 0xFFFFFFFFu;
    void build(const AnalyzedItem& item, const TermDictionary& dict);
    std::span<const std::uint32_t> of(std::uint32_t term) const;
    std::span<const std::uint32_t> touched() const { return touched_; }

private:
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs_;
    std::vector<std::uint32_t> stamp_, begin_, count_, fill_, occ_, touched_;
    std::uint32_t epoch_ = 0;
};

struct VerifyContext {
    const AnalyzedItem& item;
    const Occurrences& occ;
};
bool verify(const CNode& node, const VerifyContext& ctx);
MatchExplanation explain(const CNode& node, const VerifyContext& ctx);

}  // namespace ww::match
