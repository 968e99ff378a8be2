#include "match/matcher.h"

#include <algorithm>
#include <array>
#include <bit>

#include "match/engine.h"
#include "match/huge_pages.h"

namespace ww::match {
namespace {

struct CompiledQuery {
    Watchlist watchlist;
    CNode root;
};

std::string error_text(const Watchlist& w, int column, const std::string& message) {
    return "match: watchlist \"" + w.name + "\": column " + std::to_string(column) + ": " + message;
}

// Parse + compile one watchlist; the error names the watchlist and the column.
std::expected<CNode, std::string> compile_watchlist(const Watchlist& w, TermDictionary& dict,
                                                    const Stemming& stemming,
                                                    std::string* notice) {
    auto parsed = parse_query(w.query);
    if (!parsed) return std::unexpected(error_text(w, parsed.error().column, parsed.error().message));
    auto compiled = compile(*parsed, dict, stemming);
    if (!compiled) return std::unexpected(error_text(w, compiled.error().column, compiled.error().message));
    if (notice != nullptr && mixes_and_or(*parsed))
        *notice = "watchlist \"" + w.name + "\": OR binds tighter than AND; read as " + canonical(*parsed);
    return std::move(*compiled);
}

// Ascending order for watchlist numbers below `bound`, each once: a bit per number and a bit
// per 64 of them, read back in order (and cleared as read). The 63 hits per item at 100,000
// watchlists set 126 bits and read ~25 summary words, where a three-pass radix sort cost
// ~0.5 µs and introsort's mispredicted compares a microsecond.
void sort_unique_ids(std::vector<std::uint32_t>& ids, std::vector<std::uint64_t>& bits,
                     std::vector<std::uint64_t>& summary, std::size_t bound) {
    if (ids.size() <= 16) {
        std::ranges::sort(ids);
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        return;
    }
    const std::size_t words = bound / 64 + 1;
    if (bits.size() < words) bits.assign(words, 0);
    if (summary.size() < words / 64 + 1) summary.assign(words / 64 + 1, 0);
    for (const auto id : ids) {
        bits[id >> 6] |= std::uint64_t{1} << (id & 63);
        summary[id >> 12] |= std::uint64_t{1} << ((id >> 6) & 63);
    }
    ids.clear();
    for (std::size_t s = 0; s < summary.size(); ++s) {
        for (std::uint64_t top = summary[s]; top != 0; top &= top - 1) {
            const std::size_t w = s * 64 + static_cast<std::size_t>(std::countr_zero(top));
            for (std::uint64_t b = bits[w]; b != 0; b &= b - 1)
                ids.push_back(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(b))));
            bits[w] = 0;
        }
        summary[s] = 0;
    }
}

// Per-thread scratch of match(): reused across items so that matching allocates nothing once
// warm.
struct Scratch {
    AnalyzedItem item;
    Occurrences occ;
    // Offsets of programs in code_; the query's number is the word before its program.
    std::vector<std::uint32_t> candidates;
    struct Range {
        std::uint32_t term, begin, end;
    };
    std::vector<Range> ranges;  // posting lists to read
    std::vector<std::uint32_t> filtered;  // candidates whose filter blocks to check
    std::vector<std::uint32_t> hits;
    std::vector<std::uint64_t> hit_bits, hit_summary;  // sort_unique_ids' bitsets, all clear
    std::vector<ProgramSpan> spans;
    const Index* owner = nullptr;  // the index the item was last analysed against
};
Scratch& scratch() {
    thread_local Scratch s;
    return s;
}

class EngineIndex final : public Index {
public:
    EngineIndex(std::shared_ptr<const StemOverrides> overrides, std::shared_ptr<const TermFrequencies> frequencies,
                std::shared_ptr<const Lexicon> lexicon)
        : stemming_(std::move(overrides), lexicon ? std::move(lexicon) : default_lexicon()),
          frequencies_(std::move(frequencies)) {
        dict_.frequencies = frequencies_.get();
    }

    std::vector<Hit> match(const ItemView& item) const override {
        MatchStats stats;
        return match_counted(item, stats);
    }
    std::size_t size() const override { return queries_.size(); }

    std::vector<Hit> match_counted(const ItemView& item, MatchStats& stats) const override {
        return explained(match_ids(item, stats));
    }

