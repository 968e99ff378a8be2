#include "match/matcher.h"

#include <algorithm>
#include <array>

#include "match/engine.h"

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

// Per-thread scratch of match(): reused across items so that matching allocates little.
struct Scratch {
    AnalyzedItem item;
    Occurrences occ;
    std::vector<std::uint32_t> qstamp;
    std::vector<std::uint32_t> candidates;
    std::uint32_t epoch = 0;
};
Scratch& scratch() {
    thread_local Scratch s;
    return s;
}

class EngineIndex final : public Index {
public:
    explicit EngineIndex(std::shared_ptr<const StemOverrides> overrides) : stemming_(std::move(overrides)) {}

    std::vector<Hit> match(const ItemView& item) const override {
        MatchStats stats;
        return match_counted(item, stats);
    }
    std::size_t size() const override { return queries_.size(); }

    std::vector<Hit> match_counted(const ItemView& item, MatchStats& stats) const override {
        Scratch& s = scratch();
        analyze_item(item, dict_.any(Ns::surface), s.item);
        s.occ.build(s.item, dict_, stemming_);
        stats.tokens = s.item.tokens.size();
        // Candidates: every query with an anchor term in the item, plus those without anchors.
        if (s.qstamp.size() < queries_.size()) {
            s.qstamp.assign(queries_.size(), 0);
            s.epoch = 0;
        }
        if (++s.epoch == 0) {
            std::ranges::fill(s.qstamp, 0);
            s.epoch = 1;
        }
        s.candidates.clear();
        const auto mark = [&](const Posting& p) {
            if (s.qstamp[p.query] == s.epoch) return;
            s.qstamp[p.query] = s.epoch;
            if (passes_inline(p, s.occ) && passes_filters(p.filters, s.occ)) s.candidates.push_back(p.query);
        };
        for (const auto term : s.occ.touched()) {
            if (term + 1 >= post_begin_.size()) continue;
            stats.postings += post_begin_[term + 1] - post_begin_[term];
            for (auto p = post_begin_[term]; p < post_begin_[term + 1]; ++p) mark(postings_[p]);
        }
        for (const auto q : unanchored_) mark(Posting{q, kNoTerm, {kNoTerm, kNoTerm, kNoTerm, kNoTerm}});
        std::ranges::sort(s.candidates);
        stats.candidates = s.candidates.size();
        std::vector<Hit> hits;
        const VerifyContext ctx{s.item, s.occ, dict_};
        for (const auto q : s.candidates) check(q, item, ctx, hits);
        return hits;
    }

    std::vector<Hit> match_brute_force(const ItemView& item) const override {
        Scratch& s = scratch();
        analyze_item(item, dict_.any(Ns::surface), s.item);
        s.occ.build(s.item, dict_, stemming_);
        std::vector<Hit> hits;
        const VerifyContext ctx{s.item, s.occ, dict_};
        for (std::uint32_t q = 0; q < queries_.size(); ++q)
            if (queries_[q].watchlist.enabled) check(q, item, ctx, hits);
        return hits;
    }

    // Compiles and indexes one watchlist, or returns why it cannot.
    std::expected<void, std::string> add(const Watchlist& w, std::string* notice) {
        auto root = compile_watchlist(w, dict_, stemming_, notice);
        if (!root) return std::unexpected(root.error());
        const auto q = static_cast<std::uint32_t>(queries_.size());
        if (w.enabled) {
            const auto required = required_of(*root, dict_);
            if (!required.empty()) {
                // Up to three more required sets, stored flat: count, then [size, ids...] per set.
                std::uint32_t filters = kNoTerm;
                Posting posting{q, kNoTerm, {kNoTerm, kNoTerm, kNoTerm, kNoTerm}};
                if (required.size() > 1 && required[1].ids.size() <= posting.first.size())
                    std::ranges::copy(required[1].ids, posting.first.begin());
                if (required.size() > 1) {
                    filters = static_cast<std::uint32_t>(filters_.size());
                    const auto n = std::min<std::size_t>(required.size() - 1, 3);
                    filters_.push_back(static_cast<std::uint32_t>(n));
                    for (std::size_t i = 1; i <= n; ++i) {
                        filters_.push_back(static_cast<std::uint32_t>(required[i].ids.size()));
                        filters_.insert(filters_.end(), required[i].ids.begin(), required[i].ids.end());
                    }
                }
                posting.filters = filters;
                for (const auto id : required[0].ids) pending_.emplace_back(id, posting);
            } else {
                unanchored_.push_back(q);
            }
        }
        queries_.push_back({w, std::move(*root)});
        restricted_.push_back(!w.feeds.empty());
        return {};
    }

