// wirewatch bridge: runs sink plugins (chat bridges) in their own process, fed over ZeroMQ.
// It subscribes first, replays from the lowest sink cursor (the resumable subscriber of
// docs/protocol.md), and hands each alert to every sink; each sink keeps its own durable cursor,
// so a bridge stopped for an hour delivers the hour's alerts, in order, when it comes back.
#include <signal.h>

#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "app/sinks.h"
#include "config/config.h"
#include "cli/registry.h"
#include "publish/curve.h"
#include "publish/resume.h"
#include "publish/subscriber.h"
#include "sink/file_cursor_store.h"
#include "sink/sink_host.h"

namespace ww::cli {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::atomic<bool> g_stop{false};

// Alerts a sink may hold in memory before the bridge stops reading (two replay pages).
constexpr std::size_t kMaxQueued = 2000;

void on_signal(int) { g_stop = true; }

void install_signal_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;  // only a flag: the loop notices within one receive timeout
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

constexpr const char* kUsage =
    "usage: wirewatch bridge --config bridge.toml [--server-key KEY|FILE] [--client-key-file FILE]\n"
    "  --config FILE          [bridge] endpoint, replay_endpoint, state_dir, plugin_dir,\n"
    "                         server_key, client_key_file, log_level; and [[sink]] tables\n"
    "  --server-key KEY|FILE  the daemon's CURVE public key (overrides [bridge] server_key)\n"
    "  --client-key-file F    this client's .key_secret file (overrides [bridge] client_key_file)\n";

using config::BridgeConfig;

// The bridge's config is read by the config module, as the daemon's is (config::load_bridge).
std::optional<BridgeConfig> load_config(const std::string& file) {
    auto loaded = config::load_bridge(file);
    if (!loaded) {
        for (const auto& p : loaded.error())
            std::fprintf(stderr, "wirewatch bridge: %s\n", config::to_string(p).c_str());
        return std::nullopt;
    }
    return std::move(*loaded);
}

// Subscribes first, then replays from `covered`, and offers every alert to the sinks until a
// signal arrives. The sinks' own cursors make a replayed duplicate harmless.
int feed_sinks(const BridgeConfig& c, const publish::CurveClientOptions& curve, sink::SinkHost& host) {
    publish::ResumableOptions options;
    options.live = {c.endpoint, {}, true, curve};
    options.replay = {c.replay_endpoint, curve, 3000ms};
    // Every topic, filtered as the daemon's own sinks are (app::for_sinks): alerts and digests
    // (digest.<watchlist>, docs/delivery-policy.md), not story events; each sink routes by
    // watchlist.
    options.prefix = "";
    options.on_warning = [](const std::string& text) { spdlog::warn("bridge: {}", text); };
    const std::int64_t covered = host.lowest_cursor();
    auto sub = publish::ResumableSubscriber::start(std::move(options), covered);
    if (!sub) {
        spdlog::error("bridge: {}", sub.error().message);
        return 1;
    }
    spdlog::info("bridge: subscribed endpoint={} replay_endpoint={} from_seq={} sinks={}", c.endpoint,
                 c.replay_endpoint, covered, c.sinks.size());
    while (!g_stop) {
        // A long outage's replay arrives page by page; stop asking while the sinks are full.
        if (!host.wait_for_room(kMaxQueued, 500ms)) continue;
        auto batch = sub->next(500ms);
        if (!batch) {
            spdlog::error("bridge: {}", batch.error().message);
            return 1;
        }
        for (const auto& a : *batch)
            if (app::for_sinks(a.topic)) host.offer({a.seq, a.topic, a.envelope});
    }
    return 0;
}

// publish::load_public_key reads a 40-character argument made of Z85 characters as an inline
// key, and such a string can also be a path ("/tmp/ww-bridge-curve-gqq01jod/daemon.key"): an
// existing file wins here, so a key file is never mistaken for a key.
Result<std::string> server_key_of(const std::string& key_or_file) {
    std::error_code ec;
    if (key_or_file.empty() || !fs::is_regular_file(key_or_file, ec)) return key_or_file;
    std::ifstream in(key_or_file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto keys = publish::parse_key_text(text, key_or_file);
    if (!keys) return std::unexpected(keys.error());
    if (keys->public_keys.size() != 1)
        return fail("config", "bridge: " + key_or_file + ": expected exactly one public key");
    return keys->public_keys.front();
}

int bridge(std::span<const std::string_view> args) {
    std::string config_file, server_key, client_key_file;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const bool has_value = i + 1 < args.size();
        if (args[i] == "--config" && has_value) config_file = args[++i];
        else if (args[i] == "--server-key" && has_value) server_key = args[++i];
        else if (args[i] == "--client-key-file" && has_value) client_key_file = args[++i];
        else {
            std::fputs(kUsage, args[i] == "--help" ? stdout : stderr);
            return args[i] == "--help" ? 0 : 2;
        }
    }
    if (config_file.empty()) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    auto config = load_config(config_file);
    if (!config) return 2;
    spdlog::set_level(spdlog::level::from_str(config->log_level));
    auto server = server_key_of(server_key.empty() ? config->server_key : server_key);
    auto curve = server ? publish::curve_client_from(*server, client_key_file.empty() ? config->client_key_file
                                                                                     : client_key_file)
                        : Result<publish::CurveClientOptions>(std::unexpected(server.error()));
    if (!curve) {
        std::fprintf(stderr, "wirewatch bridge: %s\n", curve.error().message.c_str());
        return 1;
    }
    auto store = sink::FileCursorStore::open(config->state_dir);
    if (!store) {
        std::fprintf(stderr, "wirewatch bridge: %s\n", store.error().message.c_str());
        return 1;
    }
    install_signal_handlers();
    auto host = sink::SinkHost::start(app::sink_specs(config->sinks), {config->plugin_dir, app::sink_log(), app::sink_http(), {}, nullptr}, *store);
    if (!host) {
        std::fprintf(stderr, "wirewatch bridge: %s\n", host.error().message.c_str());
        return 1;
    }
    const int status = feed_sinks(*config, *curve, **host);
    // Sinks finish the attempt in flight; what is still queued is owed by the cursors and comes
    // back through replay next time.
    (*host)->stop();
    for (const auto& s : (*host)->status())
        spdlog::info("sink={} plugin={} delivered={} failed={} retries={} skipped={} cursor={} stopped", s.name,
                     s.plugin, s.counters.delivered, s.counters.failed, s.counters.retries, s.counters.skipped,
                     s.counters.cursor);
    return status;
}

WW_CLI_COMMAND("bridge", "run sink plugins (chat bridges) as a resumable ZeroMQ subscriber", bridge);

}  // namespace
}  // namespace ww::cli
