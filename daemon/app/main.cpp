#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "app/daemon.h"
#include "app/error_hints.h"
#include "app/logging.h"
#include "app/state_lock.h"
#include "config/config.h"

namespace {

void usage(std::FILE* out) {
    std::fprintf(out,
                 "usage: wirewatchd [--config FILE] [--once] [--state-dir DIR] [--log-level LEVEL]\n"
                 "  --config FILE      default /etc/wirewatch/wirewatch.toml\n"
                 "  --once             poll every feed once, record and publish, then exit:\n"
                 "                     0 if at least one feed was fetched, 1 if none could be\n"
                 "  --state-dir DIR    overrides [daemon] state_dir\n"
                 "  --log-level LEVEL  overrides [daemon] log_level (trace..critical, off)\n");
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_file = "/etc/wirewatch/wirewatch.toml";
    std::string state_dir, log_level;
    bool config_given = false;
    ww::app::RunOptions options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "wirewatchd: %s needs a value\n", argv[i]);
                return false;
            }
            out = argv[++i];
            return true;
        };
        if (arg == "--config") {
            if (!value(config_file)) return 2;
            config_given = true;
        } else if (arg == "--state-dir") {
            if (!value(state_dir)) return 2;
        } else if (arg == "--log-level") {
            if (!value(log_level)) return 2;
        } else if (arg == "--once") {
            options.once = true;
        } else if (arg == "--help" || arg == "-h") {
            usage(stdout);
            return 0;
        } else if (arg == "--version") {
            std::printf("wirewatchd %s\n", WW_VERSION);
            return 0;
        } else {
            std::fprintf(stderr, "wirewatchd: unknown argument \"%s\"\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }

    std::error_code ec;
    if (!std::filesystem::exists(config_file, ec)) {
        std::fprintf(stderr, "wirewatchd: no config file at %s%s; pass one with --config FILE (the shipped example is "
                             "config/wirewatch.toml)\n", config_file.c_str(), config_given ? "" : " (the default)");
        return 1;
    }
    auto cfg = ww::config::load(config_file);
    if (!cfg) {
        for (const auto& p : cfg.error()) std::fprintf(stderr, "config: %s\n", to_string(p).c_str());
        std::fprintf(stderr, "wirewatchd: not starting: %s is invalid\n", config_file.c_str());
        return 1;
    }
    if (!state_dir.empty()) cfg->daemon.state_dir = state_dir;
    if (!log_level.empty()) cfg->daemon.log_level = log_level;
    if (!ww::app::init_logging(cfg->daemon.log_level)) {
        std::fprintf(stderr, "wirewatchd: unknown log level \"%s\"\n", cfg->daemon.log_level.c_str());
        return 2;
    }
    // Held until main returns: the process's life.
    auto lock = ww::app::StateLock::acquire(cfg->daemon.state_dir);
    if (!lock) {
        spdlog::critical("{}; not starting", lock.error().message);
        return 1;
    }
    const std::string http_listen = cfg->http.listen, websub_listen = cfg->websub.listen;
    auto daemon = ww::app::Daemon::create(std::move(*cfg), options);
    if (!daemon) {
        spdlog::critical("app: cannot start: {}{}", daemon.error().message,
                         ww::app::address_in_use_hint(daemon.error().message, http_listen, websub_listen));
        return 1;
    }
    return (*daemon)->run();
}