    // Every hit with its explanation, for the item last analysed on this thread.
    std::vector<Hit> explained(std::span<const std::uint32_t> ids) const {
        std::vector<Hit> hits;
        hits.reserve(ids.size());
        // Names and programs of the hits lie scattered: start loading them all first.
        for (const auto q : ids) {
            __builtin_prefetch(&names_[q]);
            __builtin_prefetch(&code_at_[q]);
        }
        for (const auto q : ids) hits.push_back({names_[q], explain_last(q)});
        return hits;
    }

    std::span<const std::uint32_t> match_ids(const ItemView& item, MatchStats& stats) const override {
        Scratch& s = analyze(item);
        stats.tokens = s.item.tokens.size();
        // Candidates: every query with an anchor term in the item that passes its filters, plus
        // those without anchors. A query anchored on an OR may come twice: its hits are made
        // unique, which costs less than a stamp per query in an array as long as the index.
        s.candidates.clear();
        // The posting lists of the item's terms lie apart in memory: find them all and start
        // loading them first, so that their misses overlap instead of following one another.
        s.ranges.clear();
        // lists_ is as long as the dictionary (47,000 terms at 100,000 watchlists) and
        // the item's terms are spread over it: one pass of prefetches so that those misses
        // overlap too.
        const auto touched = s.occ.touched();
        // The languages of the item's tokens: a posting whose anchor term stands for its word
        // in none of them cannot match (a fifth of the postings at 100,000 watchlists), nor can
        // a list of only such postings, which is then not even loaded.
        const std::uint32_t languages = s.occ.languages();
        for (const auto term : touched)
            if (term + 1 < lists_.size()) __builtin_prefetch(&lists_[term]);
        for (const auto term : touched) {
            if (term + 1 >= lists_.size()) continue;
            const auto begin = lists_[term].begin, end = lists_[term + 1].begin;
            if (begin == end || (lists_[term].languages & languages) == 0) continue;
            // A list of a few postings spans a few cache lines.
            const auto lines = std::min<std::uint32_t>(end, begin + 8);
            for (auto p = begin; p < lines; p += 64 / sizeof(Posting)) __builtin_prefetch(&postings_[p]);
            __builtin_prefetch(&postings_[lines - 1]);
            s.ranges.push_back({term, begin, end});
        }
        // Same for the filter sets out of line: the postings that pass their inline set wait
        // in `filtered` while their sets load.
        s.filtered.clear();
        s.hits.clear();
        std::size_t words = 0;
        const std::uint32_t anchor_languages = packed_languages(languages);
        const bool one_language = std::popcount(languages & ~kAnyLanguage) <= 1;
        for (const auto& [term, begin, end] : s.ranges) {
            stats.postings += end - begin;
            std::span<const Occ> occurrences;  // found for the list's first one-word posting
            for (auto p = begin; p < end; ++p) {
                const Posting& posting = postings_[p];
                if (posting.head & kSingleWord) {
                    // One word: verified here from the term's occurrences, no program read.
                    const WordCheck check = word_check_of(posting);
                    if ((check.languages & languages) == 0) continue;
                    ++words;
                    if (occurrences.empty()) occurrences = s.occ.entries(term);
                    const auto q = posting.head & kQueryMask;
                    if (admits(q, item) && word_occurs(occurrences, term, check)) s.hits.push_back(q);
                    continue;
                }
                if ((posting.head & anchor_languages) == 0) continue;
                // A restricted inline set says nothing for an item of several languages.
                const bool restricted = (posting.head & kRestricted) != 0;
                if ((!restricted || one_language) && !passes_inline(posting, s.occ)) continue;
                if (!(posting.head & kFilterBlock) ||
                    (one_language && (posting.head & kSkipBlock))) {
                    s.candidates.push_back(posting.code);
                } else {
                    // The block ends just before the program: these lines are the ones the
                    // program will need if the candidate passes.
                    __builtin_prefetch(code_.data() + posting.code - 2);
                    __builtin_prefetch(code_.data() + posting.code - 14);
                    s.filtered.push_back(posting.code);
                }
            }
        }
        for (const auto c : s.filtered)
            if (passes_filters(c, s.occ)) s.candidates.push_back(c);
        for (const auto q : unanchored_) s.candidates.push_back(code_at_[q]);
        stats.candidates = s.candidates.size() + words;
        RunContext ctx{s.occ, s.spans};
        // One miss per candidate for its program: started a few candidates ahead.
        constexpr std::size_t kAhead = 6;
        const auto& cand = s.candidates;
        const auto code = [&](std::uint32_t c) { return code_.data() + c; };
        // A program of three stemmed words is ~150 bytes: its first three cache lines.
        const auto prefetch_code = [&](std::uint32_t c) {
            const std::uint32_t* p = code(c);
            __builtin_prefetch(p);
            __builtin_prefetch(p + 16);
            __builtin_prefetch(p + 32);
        };
        for (std::size_t i = 0; i < std::min(kAhead, cand.size()); ++i) prefetch_code(cand[i]);
        for (std::size_t i = 0; i < cand.size(); ++i) {
            if (i + kAhead < cand.size()) prefetch_code(cand[i + kAhead]);
            const auto q = code(cand[i])[-1];
            if (admits(q, item) && run_program(code(cand[i]), ctx)) s.hits.push_back(q);
        }
        // Watchlist order, each once: fewer hits than candidates to sort, and a query anchored
        // on two terms of an OR (its only way to come twice) is rare.
        sort_unique_ids(s.hits, s.hit_bits, s.hit_summary, queries_.size());
        return s.hits;
    }

