#include "match/matcher.h"

#include <algorithm>

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
        *notice = "match: watchlist \"" + w.name + "\": OR binds tighter than AND; read as " + canonical(*parsed);
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
        analyze_item(item, stemming_, s.item);
        s.occ.build(s.item, dict_);
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
        const auto mark = [&](std::uint32_t q) {
            if (s.qstamp[q] == s.epoch) return;
            s.qstamp[q] = s.epoch;
            s.candidates.push_back(q);
        };
        for (const auto term : s.occ.touched())
            if (term < postings_.size())
                for (const auto q : postings_[term]) mark(q);
        for (const auto q : unanchored_) mark(q);
        std::ranges::sort(s.candidates);
        stats.candidates = s.candidates.size();
        std::vector<Hit> hits;
        const VerifyContext ctx{s.item, s.occ};
        for (const auto q : s.candidates) check(q, item, ctx, hits);
        return hits;
    }

    std::vector<Hit> match_brute_force(const ItemView& item) const override {
        Scratch& s = scratch();
        analyze_item(item, stemming_, s.item);
        s.occ.build(s.item, dict_);
        std::vector<Hit> hits;
        const VerifyContext ctx{s.item, s.occ};
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
            if (auto a = anchors_of(*root, dict_)) {
                for (const auto id : a->ids) {
                    if (id >= postings_.size()) postings_.resize(dict_.size());
                    postings_[id].push_back(q);
                }
            } else {
                unanchored_.push_back(q);
            }
        }
        queries_.push_back({w, std::move(*root)});
        return {};
    }

    const Stemming& stemming() const { return stemming_; }

private:
    void check(std::uint32_t q, const ItemView& item, const VerifyContext& ctx,
               std::vector<Hit>& hits) const {
        const auto& cq = queries_[q];
        if (!cq.watchlist.feeds.empty() &&
            std::ranges::find(cq.watchlist.feeds, item.feed_name) == cq.watchlist.feeds.end())
            return;
        if (!verify(cq.root, ctx)) return;
        hits.push_back({cq.watchlist.name, explain(cq.root, ctx)});
    }

    Stemming stemming_;
    TermDictionary dict_;
    std::vector<CompiledQuery> queries_;
    std::vector<std::vector<std::uint32_t>> postings_;  // term id -> queries anchored on it
    std::vector<std::uint32_t> unanchored_;             // verified for every item
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
            if (index->add(kept, nullptr)) message += " (keeping the previous query \"" + prev->query + "\")";
        }
        result.errors.push_back({w.name, std::move(message)});
    }
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
