#pragma once

#include <chrono>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "app/pipeline.h"
#include "config/config.h"
#include "match/frequencies.h"
#include "store/store.h"

namespace ww::app {

// The watchlists that compiled, and the reasons for those that did not.
struct CompiledWatchlists {
    MatchSnapshot snapshot;
    std::vector<config::WatchlistConfig> in_force;
    std::vector<std::string> problems;  // 'wirewatch.toml:12:1: watchlist "x": column 17: ...'
    std::vector<std::string> notices;   // accepted but worth a line: 'read as (a OR b) AND c'
};

// Compiles `wanted`; a watchlist whose new query does not compile keeps its version from
// `previous` (when it had one) so that a typo in one watchlist never silences it.
// `frequencies` (term_frequencies_of): anchors by measured rarity; null = the word-length guess.
// `lexicon`: the one lexicon_for() gave; null = the shipped one.
CompiledWatchlists compile_watchlists(const std::vector<config::WatchlistConfig>& wanted,
                                      const std::vector<config::WatchlistConfig>& previous,
                                      std::shared_ptr<const match::StemOverrides> stem_overrides = nullptr,
                                      std::shared_ptr<const match::TermFrequencies> frequencies = nullptr,
                                      std::shared_ptr<const match::Lexicon> lexicon = nullptr);

// The lexicon a config asks for: its [daemon] entities table, else entities.tsv beside the
// config file, else the shipped one (loaded once per process). A table with a bad line is an
// error naming the file and line: the daemon does not start with it, and a reload keeps the
// running config, as with the stem overrides.
Result<std::shared_ptr<const match::Lexicon>> lexicon_for(const config::Config& config);

inline constexpr std::size_t kFrequencySample = 5000;
// Document frequencies counted on the most recent `limit` of `items` (the store's kept texts:
// the feeds actually watched), analysed with the same stem overrides as the index. Null when
// there are none, so that a fresh daemon anchors by the length guess. Costs one analysis per
// item (about 10 us for a 2 KB item): call it off the loop, like the build.
std::shared_ptr<const match::TermFrequencies> term_frequencies_of(std::span<const store::KeptItem> items,
                                                                  std::shared_ptr<const match::StemOverrides> stem_overrides,
                                                                  std::size_t limit = kFrequencySample);

// Fewer kept items than this say little: most watched terms would count 0 and tie, and the
// length guess breaks those ties better than chance.
inline constexpr std::size_t kFrequencyMinimum = 200;
// term_frequencies_of over the kept texts of the last `window` in the store of `state_dir`,
// read over a read-only connection (safe beside the store thread). Null when there are fewer
// than `minimum`, or (with a warning logged) when the store cannot be read: the build then
// guesses, which is never wrong, only slower.
std::shared_ptr<const match::TermFrequencies> recent_term_frequencies(const std::filesystem::path& state_dir,
                                                                      std::chrono::seconds window, SysSeconds now,
                                                                      std::shared_ptr<const match::StemOverrides> stem_overrides,
                                                                      std::size_t minimum = kFrequencyMinimum);

// A watchlist's story settings as configured.
StorySettings story_settings_of(const config::WatchlistConfig& watchlist);

// The stem-override table: [daemon] stem_overrides when set, else stem-overrides.tsv beside the
// config file when present, else the match module's shipped default (null).
Result<std::shared_ptr<const match::StemOverrides>> stem_overrides_for(const config::Config& config);

// How the configured feeds changed, matched by configured URL.
struct FeedDiff {
    std::vector<config::FeedConfig> added;
    std::vector<std::string> removed;              // configured URLs
    std::vector<config::FeedConfig> changed;       // same URL, other settings
};
FeedDiff diff_feeds(const std::vector<config::FeedConfig>& before,
                    const std::vector<config::FeedConfig>& after);

}  // namespace ww::app