    const std::string& watchlist_name(std::uint32_t id) const override { return names_[id]; }

    MatchExplanation explain_last(std::uint32_t id) const override {
        Scratch& s = scratch();
        if (s.owner != this || id >= queries_.size()) return {};
        RunContext ctx{s.occ, s.spans};
        return explain_program(code_.data() + code_at_[id], ctx, s.item, labels_, Labeller{s.item, dict_, &stemming_});
    }

    std::vector<std::string> missing_last(std::uint32_t id) const override {
        Scratch& s = scratch();
        if (s.owner != this || id >= queries_.size()) return {};
        RunContext ctx{s.occ, s.spans};
        return missing_terms(code_.data() + code_at_[id], ctx, labels_);
    }

    std::vector<Hit> match_brute_force(const ItemView& item) const override {
        return explained(match_ids_brute_force(item));
    }

    std::span<const std::uint32_t> match_ids_brute_force(const ItemView& item) const override {
        Scratch& s = analyze(item);
        s.hits.clear();
        RunContext ctx{s.occ, s.spans};
        for (std::uint32_t q = 0; q < queries_.size(); ++q)
            if (queries_[q].watchlist.enabled && admits(q, item) && run_program(code_.data() + code_at_[q], ctx))
                s.hits.push_back(q);
        return s.hits;
    }

    // explain_last over the query tree (tests).
    MatchExplanation explain_tree(std::uint32_t id) const {
        Scratch& s = scratch();
        if (s.owner != this || id >= queries_.size()) return {};
        return explain(queries_[id].root, VerifyContext{s.item, s.occ, dict_, &stemming_});
    }

    // The reference: the query trees, every one, without index or programs (tests).
    std::vector<std::string> match_tree(const ItemView& item) const {
        Scratch& s = analyze(item);
        std::vector<std::string> out;
        const VerifyContext ctx{s.item, s.occ, dict_};
        for (std::uint32_t q = 0; q < queries_.size(); ++q)
            if (queries_[q].watchlist.enabled && admits(q, item) && verify(queries_[q].root, ctx))
                out.push_back(queries_[q].watchlist.name);
        return out;
    }

