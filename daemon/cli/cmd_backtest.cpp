// wirewatch backtest: what a watchlist (or a new query) would have alerted over the items kept
// in the state database, clustered by story, with explanations (docs/stories.md, "Backtests").
//   wirewatch backtest --config FILE --watchlist NAME [--query 'Q'] [--since 7d] [--json]
// Read-only on the database: safe while the daemon runs. Exit 0 when it ran, 2 on a usage,
// config, query or database error.
#include <cstdio>
#include <string>

#include "app/backtest.h"
#include "cli/registry.h"
#include "config/config.h"
#include "core/duration.h"
#include "core/time.h"

namespace ww::cli {
namespace {

int usage(std::FILE* out) {
    std::fputs("usage: wirewatch backtest --config FILE --watchlist NAME [--query 'Q'] [--since 7d] [--json]\n"
               "       wirewatch backtest --config FILE --query 'Q' [--since 7d] [--json]\n"
               "Runs the watchlist (or the query) over the items kept in the state database\n"
               "([store] keep_items) and prints what it would have alerted, by story.\n",
               out);
    return out == stdout ? 0 : 2;
}

int error(const std::string& message) {
    std::fprintf(stderr, "wirewatch backtest: %s\n", message.c_str());
    return 2;
}

int run(std::span<const std::string_view> args) {
    std::string config_file;
    app::BacktestRequest request;
    bool json = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--help" || a == "-h") return usage(stdout);
        if (a == "--json") {
            json = true;
        } else if (a == "--config" && has_value) {
            config_file = std::string(args[++i]);
        } else if (a == "--watchlist" && has_value) {
            request.watchlist = std::string(args[++i]);
        } else if (a == "--query" && has_value) {
            request.query = std::string(args[++i]);
        } else if (a == "--since" && has_value) {
            auto d = parse_duration(args[++i]);
            if (!d) return error("--since: " + d.error().message);
            request.since = *d;
        } else {
            std::fprintf(stderr, "wirewatch backtest: unknown or incomplete option %.*s\n", int(a.size()), a.data());
            return usage(stderr);
        }
    }
    if (config_file.empty() || (request.watchlist.empty() && request.query.empty())) return usage(stderr);
    auto config = config::load(config_file);
    if (!config) {
        for (const auto& p : config.error()) std::fprintf(stderr, "config: %s\n", config::to_string(p).c_str());
        return 2;
    }
    auto result = app::run_backtest(*config, request, now_seconds());
    if (!result) return error(result.error().message);
    const auto text = json ? app::backtest_json(*result) : app::backtest_text(*result);
    std::fwrite(text.data(), 1, text.size(), stdout);
    // Also when nothing matched: silence would look like a failure, or like an empty database.
    std::fprintf(stderr, "read %zu items, %zu matched (%zu alerts, %zu story updates)%s\n", result->items,
                 result->matches, result->alerts, result->story_updates,
                 result->items == 0 ? ": nothing is kept yet (is the daemon running, and [store] keep_items > 0?)"
                                    : "");
    return 0;
}

}  // namespace

WW_CLI_COMMAND("backtest", "run a watchlist or query over the kept items, clustered by story", run);

}  // namespace ww::cli
