// wirewatch bridge: runs sink plugins (chat bridges) in their own process, fed over ZeroMQ.
// It subscribes first, replays from the lowest sink cursor (the resumable subscriber of
// docs/protocol.md), and hands each alert to every sink; each sink keeps its own durable cursor,
// so a bridge stopped for an hour delivers the hour's alerts, in order, when it comes back.
#include <signal.h>

#include <spdlog/spdlog.h>
#include <toml++/toml.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "app/sinks.h"
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

struct BridgeConfig {
    std::string endpoint = "tcp://127.0.0.1:5556";
    std::string replay_endpoint = "tcp://127.0.0.1:5557";
    fs::path state_dir = "/var/lib/wirewatch-bridge";
    fs::path plugin_dir = "/usr/lib/wirewatch/plugins";
    std::string server_key;
    std::string client_key_file;
    std::string log_level = "info";
    std::vector<sink::SinkSpec> sinks;
};

std::string where(const std::string& file, const toml::source_region& r) {
    return file + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

// A [[sink]] value as text: the plugin validates its own keys.
std::optional<std::string> as_text(const toml::node& v) {
    if (auto s = v.value_exact<std::string>()) return *s;
    if (auto i = v.value_exact<std::int64_t>()) return std::to_string(*i);
    if (auto b = v.value_exact<bool>()) return *b ? "true" : "false";
    if (auto d = v.value_exact<double>()) return std::to_string(*d);
    return std::nullopt;
}

std::vector<std::string> read_sink(const toml::table& t, const std::string& file, sink::SinkSpec& s) {
    std::vector<std::string> problems;
    s.where = where(file, t.source());
    for (const auto& [k, v] : t) {
        const std::string key(k.str());
        if (key == "watchlists") {
            const auto* arr = v.as_array();
            if (!arr) {
                problems.push_back(where(file, v.source()) + ": watchlists must be a list of globs");
                continue;
            }
            for (const auto& w : *arr)
                if (auto g = w.value_exact<std::string>()) s.watchlists.push_back(*g);
                else problems.push_back(where(file, w.source()) + ": watchlists must hold strings");
            continue;
        }
        auto text = as_text(v);
        if (!text) {
            problems.push_back(where(file, v.source()) + ": " + key + " must be a string, number or boolean");
            continue;
        }
        if (key == "name") s.name = *text;
        else if (key == "plugin") s.plugin = *text;
        else if (key == "url") s.url = *text;
        else s.options[key] = *text;
    }
    if (s.name.empty()) problems.push_back(s.where + ": [[sink]] needs a name");
    return problems;
}

std::vector<std::string> read_bridge(const toml::table& t, const std::string& file, BridgeConfig& c) {
    std::vector<std::string> problems;
    for (const auto& [k, v] : t) {
        const std::string key(k.str());
        const auto s = v.value_exact<std::string>();
        if (!s) {
            problems.push_back(where(file, v.source()) + ": [bridge] " + key + " must be a string");
            continue;
        }
        if (key == "endpoint") c.endpoint = *s;
        else if (key == "replay_endpoint") c.replay_endpoint = *s;
        else if (key == "state_dir") c.state_dir = *s;
        else if (key == "plugin_dir") c.plugin_dir = *s;
        else if (key == "server_key") c.server_key = *s;
        else if (key == "client_key_file") c.client_key_file = *s;
        else if (key == "log_level") c.log_level = *s;
        else problems.push_back(where(file, k.source()) + ": unknown key \"" + key + "\" in [bridge]");
    }
    return problems;
}

std::optional<BridgeConfig> load_config(const std::string& file) {
    toml::table root;
    try {
        root = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
        std::fprintf(stderr, "wirewatch bridge: %s: %s\n", where(file, e.source()).c_str(),
                     std::string(e.description()).c_str());
        return std::nullopt;
    }
    BridgeConfig c;
    std::vector<std::string> problems;
    for (const auto& [k, v] : root) {
        const std::string key(k.str());
        if (key == "bridge" && v.is_table()) {
            auto p = read_bridge(*v.as_table(), file, c);
            problems.insert(problems.end(), p.begin(), p.end());
        } else if (key == "sink" && v.is_array_of_tables()) {
            for (const auto& t : *v.as_array()) {
                sink::SinkSpec s;
                auto p = read_sink(*t.as_table(), file, s);
                problems.insert(problems.end(), p.begin(), p.end());
                c.sinks.push_back(std::move(s));
            }
        } else {
            problems.push_back(where(file, k.source()) + ": unknown key \"" + key +
                               "\" (expected [bridge] and [[sink]] tables)");
        }
    }
    if (c.sinks.empty()) problems.push_back(file + ": no [[sink]] table: nothing to deliver to");
    for (const auto& p : problems) std::fprintf(stderr, "wirewatch bridge: %s\n", p.c_str());
    if (!problems.empty()) return std::nullopt;
    return c;
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
    auto host = sink::SinkHost::start(config->sinks, {config->plugin_dir, app::sink_log(), app::sink_http(), {}, nullptr}, *store);
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