    // Compiles and indexes one watchlist, or returns why it cannot.
    std::expected<void, std::string> add(const Watchlist& w, std::string* notice) {
        auto root = compile_watchlist(w, dict_, stemming_, notice);
        if (!root) return std::unexpected(root.error());
        const auto q = static_cast<std::uint32_t>(queries_.size());
        if (q >= kQueryMask) return std::unexpected("match: watchlist \"" + w.name + "\": more than 2^29 watchlists");
        std::vector<Anchor> required;
        if (w.enabled) required = required_of(*root, dict_);
        // Up to three more required sets: the first inline in the posting when it fits in four
        // terms, the others in a filter block just before the program in code_:
        // [count, then (size, (id, languages) x size) per set, block length, query], so that
        // checking them loads the lines the program starts on. Inline terms are checked by
        // presence only, so a first set whose terms count in some languages only also goes in
        // the block, with its languages (for items of several languages), and each posting
        // carries inline just the terms that can count in a language its anchor term counts
        // in (restrict_inline): in an item of one language the anchor term occurs in that
        // language, so the set's term must count in it too. Most such sets are a word's stems
        // across 23 languages; a posting needs one or two of them.
        Posting posting{0, 0, {}};
        std::size_t next = 1;
        bool sensitive = false;  // the first set has terms that count in some languages only
        if (required.size() > 1) {
            sensitive = !std::ranges::all_of(required[1].languages,
                                             [](std::uint32_t l) { return (l & kAnyLanguage) != 0; });
            if (!sensitive && required[1].ids.size() <= posting.first.size()) {
                set_inline(posting, required[1].ids);
                next = 2;
            }
        }
        const auto last = std::min<std::size_t>(required.size(), 4);
        const bool only_first = next == 1 && last == 2;  // the block would hold the first set only
        if (next < last) {
            const auto block = code_.size();
            code_.push_back(static_cast<std::uint32_t>(last - next));
            for (std::size_t i = next; i < last; ++i) {
                code_.push_back(static_cast<std::uint32_t>(required[i].ids.size()));
                for (std::size_t k = 0; k < required[i].ids.size(); ++k) {
                    code_.push_back(required[i].ids[k]);
                    code_.push_back(required[i].languages[k]);
                }
            }
            code_.push_back(static_cast<std::uint32_t>(code_.size() - block));
            posting.head |= kFilterBlock;
        }
        code_.push_back(q);  // the query of the program that follows
        code_at_.push_back(static_cast<std::uint32_t>(code_.size()));
        emit_program(*root, dict_, code_, labels_);
        posting.code = code_at_[q];
        if (w.enabled) {
            if (!required.empty()) {
                for (std::size_t k = 0; k < required[0].ids.size(); ++k) {
                    const auto id = required[0].ids[k];
                    const auto check = required.size() == 1 ? single_word_check(code_.data() + posting.code, id)
                                                            : std::nullopt;
                    const auto languages = check ? check->languages : required[0].languages[k];
                    Posting p = posting;
                    if (sensitive && !check) restrict_inline(p, required[1], languages, only_first);
                    pending_.push_back({id, languages,
                                        check ? single_word_posting(q, posting, *check) : anchored_posting(p, languages)});
                }
            } else {
                unanchored_.push_back(q);
            }
        }
        names_.push_back(w.name);
        queries_.push_back({w, std::move(*root)});
        restricted_.push_back(!w.feeds.empty());
        return {};
    }

    const Stemming& stemming() const { return stemming_; }

private:
    Scratch& analyze(const ItemView& item) const {
        Scratch& s = scratch();
        analyze_item(item, dict_.any(Ns::surface), s.item);
        s.occ.build(s.item, dict_, stemming_);
        s.owner = this;
        return s;
    }

