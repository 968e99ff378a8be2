#include "app/reload.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <tuple>

#include <spdlog/spdlog.h>

#include "match/lexicon.h"
#include "match/stemmer.h"

namespace ww::app {
namespace {

MatchSnapshot snapshot_of(const std::vector<config::WatchlistConfig>& lists,
                          std::shared_ptr<const match::Index> index,
                          std::shared_ptr<const match::StemOverrides> stem_overrides,
                          std::shared_ptr<const match::Lexicon> lexicon) {
    MatchSnapshot s{std::move(index), {}, {}, {}, {}};
    for (const auto& w : lists) {
        s.queries.emplace(w.name, w.query);
        s.stories.emplace(w.name, story_settings_of(w));
    }
    // Story sketches are stemmed like the items the index matched (docs/stories.md), with the
    // same lexicon the index uses.
    s.stemming = std::make_shared<const match::Stemming>(
        stem_overrides ? std::move(stem_overrides) : match::default_stem_overrides(), std::move(lexicon));
    for (const auto& w : lists) {
        if (!w.cooldown && !w.digest && w.priority == Priority::normal) continue;
        WatchlistPolicy p{w.cooldown, w.digest, nullptr, w.priority};
        // The zone was loaded when the config was checked; the cache answers without I/O.
        if (w.digest) {
            if (auto zone = load_zone(w.digest->zone)) p.digest_zone = *zone;
            else
                spdlog::warn("app: digest zone unavailable, digest times in UTC watchlist=\"{}\" zone=\"{}\" "
                             "error=\"{}\"", w.name, w.digest->zone, zone.error().message);
        }
        s.policies.emplace(w.name, std::move(p));
    }
    return s;
}

std::vector<Watchlist> plain(const std::vector<config::WatchlistConfig>& lists) {
    return {lists.begin(), lists.end()};
}

bool same_settings(const config::FeedConfig& a, const config::FeedConfig& b) {
    return std::tie(a.name, a.interval, a.tags, a.language, a.user_agent, a.headers, a.proxy,
                    a.username, a.password_file, a.allow_private_networks, a.backfill) ==
           std::tie(b.name, b.interval, b.tags, b.language, b.user_agent, b.headers, b.proxy,
                    b.username, b.password_file, b.allow_private_networks, b.backfill);
}

}  // namespace

StorySettings story_settings_of(const config::WatchlistConfig& w) {
    return StorySettings{w.story_window, w.story_threshold, w.alert_on_update};
}

Result<std::shared_ptr<const match::Lexicon>> lexicon_for(const config::Config& config) {
    auto table = config.daemon.entities;
    if (table.empty()) {
        auto beside = config.file.parent_path() / "entities.tsv";
        std::error_code ec;
        if (std::filesystem::exists(beside, ec)) table = beside;
    }
    if (table.empty()) {
        if (const auto* bad = match::default_lexicon_error()) return std::unexpected(*bad);
        return match::default_lexicon();
    }
    // Loading reads every Debian data file again (about 0.8 s of CPU): a table that did not
    // change since the last load (a reload, a backtest) gets the lexicon built from it.
    struct Loaded {
        std::filesystem::path table;
        std::filesystem::file_time_type mtime;
        std::uintmax_t size = 0;
        std::shared_ptr<const match::Lexicon> lexicon;
    };
    static std::mutex mutex;
    static Loaded last;
    std::error_code ec;
    const auto mtime = std::filesystem::last_write_time(table, ec);
    const auto size = ec ? 0 : std::filesystem::file_size(table, ec);
    std::lock_guard lock(mutex);
    if (!ec && last.lexicon && last.table == table && last.mtime == mtime && last.size == size) return last.lexicon;
    auto sources = match::Lexicon::default_sources();
    sources.table = table.string();
    auto loaded = match::Lexicon::load(sources);
    if (loaded && !ec) last = {table, mtime, size, *loaded};
    return loaded;
}

CompiledWatchlists compile_watchlists(const std::vector<config::WatchlistConfig>& wanted,
                                      const std::vector<config::WatchlistConfig>& previous,
                                      std::shared_ptr<const match::StemOverrides> stem_overrides,
                                      std::shared_ptr<const match::TermFrequencies> frequencies,
                                      std::shared_ptr<const match::Lexicon> lexicon) {
    const auto wanted_plain = plain(wanted);
    const auto previous_plain = plain(previous);
    // The index itself keeps the previous version of a watchlist whose new query is invalid;
    // here we keep the matching bookkeeping (query texts, locations) for the next reload.
    if (!lexicon) lexicon = match::default_lexicon();
    auto built = match::build_index(wanted_plain, {.stem_overrides = stem_overrides,
                                                   .previous = previous_plain,
                                                   .frequencies = std::move(frequencies),
                                                   .lexicon = lexicon});
    CompiledWatchlists out;
    for (const auto& n : built.notices) out.notices.push_back(n.message);
    std::map<std::string, const match::WatchlistError*> failed;
    for (const auto& e : built.errors) failed.emplace(e.watchlist, &e);
    for (const auto& w : wanted) {
        const auto bad = failed.find(w.name);
        if (bad == failed.end()) {
            out.in_force.push_back(w);
            continue;
        }
        const auto old = std::ranges::find(previous, w.name, &config::WatchlistConfig::name);
        const bool keep_old = old != previous.end();
        out.problems.push_back(to_string(config::Problem{w.where, bad->second->message}) +
                               (keep_old ? " (keeping its previous query)" : " (not loaded)"));
        if (keep_old) out.in_force.push_back(*old);
    }
    out.snapshot = snapshot_of(out.in_force, std::move(built.index), std::move(stem_overrides), std::move(lexicon));
    return out;
}

std::shared_ptr<const match::TermFrequencies> term_frequencies_of(std::span<const store::KeptItem> items,
                                                                  std::shared_ptr<const match::StemOverrides> stem_overrides,
                                                                  std::size_t limit) {
    if (items.empty() || limit == 0) return nullptr;
    // The newest items say best what the feeds write about now (kept_items is oldest first).
    const auto recent = items.subspan(items.size() - std::min(limit, items.size()));
    auto counts = std::make_shared<match::TermFrequencies>(std::move(stem_overrides));
    for (const auto& kept : recent) counts->add(view_of(kept.text));
    return counts;
}

std::shared_ptr<const match::TermFrequencies> recent_term_frequencies(const std::filesystem::path& state_dir,
                                                                      std::chrono::seconds window, SysSeconds now,
                                                                      std::shared_ptr<const match::StemOverrides> stem_overrides,
                                                                      std::size_t minimum) {
    if (window.count() <= 0) return nullptr;  // texts are not kept: nothing to count
    auto store = store::Store::open(state_dir, store::Mode::read_only);
    if (!store) return nullptr;  // no database yet: a first start guesses
    auto items = store->kept_items(now - window);
    if (!items) {
        spdlog::warn("match: anchors by word length, kept items unreadable error=\"{}\"", items.error().message);
        return nullptr;
    }
    if (items->size() < minimum) return nullptr;
    return term_frequencies_of(*items, std::move(stem_overrides));
}

Result<std::shared_ptr<const match::StemOverrides>> stem_overrides_for(const config::Config& config) {
    auto path = config.daemon.stem_overrides;
    if (path.empty()) {
        auto beside = config.file.parent_path() / "stem-overrides.tsv";
        std::error_code ec;
        if (!std::filesystem::exists(beside, ec)) return std::shared_ptr<const match::StemOverrides>();
        path = beside;
    }
    return match::load_stem_overrides(path.string());
}

FeedDiff diff_feeds(const std::vector<config::FeedConfig>& before,
                    const std::vector<config::FeedConfig>& after) {
    FeedDiff d;
    std::map<std::string, const config::FeedConfig*> old_by_url;
    for (const auto& f : before) old_by_url.emplace(f.url, &f);
    for (const auto& f : after) {
        const auto it = old_by_url.find(f.url);
        if (it == old_by_url.end()) {
            d.added.push_back(f);
        } else {
            if (!same_settings(*it->second, f)) d.changed.push_back(f);
            old_by_url.erase(it);
        }
    }
    for (const auto& [url, f] : old_by_url) d.removed.push_back(url);
    return d;
}

}  // namespace ww::app
