#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <stop_token>
#include <thread>
#include <string>
#include <string_view>
#include <vector>

#include "core/alert.h"
#include "core/error.h"
#include "config/config.h"
#include "store/store.h"

namespace boost::asio {
class io_context;
}

namespace ww::app {

// `wirewatch backtest` and GET /api/backtest (docs/stories.md, "Backtests"): a watchlist, or a
// new query, run over the items kept in the state database, clustered by story exactly as the
// live pipeline would have done.
struct BacktestRequest {
    std::string watchlist;  // a configured watchlist: its query, feeds and story settings
    std::string query;      // instead of the watchlist's query ("" = the watchlist's)
    std::chrono::seconds since{7 * 86400};  // items first seen in the last `since`
};

// One item of a story as the backtest saw it.
struct BacktestSource {
    std::string alert_id;  // the alert (or story.update) id it would have had
    SysSeconds first_seen{};
    AlertFeed feed;
    std::string key;
    std::string title;
    std::string link;
    std::optional<SysSeconds> published;
    MatchExplanation match;
    double similarity = 0.0;  // to the story (1 for the same link, 0 for the alert)
};

struct BacktestStory {
    std::string id;                        // the alert's id
    std::vector<BacktestSource> sources;   // the alert first, then its story.updates
};

struct BacktestResult {
    std::string watchlist;
    std::string query;
    SysSeconds since{};
    std::size_t items = 0;    // kept items read
    std::size_t matches = 0;  // items the query matched
    std::size_t alerts = 0;
    std::size_t story_updates = 0;
    std::vector<BacktestStory> stories;  // in order of their alerts
    // Cut short (BacktestCut): only the first `items_read` items, oldest first, were matched.
    bool partial = false;
    std::size_t items_read = 0;
    std::string cut_reason;  // "time budget" or "stopping"
};

// Where a backtest stops early, with what it found so far: past `deadline`, or when `stop` is
// requested (the daemon is stopping). Checked before each item.
struct BacktestCut {
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    std::stop_token stop;
};

// Reads "watchlist=..&query=..&since=.." (percent-encoded, '+' for space).
Result<BacktestRequest> parse_backtest_query(std::string_view query_string);

// Runs the request over `items` (oldest first, as Store::kept_items gives them). Pure but for
// the stem-override file the config may name.
Result<BacktestResult> backtest(const config::Config& config, const BacktestRequest& request,
                                std::span<const store::KeptItem> items, SysSeconds since, const BacktestCut& cut = {});

// Opens the state database read-only (safe while the daemon writes) and runs the request.
Result<BacktestResult> run_backtest(const config::Config& config, const BacktestRequest& request, SysSeconds now,
                                    const BacktestCut& cut = {});

// The daemon's POST /api/backtest: a backtest reads the whole kept window and may take
// minutes, so it never runs on the loop. One at a time, on a thread of its own, cut at
// `budget` with the partial answer.
class BacktestRunner {
public:
    using Done = std::function<void(Result<std::string> json)>;
    BacktestRunner(boost::asio::io_context& io, std::chrono::seconds budget) : io_(io), budget_(budget) {}
    ~BacktestRunner();  // asks a running backtest to stop, and waits for it
    BacktestRunner(const BacktestRunner&) = delete;
    BacktestRunner& operator=(const BacktestRunner&) = delete;

    // False when a backtest is running already. Otherwise runs it over its own copy of the
    // config, and `done` runs on the io thread with the JSON (backtest_json) or the error.
    bool start(config::Config config, BacktestRequest request, Done done);

private:
    boost::asio::io_context& io_;
    std::chrono::seconds budget_;
    std::atomic<bool> busy_{false};
    std::jthread worker_;
};

std::string backtest_json(const BacktestResult& result);
std::string backtest_text(const BacktestResult& result);

}  // namespace ww::app
