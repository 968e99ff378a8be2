// wirewatch feeds --config FILE [--json]: feed status from the state database, read-only (safe
// while the daemon runs).
#include <cstdio>
#include <string>
#include <vector>

#include "app/feed_report.h"
#include "cli/registry.h"
#include "config/config.h"
#include "store/store.h"

namespace ww::cli {
namespace {

int feeds(std::span<const std::string_view> args) {
    std::string config_file = "/etc/wirewatch/wirewatch.toml";
    std::string state_dir;
    bool json = false, config_given = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--json") {
            json = true;
        } else if (args[i] == "--config" && i + 1 < args.size()) {
            config_file = std::string(args[++i]);
            config_given = true;
        } else if (args[i] == "--state-dir" && i + 1 < args.size()) {
            state_dir = std::string(args[++i]);
        } else {
            const bool help = args[i] == "--help";
            std::fputs("usage: wirewatch feeds [--config FILE] [--state-dir DIR] [--json]\n", help ? stdout : stderr);
            return help ? 0 : 2;
        }
    }
    // The config names the feeds and says their intervals; its state_dir is where the daemon
    // run with it keeps its state (make run's too: it runs a copy of the config that says so).
    std::vector<config::FeedConfig> configured;
    if (state_dir.empty() || config_given) {
        auto cfg = config::load(config_file);
        if (!cfg) {
            for (const auto& p : cfg.error()) std::fprintf(stderr, "config: %s\n", to_string(p).c_str());
            return 1;
        }
        if (state_dir.empty()) state_dir = cfg->daemon.state_dir.string();
        configured = std::move(cfg->feeds);
    }
    auto store = store::Store::open(state_dir, store::Mode::read_only);
    if (!store) {
        std::fprintf(stderr, "wirewatch feeds: %s\n", store.error().message.c_str());
        return 1;
    }
    auto all = store->feeds();
    if (!all) {
        std::fprintf(stderr, "wirewatch feeds: %s\n", all.error().message.c_str());
        return 1;
    }
    // WebSub subscriptions; a database written by an older daemon has none (nor their table).
    auto subs = store->subscriptions();
    if (!subs) std::fprintf(stderr, "wirewatch feeds: no push state: %s\n", subs.error().message.c_str());
    const std::vector<store::Subscription> none;
    const auto& push = subs ? *subs : none;
    const auto text = json ? app::feeds_json(*all, push, configured) + "\n" : app::feeds_table(*all, push, configured);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}

WW_CLI_COMMAND("feeds", "feed status from the state database (read-only)", feeds);

}  // namespace
}  // namespace ww::cli
