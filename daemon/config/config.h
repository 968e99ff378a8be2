#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/delivery.h"
#include "core/watchlist.h"

namespace ww::config {

using std::chrono::seconds;

// Where a value came from, for messages such as "wirewatch.toml:12:9: ...".
struct Location {
    std::string file;
    int line = 0;
    int column = 0;
};

struct Problem {
    Location where;
    std::string message;
};
std::string to_string(const Problem& p);  // "file:line:column: message"

struct DaemonSection {
    std::filesystem::path state_dir = "/var/lib/wirewatch";
    std::string log_level = "info";
    std::size_t workers = 2;  // parse+match threads
    std::filesystem::path stem_overrides;  // empty: the shipped table next to the config, if any
    std::filesystem::path entities;        // the lexicon's reviewed table; empty: entities.tsv next
                                           // to the config, else the shipped one
    std::filesystem::path plugin_dir = "/usr/lib/wirewatch/plugins";  // sink plugins (*.so)
};

struct PublishSection {
    std::string endpoint = "tcp://127.0.0.1:5556";
    std::string replay_endpoint = "tcp://127.0.0.1:5557";
    seconds heartbeat{5};
    seconds retention{30 * 86400};
    std::size_t max_batch = 1000;
    int send_hwm = 100'000;
    std::filesystem::path curve_secret_key_file;
    std::filesystem::path curve_allowed_clients;
    bool allow_insecure = false;
};

struct FetchSection {
    std::string user_agent;  // empty: wirewatch/<version> (+<project url>)
    std::size_t max_in_flight = 64;
    std::size_t per_host = 2;
    seconds connect_timeout{10};
    seconds timeout{30};
    std::size_t max_body = 15u << 20;
    std::string proxy;
    bool allow_private_networks = false;
};

struct ScheduleSection {
    seconds min_interval{5 * 60};
    seconds max_interval{24 * 3600};
};

struct HttpSection {
    // Entries of each feed of alerts (/feeds/*.atom, *.json; docs/web.md): the newest N alerts.
    std::size_t feed_items = 50;
    std::string listen = "127.0.0.1:9108";  // "" disables the listener
    // Host names (a reverse proxy's, "name" or "name:port") answered besides the listen
    // address and localhost; any other Host gets 421 (DNS rebinding, docs/robustness.md).
    std::vector<std::string> allowed_hosts;
    std::size_t max_connections = 64;
    std::size_t max_connections_per_peer = 32;
};

struct WebSubSection {
    std::string callback_base;  // "" disables WebSub
    // The callback listener: its own address, because callbacks face the hubs (often through a
    // reverse proxy) while [http] serves metrics to operators.
    std::string listen = "127.0.0.1:9109";
    seconds lease{10 * 86400};  // hub.lease_seconds asked for; the hub decides
};

struct StoreSection {
    seconds keep_items{7 * 86400};   // analysed text kept for backtests
    seconds seen_retention{90 * 86400};  // seen-marks older than this and absent from the feed
};

struct FeedConfig {
    std::string url;
    std::string name;                 // defaults to the URL
    std::optional<seconds> interval;  // nullopt: "auto"
    std::vector<std::string> tags;
    std::string language;
    std::string user_agent;
    std::map<std::string, std::string> headers;
    std::string proxy;
    std::string username;
    std::filesystem::path password_file;
    std::optional<bool> allow_private_networks;
    // Send hub.secret to a hub named by an http:// URL (readable on the way): refused unless set.
    bool websub_allow_insecure_secret = false;
    std::size_t backfill = 0;
    Location where;
};

struct WatchlistConfig : Watchlist {
    Location where;
    // Story clustering (docs/stories.md): an item joining a story this watchlist alerted within
    // story_window is a story.update, not an alert; story_threshold is the word overlap that
    // joins; alert_on_update sends item.updated when an alerted item is edited.
    seconds story_window{48 * 3600};
    double story_threshold = 0.4;
    bool alert_on_update = false;
    // Delivery policy (docs/delivery-policy.md): at most one alert per cooldown period, or one
    // digest at fixed times instead of alerts; priority "high" bypasses both.
    std::optional<seconds> cooldown;
    std::optional<DigestSpec> digest;
    Priority priority = Priority::normal;
};

// A [[sink]] table: the host keys are parsed here, the plugin's own keys are passed through
// as text for the plugin to validate.
struct SinkConfig {
    std::string name;
    std::string plugin;
    std::string url;
    std::vector<std::string> watchlists;  // globs; empty = all
    std::map<std::string, std::string> options;
    Location where;
};

struct Config {
    std::filesystem::path file;
    DaemonSection daemon;
    PublishSection publish;
    FetchSection fetch;
    ScheduleSection schedule;
    HttpSection http;
    WebSubSection websub;
    StoreSection store;
    std::vector<FeedConfig> feeds;
    std::vector<WatchlistConfig> watchlists;
    std::vector<SinkConfig> sinks;
};

using LoadResult = std::expected<Config, std::vector<Problem>>;

// Reads the file and, beside it, feeds.d/*.toml and watchlists.d/*.toml (in name order), each
// of which may hold [[feed]] and [[watchlist]] tables. Every problem is reported, each with its
// location; a config with any problem is rejected whole.
LoadResult load(const std::filesystem::path& file);

// `wirewatch bridge`'s configuration (config/bridge.toml): where the daemon publishes, where
// the bridge keeps its cursors, and the same [[sink]] tables as the daemon's, read by the same
// code (arrays of strings, quiet_hours, file:line:column errors, "did you mean").
struct BridgeConfig {
    std::filesystem::path file;
    std::string endpoint = "tcp://127.0.0.1:5556";
    std::string replay_endpoint = "tcp://127.0.0.1:5557";
    std::filesystem::path state_dir = "/var/lib/wirewatch-bridge";
    std::filesystem::path plugin_dir = "/usr/lib/wirewatch/plugins";
    std::string server_key;        // the daemon's CURVE public key, or a file holding it
    std::string client_key_file;   // this bridge's key pair
    std::string log_level = "info";
    std::vector<SinkConfig> sinks;
};
using BridgeLoadResult = std::expected<BridgeConfig, std::vector<Problem>>;
BridgeLoadResult load_bridge(const std::filesystem::path& file);

// Everything load() finds, with the config as far as it could be read (a table with a bad key
// still gives its good ones): `wirewatch check-config` reports every problem of every kind in
// one run instead of stopping at the first kind.
struct Checked {
    Config config;
    std::vector<Problem> problems;
};
Checked load_checked(const std::filesystem::path& file);
// The same from text (for tests and fuzzing); `name` is used in locations.
LoadResult load_string(std::string_view text, const std::string& name);

}  // namespace ww::config
