#include "sink/sink_options.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "sink/apprise_url.h"

namespace ww::sink {

namespace {

bool is_secret_key(std::string_view key) {
    static const std::set<std::string_view> keys{"token", "secret", "password", "access_token",
                                                 "bot_token", "url", "webhook_url"};
    return keys.contains(key);
}

std::string where_of(const SinkSpec& spec) {
    return "sink=" + spec.name + (spec.where.empty() ? "" : " at " + spec.where);
}

Result<std::string> read_secret_file(const SinkSpec& spec, std::string_view key,
                                     const std::string& value, const std::filesystem::path& creds) {
    std::filesystem::path path = value;
    if (value.starts_with("credential:")) {
        std::filesystem::path dir = creds;
        if (dir.empty())
            if (const char* env = std::getenv("CREDENTIALS_DIRECTORY")) dir = env;
        if (dir.empty())
            return fail("config", "sink: " + std::string(key) + " asks for a systemd credential but "
                                  "CREDENTIALS_DIRECTORY is not set (" + where_of(spec) + ")");
        path = dir / value.substr(std::string_view("credential:").size());
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail("config", "sink: cannot read " + std::string(key) + " file " + path.string() +
                                  " (" + where_of(spec) + ")");
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

Result<void> take_host_key(const SinkSpec& spec, const std::string& key, const std::string& value,
                           RetryPolicy& p) {
    auto bad = [&](std::string_view why) {
        return fail("config", "sink: " + key + " " + std::string(why) + " (" + where_of(spec) + ")");
    };
    if (key == "retry_initial" || key == "retry_max" || key == "min_interval" || key == "timeout") {
        auto d = parse_millis(value);
        if (!d) return bad("must be a duration such as 500ms, 2s or 5m");
        (key == "retry_initial" ? p.initial : key == "retry_max" ? p.max
                                        : key == "min_interval" ? p.min_interval : p.timeout) = *d;
    } else if (key == "quiet_hours") {
        auto q = parse_quiet_hours(value);
        if (!q) return fail("config", "sink: " + q.error().message + " (" + where_of(spec) + ")");
        auto zone = load_zone(q->zone);
        if (!zone) return fail("config", "sink: " + zone.error().message + " (" + where_of(spec) + ")");
        p.quiet_hours = *q;
        p.quiet_zone = *zone;
    } else if (key == "max_attempts") {
        auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), p.max_attempts);
        if (ec != std::errc{} || ptr != value.data() + value.size()) return bad("must be a whole number");
    } else if (key == "jitter") {
        char* end = nullptr;
        p.jitter = std::strtod(value.c_str(), &end);
        if (end != value.c_str() + value.size() || p.jitter < 0 || p.jitter > 1) return bad("must be between 0 and 1");
    }
    return {};
}

}  // namespace

Result<ResolvedSink> resolve_sink(const SinkSpec& spec, const std::filesystem::path& creds) {
    static const std::set<std::string_view> host_keys{"retry_initial", "retry_max", "max_attempts",
                                                      "jitter", "min_interval", "timeout", "quiet_hours"};
    ResolvedSink r;
    r.name = spec.name;
    r.plugin = spec.plugin;
    r.watchlists = spec.watchlists;
    std::map<std::string, std::string> opts;
    if (!spec.url.empty()) {
        auto addr = parse_sink_url(spec.url, spec.plugin);
        if (!addr)
            return fail("config", addr.error().message + " (" + where_of(spec) + ")");
        if (!spec.plugin.empty() && spec.plugin != addr->plugin)
            return fail("config", "sink: url is for plugin \"" + addr->plugin + "\" but plugin = \"" +
                                      spec.plugin + "\" (" + where_of(spec) + ")");
        r.plugin = addr->plugin;
        opts = addr->options;
        r.secrets = addr->secrets;
    }
    if (r.plugin.empty()) return fail("config", "sink: needs a plugin or a url (" + where_of(spec) + ")");
    for (const auto& [key, value] : spec.options) {
        if (host_keys.contains(key)) {
            if (auto ok = take_host_key(spec, key, value, r.policy); !ok) return std::unexpected(ok.error());
        } else if (key.size() > 5 && key.ends_with("_file")) {
            auto content = read_secret_file(spec, key, value, creds);
            if (!content) return std::unexpected(content.error());
            r.secrets.push_back(*content);
            opts[key.substr(0, key.size() - 5)] = *content;
        } else {
            if (is_secret_key(key)) r.secrets.push_back(value);
            opts[key] = value;
        }
    }
    r.plugin_options.assign(opts.begin(), opts.end());
    return r;
}

}  // namespace ww::sink