    // Watchlists restricted with feeds = [...] see only those feeds.
    bool admits(std::uint32_t q, const ItemView& item) const {
        if (!restricted_[q]) return true;
        const auto& feeds = queries_[q].watchlist.feeds;
        return std::ranges::find(feeds, item.feed_name) != feeds.end();
    }

public:
    // After the last add(): postings into one array ordered by term (CSR), read sequentially
    // by every item.
    void finish() {
        std::ranges::stable_sort(pending_, {}, &Pending::term);
        lists_.assign(dict_.size() + 1, ListHead{});
        for (const auto& p : pending_) {
            ++lists_[p.term + 1].begin;
            lists_[p.term].languages |= p.languages;
        }
        for (std::size_t t = 1; t < lists_.size(); ++t) lists_[t].begin += lists_[t - 1].begin;
        postings_.clear();
        postings_.reserve(pending_.size());
        for (const auto& p : pending_) postings_.push_back(p.posting);
        pending_.clear();
        pending_.shrink_to_fit();
        // Only the build chooses anchors.
        dict_.frequencies = nullptr;
        frequencies_.reset();
    }

private:
    // 16 bytes, four to a cache line: an item at 100,000 watchlists reads ~370 of them from
    // lists spread over megabytes.
    static constexpr std::uint32_t kSingleWord = 1U << 29;   // `first` holds a WordCheck
    static constexpr std::uint32_t kInlineSet = 1U << 30;    // `first` holds a filter set
    static constexpr std::uint32_t kFilterBlock = 1U << 31;  // more sets before the program
    static constexpr std::uint32_t kQueryMask = kSingleWord - 1;
    // A program's posting holds no query number (the word before the program does) but the
    // languages its anchor term counts in, as packed_languages: bit L for stemming language
    // L, kPackedAny for any.
    static constexpr std::uint32_t kPackedAny = 1U << 28;
    // The inline set holds only the first set's terms that count in the anchor's languages:
    // a test for items of one language.
    static constexpr std::uint32_t kRestricted = 1U << 27;
    // The filter block holds the first set only, and the restricted inline set is exact for an
    // item of one language: such an item that passes the inline set skips the block.
    static constexpr std::uint32_t kSkipBlock = 1U << 26;
    static_assert(kStemLanguageCount < 26);
    static constexpr std::uint32_t packed_languages(std::uint32_t languages) {
        return (languages & ((1U << kStemLanguageCount) - 1)) | ((languages & kAnyLanguage) ? kPackedAny : 0);
    }
    struct Posting {
        // kSingleWord: watchlist number | kSingleWord; else packed anchor languages |
        // kInlineSet | kFilterBlock.
        std::uint32_t head;
        std::uint32_t code;   // offset of the query's program in code_
        // The first filter set, when it has at most four terms, as their low 16 bits
        // (Occurrences::maybe_present): most candidates fail it, and it is read with the
        // posting instead of from elsewhere in memory. With kSingleWord: the WordCheck of
        // the posting's term (languages in [0] and [1], fields in [2]).
        std::array<std::uint16_t, 4> first;
    };

    static Posting single_word_posting(std::uint32_t q, Posting p, WordCheck check) {
        p.head = q | kSingleWord;
        p.first = {static_cast<std::uint16_t>(check.languages), static_cast<std::uint16_t>(check.languages >> 16),
                   check.fields, 0};
        return p;
    }
    static Posting anchored_posting(Posting p, std::uint32_t languages) {
        p.head |= packed_languages(languages);
        return p;
    }
    static void set_inline(Posting& p, std::span<const std::uint32_t> ids) {
        // Padded by repeating the last term: no sentinel, and no false match.
        for (std::size_t i = 0; i < p.first.size(); ++i)
            p.first[i] = static_cast<std::uint16_t>(ids[std::min(i, ids.size() - 1)]);
        p.head |= kInlineSet;
    }
    // The terms of `set` that can count in a language the anchor counts in (all of them when
    // either counts in any language), inline when at most four. The test is exact when each
    // of them counts in every language the anchor does (then an occurrence in the item's one
    // language counts), and the block is skipped when it holds nothing else.
    static void restrict_inline(Posting& p, const Anchor& set, std::uint32_t anchor_languages, bool only_set) {
        std::vector<std::uint32_t> ids;
        bool exact = (anchor_languages & kAnyLanguage) == 0;
        for (std::size_t i = 0; i < set.ids.size(); ++i) {
            const std::uint32_t l = set.languages[i];
            if (!((l | anchor_languages) & kAnyLanguage) && !(l & anchor_languages)) continue;
            ids.push_back(set.ids[i]);
            if (!(l & kAnyLanguage) && (anchor_languages & ~l) != 0) exact = false;
        }
        if (ids.empty() || ids.size() > p.first.size()) return;
        set_inline(p, ids);
        p.head |= kRestricted;
        if (exact && only_set) p.head |= kSkipBlock;
    }
    static WordCheck word_check_of(const Posting& p) {
        return {p.first[0] | std::uint32_t{p.first[1]} << 16, static_cast<std::uint8_t>(p.first[2])};
    }

    static bool passes_inline(const Posting& p, const Occurrences& occ) {
        if (!(p.head & kInlineSet)) return true;
        return occ.maybe_present(p.first[0]) || occ.maybe_present(p.first[1]) ||
               occ.maybe_present(p.first[2]) || occ.maybe_present(p.first[3]);
    }

