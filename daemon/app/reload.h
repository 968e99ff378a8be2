#pragma once

#include <string>
#include <vector>

#include "app/pipeline.h"
#include "config/config.h"

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
CompiledWatchlists compile_watchlists(const std::vector<config::WatchlistConfig>& wanted,
                                      const std::vector<config::WatchlistConfig>& previous,
                                      std::shared_ptr<const match::StemOverrides> stem_overrides = nullptr);

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