    const Stemming& stemming() const { return stemming_; }

private:
    void check(std::uint32_t q, const ItemView& item, const VerifyContext& ctx,
               std::vector<Hit>& hits) const {
        const auto& cq = queries_[q];
        if (restricted_[q] &&
            std::ranges::find(cq.watchlist.feeds, item.feed_name) == cq.watchlist.feeds.end())
            return;
        if (!verify(cq.root, ctx)) return;
        hits.push_back({cq.watchlist.name, explain(cq.root, ctx)});
    }

public:
    // After the last add(): postings into one array ordered by term (CSR), read sequentially
    // by every item.
    void finish() {
        std::ranges::stable_sort(pending_, {}, &std::pair<std::uint32_t, Posting>::first);
        post_begin_.assign(dict_.size() + 1, 0);
        for (const auto& [term, p] : pending_) ++post_begin_[term + 1];
        for (std::size_t t = 1; t < post_begin_.size(); ++t) post_begin_[t] += post_begin_[t - 1];
        postings_.clear();
        postings_.reserve(pending_.size());
        for (const auto& [term, p] : pending_) postings_.push_back(p);
        pending_.clear();
        pending_.shrink_to_fit();
    }

private:
    struct Posting {
        std::uint32_t query;
        std::uint32_t filters;  // offset in filters_, or kNoTerm
        // The first filter set again, when small: most candidates fail it, and it is read
        // with the posting instead of from filters_ elsewhere in memory.
        std::array<std::uint32_t, 4> first;
    };

    static bool passes_inline(const Posting& p, const Occurrences& occ) {
        if (p.first[0] == kNoTerm) return true;
        for (const auto id : p.first)
            if (id != kNoTerm && occ.present(id)) return true;
        return false;
    }

    // Necessary before exact verification: one term of each filter set occurs in the item.
    // Checked from flat arrays and a bitset, where verification chases the query's nodes
    // through memory.
    bool passes_filters(std::uint32_t at, const Occurrences& occ) const {
        if (at == kNoTerm) return true;
        const std::uint32_t sets = filters_[at++];
        for (std::uint32_t s = 0; s < sets; ++s) {
            const std::uint32_t n = filters_[at++];
            bool any = false;
            for (std::uint32_t k = 0; k < n && !any; ++k) any = occ.present(filters_[at + k]);
            if (!any) return false;
            at += n;
        }
        return true;
    }

    Stemming stemming_;
    TermDictionary dict_;
    std::vector<CompiledQuery> queries_;
    std::vector<std::pair<std::uint32_t, Posting>> pending_;  // (term, posting) until finish()
    std::vector<std::uint32_t> post_begin_;  // term id -> first posting; size = terms + 1
    std::vector<Posting> postings_;          // queries anchored on each term
    std::vector<std::uint32_t> unanchored_;  // verified for every item
    std::vector<bool> restricted_;           // has feeds = [...]: checked without touching the query
    std::vector<std::uint32_t> filters_;
};

}  // namespace

BuildResult build_index(std::span<const Watchlist> watchlists) {
    return build_index(watchlists, BuildOptions{});
}

BuildResult build_index(std::span<const Watchlist> watchlists, const BuildOptions& options) {
    BuildResult result;
    auto index = std::make_shared<EngineIndex>(options.stem_overrides);
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