    // Necessary before exact verification: one term of each set in the filter block before
    // the program at `code` occurs in the item, through a token of a language it counts in.
    // Checked from flat words and a bitset, where verification chases the query's nodes.
    bool passes_filters(std::uint32_t code, const Occurrences& occ) const {
        const std::uint32_t* end = code_.data() + code - 2;  // the block's length word
        const std::uint32_t* at = end - *end;
        const std::uint32_t sets = *at++;
        const std::uint32_t languages = occ.languages();
        for (std::uint32_t s = 0; s < sets; ++s) {
            const std::uint32_t n = *at++;
            bool any = false;
            for (std::uint32_t k = 0; k < n && !any; ++k)
                any = (at[2 * k + 1] & languages) != 0 && occ.present(at[2 * k]);
            if (!any) return false;
            at += 2 * n;
        }
        return true;
    }

    Stemming stemming_;
    std::shared_ptr<const TermFrequencies> frequencies_;
    TermDictionary dict_;
    std::vector<CompiledQuery> queries_;
    struct Pending {
        std::uint32_t term, languages;  // the languages the term counts in for this query
        Posting posting;
    };
    std::vector<Pending> pending_;  // until finish()
    // Term id -> its first posting, and the languages any of its postings' terms count in
    // (what an item must have a token of for the list to be worth reading); size = terms + 1.
    struct ListHead {
        std::uint32_t begin = 0, languages = 0;
    };
    HugeVector<ListHead> lists_;
    HugeVector<Posting> postings_;          // queries anchored on each term
    std::vector<std::uint32_t> unanchored_;  // verified for every item
    std::vector<bool> restricted_;           // has feeds = [...]: checked without touching the query
    HugeVector<std::uint32_t> code_;      // every query's filter block and program, back to back
    std::vector<std::string> labels_;     // atoms as written, for explanations
    std::vector<std::string> names_;      // query -> watchlist name, apart from the rest
    std::vector<std::uint32_t> code_at_;  // query -> its program in code_
};

}  // namespace

MatchExplanation explain_reference(const Index& index, std::uint32_t id) {
    const auto* engine = dynamic_cast<const EngineIndex*>(&index);
    return engine == nullptr ? MatchExplanation{} : engine->explain_tree(id);
}

std::vector<std::string> match_reference(const Index& index, const ItemView& item) {
    const auto* engine = dynamic_cast<const EngineIndex*>(&index);
    return engine == nullptr ? std::vector<std::string>{} : engine->match_tree(item);
}

BuildResult build_index(std::span<const Watchlist> watchlists) {
    return build_index(watchlists, BuildOptions{});
}

BuildResult build_index(std::span<const Watchlist> watchlists, const BuildOptions& options) {
    BuildResult result;
    auto index = std::make_shared<EngineIndex>(options.stem_overrides, options.frequencies, options.lexicon);
    for (const auto& w : watchlists) {
        std::string notice;
        auto added = index->add(w, &notice);
        if (!notice.empty()) result.notices.push_back({w.name, std::move(notice)});
        if (added) continue;
        std::string message = added.error();
        const auto prev = std::ranges::find(options.previous, w.name, &Watchlist::name);
        if (prev != options.previous.end() && prev->query != w.query) {
            Watchlist kept = *prev;
            kept.feeds = w.feeds;
            kept.enabled = w.enabled;
            // The error still reports the new text; the caller says that the old one stays.
            (void)index->add(kept, nullptr);
        }
        result.errors.push_back({w.name, std::move(message)});
    }
    index->finish();
    result.index = std::move(index);
    return result;
}

std::vector<WatchlistError> check_query(const Watchlist& watchlist) {
    TermDictionary dict;
    const Stemming stemming(nullptr);
    auto r = compile_watchlist(watchlist, dict, stemming, nullptr);
    if (r) return {};
    return {{watchlist.name, r.error()}};
}

Result<std::shared_ptr<const StemOverrides>> load_stem_overrides(const std::string& path) {
    auto loaded = StemOverrides::load(path);
    if (!loaded) return std::unexpected(loaded.error());
    return std::make_shared<const StemOverrides>(std::move(*loaded));
}

Result<std::string> canonical_query(const Watchlist& watchlist) {
    auto parsed = parse_query(watchlist.query);
    if (!parsed)
        return fail("query", error_text(watchlist, parsed.error().column, parsed.error().message));
    return canonical(*parsed);
}

}  // namespace ww::match
