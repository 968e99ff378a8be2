#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert.h"
#include "core/error.h"
#include "core/watchlist.h"

namespace ww::match {

// What the matcher may see of an item: a narrow view, not the model class.
struct ItemView {
    std::string_view title;
    std::string_view summary;
    std::string_view content;
    std::string_view link;
    std::string_view language;  // BCP 47 tag or ""; guessed from the script when empty
    std::span<const std::string> categories;
    std::span<const std::string> authors;
    std::string_view feed_name;  // for watchlists restricted with feeds = [...]
};

struct Hit {
    std::string watchlist;
    MatchExplanation explanation;
};

struct WatchlistError {
    std::string watchlist;
    std::string message;  // 'watchlist "x": column 17: expected ...'
};

// An immutable, thread-safe snapshot of all watchlists, built once and shared.
struct MatchStats {
    std::size_t tokens = 0;      // tokens of the analysed item
    std::size_t postings = 0;    // index entries read (anchors found in the item)
    std::size_t candidates = 0;  // programs run (a query anchored on two terms of an OR may run twice)
};

class Index {
public:
    virtual ~Index() = default;
    // Every enabled watchlist the item matches, in watchlist order.
    virtual std::vector<Hit> match(const ItemView& item) const = 0;
    virtual std::size_t size() const = 0;
    // The same answer as match(), with counters (benchmarks, metrics).
    virtual std::vector<Hit> match_counted(const ItemView& item, MatchStats& stats) const = 0;
    // Checks every watchlist without the anchor index: the reference the index is tested and
    // benchmarked against.
    virtual std::vector<Hit> match_brute_force(const ItemView& item) const = 0;

    // The hot path without explanations: the numbers (see watchlist_name) of the watchlists the
    // item matches, ascending. The span points into this thread's scratch space and is valid
    // until the next match on this thread. Explanations cost strings for every hit; a caller
    // that needs few of them (an item already seen, a benchmark) asks for them afterwards with
    // explain_last.
    virtual std::span<const std::uint32_t> match_ids(const ItemView& item, MatchStats& stats) const = 0;
    virtual const std::string& watchlist_name(std::uint32_t id) const = 0;
    // The explanation of watchlist `id` for the item of the last match_ids on this thread (on
    // this index). Empty when the thread's last match was against another index.
    virtual MatchExplanation explain_last(std::uint32_t id) const = 0;
    // The positive terms of watchlist `id` (as written) that the thread's last item lacks:
    // with explain_last's terms (those it has), why an item did not match.
    virtual std::vector<std::string> missing_last(std::uint32_t id) const = 0;
    // match_brute_force without explanations, like match_ids (benchmarks compare like with like).
    virtual std::span<const std::uint32_t> match_ids_brute_force(const ItemView& item) const = 0;
};

struct BuildResult {
    std::shared_ptr<const Index> index;  // holds every watchlist that compiled
    std::vector<WatchlistError> errors;  // the ones that did not
    // Accepted queries worth a log line (no module prefix: the caller logs under match), e.g.
    // OR and AND mixed without parentheses:
    // 'watchlist "x": read as (a OR b) AND c'.
    std::vector<WatchlistError> notices = {};
};

class StemOverrides;
class TermFrequencies;
class Lexicon;

struct BuildOptions {
    // The stem-override table (load_stem_overrides); null = the shipped table, looked for in /etc/wirewatch,
    // /usr/share/wirewatch and the source tree.
    std::shared_ptr<const StemOverrides> stem_overrides;
    // The watchlists of the running snapshot: a watchlist whose new text is invalid keeps its
    // previous version (and its error is still reported).
    std::span<const Watchlist> previous;
    // Measured document frequencies (match/frequencies.h): anchors by measured rarity instead
    // of the word-length guess. Null = the guess.
    std::shared_ptr<const TermFrequencies> frequencies = nullptr;
    // Names of countries and bodies, irregular forms, spellings (match/lexicon.h). Null = the
    // shipped one (default_lexicon(), loaded once); Lexicon::empty() = the literal matcher.
    std::shared_ptr<const Lexicon> lexicon = nullptr;
};

BuildResult build_index(std::span<const Watchlist> watchlists);
BuildResult build_index(std::span<const Watchlist> watchlists, const BuildOptions& options);

// config/stem-overrides.tsv: `lang<TAB>stem<TAB>form form ...` per line (docs/query-language.md).
Result<std::shared_ptr<const StemOverrides>> load_stem_overrides(const std::string& path);

// The fully parenthesised form of a query, for logs ("(a OR b) AND c").
Result<std::string> canonical_query(const Watchlist& watchlist);

// How the engine reads a query (`wirewatch query`): each term with what it matches, and
// warnings about what the user may not mean.
struct TermReading {
    std::string term;                // as written (case:, quotes and * included)
    std::string kind;                // "word", "exact", "prefix", "case", "site", "name", "entity only"
    std::vector<std::string> forms;  // what it also finds: stems, entity names, irregular forms
};
struct QueryReading {
    std::string canonical;  // fully parenthesised
    std::vector<TermReading> terms;
    std::vector<std::string> warnings;
};
// Null lexicon = the shipped one.
Result<QueryReading> read_query(std::string_view query, std::shared_ptr<const Lexicon> lexicon = nullptr);

// Checks one query without building an index.
std::vector<WatchlistError> check_query(const Watchlist& watchlist);

}  // namespace ww::match
