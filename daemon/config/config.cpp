#include "config/config.h"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <system_error>

#include <toml++/toml.h>

#include "config/toml_guard.h"
#include "core/duration.h"
#include "core/text.h"

namespace ww::config {
namespace {

Location location_of(const toml::source_region& src, const std::string& file) {
    return {file, static_cast<int>(src.begin.line), static_cast<int>(src.begin.column)};
}

const char* type_name(toml::node_type t) {
    switch (t) {
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a number";
        case toml::node_type::boolean: return "a boolean";
        case toml::node_type::array: return "an array";
        case toml::node_type::table: return "a table";
        default: return "a date or time";
    }
}

// Reads one TOML table against a schema: every getter marks its key as known; finish()
// reports the keys nobody asked for. Problems accumulate; nothing throws.
class Reader {
public:
    Reader(const toml::table& table, std::string where, const std::string& file,
           std::vector<Problem>& problems)
        : table_(table), where_(std::move(where)), file_(file), problems_(problems) {}

    void string(std::string_view key, std::string& out) {
        if (auto* n = take(key, toml::node_type::string)) out = *n->value<std::string>();
    }
    void path(std::string_view key, std::filesystem::path& out) {
        std::string s;
        string(key, s);
        if (!s.empty()) out = s;
    }
    void boolean(std::string_view key, bool& out) {
        if (auto* n = take(key, toml::node_type::boolean)) out = *n->value<bool>();
    }
    void optional_boolean(std::string_view key, std::optional<bool>& out) {
        if (auto* n = take(key, toml::node_type::boolean)) out = *n->value<bool>();
    }
    template <class Int>
    void integer(std::string_view key, Int& out, std::int64_t min, std::int64_t max) {
        auto* n = take(key, toml::node_type::integer);
        if (!n) return;
        const auto v = *n->value<std::int64_t>();
        if (v < min || v > max)
            report(*n, std::string(key) + " must be between " + std::to_string(min) + " and " +
                           std::to_string(max));
        else
            out = static_cast<Int>(v);
    }
    void duration(std::string_view key, seconds& out) {
        auto* n = take(key, toml::node_type::string);
        if (!n) return;
        auto d = parse_duration(*n->value<std::string>());
        if (!d)
            report(*n, std::string(key) + ": " + d.error().message);
        else
            out = *d;
    }
    // An integer or a float, within [min, max].
    void number(std::string_view key, double& out, double min, double max) {
        const toml::node* n = raw(key);
        if (!n) return;
        if (!n->is_number()) {
            report(*n, std::string(key) + " must be a number, not " + type_name(n->type()));
            return;
        }
        const double v = n->is_integer() ? double(*n->value<std::int64_t>()) : *n->value<double>();
        if (v < min || v > max)
            report(*n, std::string(key) + " must be between " + std::to_string(min) + " and " + std::to_string(max));
        else
            out = v;
    }
    void string_list(std::string_view key, std::vector<std::string>& out) {
        auto* n = take(key, toml::node_type::array);
        if (!n) return;
        out.clear();
        for (const auto& e : *n->as_array()) {
            if (!e.is_string()) {
                report(e, std::string(key) + " must be an array of strings");
                continue;
            }
            out.push_back(*e.value<std::string>());
        }
    }
    void string_map(std::string_view key, std::map<std::string, std::string>& out) {
        auto* n = take(key, toml::node_type::table);
        if (!n) return;
        for (const auto& [k, v] : *n->as_table()) {
            if (!v.is_string())
                report(v, std::string(key) + "." + std::string(k.str()) + " must be a string");
            else
                out[std::string(k.str())] = *v.value<std::string>();
        }
    }
    // Every key not read yet, as text (for plugin options).
    void rest_as_strings(std::map<std::string, std::string>& out) {
        for (const auto& [k, v] : table_) {
            const std::string key(k.str());
            if (known_.contains(key)) continue;
            known_.insert(key);
            if (v.is_string())
                out[key] = *v.value<std::string>();
            else if (v.is_integer())
                out[key] = std::to_string(*v.value<std::int64_t>());
            else if (v.is_boolean())
                out[key] = *v.value<bool>() ? "true" : "false";
            else if (v.is_array())
                joined_strings(key, *v.as_array(), out);
            else
                report(v, key + ": plugin options must be strings, integers, booleans or arrays of strings");
        }
    }
    // Plugins take options as text: an array of strings (the e-mail sink's `to`) is passed as
    // "a, b". An element holding a comma would be read back as two, so it is refused.
    void joined_strings(const std::string& key, const toml::array& arr, std::map<std::string, std::string>& out) {
        std::string text;
        for (const auto& e : arr) {
            const auto s = e.value<std::string>();
            if (!e.is_string() || s->find(',') != std::string::npos) {
                report(e, key + ": each element must be a string without a comma");
                return;
            }
            text += (text.empty() ? "" : ", ") + *s;
        }
        out[key] = text;
    }
    const toml::node* raw(std::string_view key) {
        known_.insert(std::string(key));
        return table_.get(key);
    }
    void finish() {
        const std::vector<std::string> valid(known_.begin(), known_.end());
        for (const auto& [k, v] : table_)
            if (!known_.contains(std::string(k.str())))
                problems_.push_back({location_of(k.source(), file_), "unknown key \"" + std::string(k.str()) +
                                                                         "\" in " + where_ + did_you_mean(k.str(), valid)});
    }
    void report(const toml::node& n, std::string message) {
        problems_.push_back({location_of(n.source(), file_), std::move(message)});
    }
    void report_at(const Location& where, std::string message) {
        problems_.push_back({where, std::move(message)});
    }
    Location here() const { return location_of(table_.source(), file_); }

private:
    const toml::node* take(std::string_view key, toml::node_type want) {
        known_.insert(std::string(key));
        const toml::node* n = table_.get(key);
        if (!n) return nullptr;
        if (n->type() != want) {
            report(*n, std::string(key) + " must be " + type_name(want) + ", not " +
                           type_name(n->type()));
            return nullptr;
        }
        return n;
    }

    const toml::table& table_;
    std::string where_;
    const std::string& file_;
    std::vector<Problem>& problems_;
    std::set<std::string> known_;
};

void read_daemon(Reader& r, DaemonSection& d) {
    r.path("state_dir", d.state_dir);
    r.string("log_level", d.log_level);
    r.integer("workers", d.workers, 1, 64);
    r.path("stem_overrides", d.stem_overrides);
    r.path("entities", d.entities);
    r.path("plugin_dir", d.plugin_dir);
    static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error", "critical", "off"};
    if (!levels.contains(d.log_level))
        if (auto* n = r.raw("log_level"))
            r.report(*n, "log_level must be one of trace, debug, info, warn, error, critical, off");
}

void read_publish(Reader& r, PublishSection& p) {
    r.string("endpoint", p.endpoint);
    r.string("replay_endpoint", p.replay_endpoint);
    r.duration("heartbeat", p.heartbeat);
    r.duration("retention", p.retention);
    r.integer("max_batch", p.max_batch, 1, 100'000);
    r.integer("send_hwm", p.send_hwm, 0, 10'000'000);
    r.path("curve_secret_key_file", p.curve_secret_key_file);
    r.path("curve_allowed_clients", p.curve_allowed_clients);
    r.boolean("allow_insecure", p.allow_insecure);
    if (p.heartbeat.count() <= 0)
        if (auto* n = r.raw("heartbeat")) r.report(*n, "heartbeat must be at least 1s");
}

void read_fetch(Reader& r, FetchSection& f) {
    r.string("user_agent", f.user_agent);
    r.integer("max_in_flight", f.max_in_flight, 1, 10'000);
    r.integer("per_host", f.per_host, 1, 1000);
    r.duration("connect_timeout", f.connect_timeout);
    r.duration("timeout", f.timeout);
    r.integer("max_body", f.max_body, 1024, std::int64_t{1} << 32);
    r.string("proxy", f.proxy);
    r.boolean("allow_private_networks", f.allow_private_networks);
}

void read_schedule(Reader& r, ScheduleSection& s) {
    r.duration("min_interval", s.min_interval);
    r.duration("max_interval", s.max_interval);
}

bool valid_name(std::string_view name) {
    return !name.empty() && std::ranges::all_of(name, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

FeedConfig read_feed(Reader& r) {
    FeedConfig f;
    f.where = r.here();
    r.string("url", f.url);
    r.string("name", f.name);
    if (auto* n = r.raw("interval")) {
        if (!n->is_string()) {
            r.report(*n, "interval must be a string such as \"10m\" or \"auto\"");
        } else if (*n->value<std::string>() != "auto") {
            auto d = parse_duration(*n->value<std::string>());
            if (!d)
                r.report(*n, "interval: " + d.error().message);
            else if (d->count() < 1)
                r.report(*n, "interval must be at least 1s");
            else
                f.interval = *d;
        }
    }
    r.string_list("tags", f.tags);
    r.string("language", f.language);
    r.string("user_agent", f.user_agent);
    r.string_map("headers", f.headers);
    r.string("proxy", f.proxy);
    r.string("username", f.username);
    r.path("password_file", f.password_file);
    r.optional_boolean("allow_private_networks", f.allow_private_networks);
    r.boolean("websub_allow_insecure_secret", f.websub_allow_insecure_secret);
    r.integer("backfill", f.backfill, 0, 1000);
    if (f.url.empty()) {
        r.report_at(f.where, "[[feed]] needs a url");
    } else if (!f.url.starts_with("http://") && !f.url.starts_with("https://")) {
        r.report(*r.raw("url"), "feed url must start with http:// or https://: " + f.url);
    }
    if (f.name.empty()) f.name = f.url;
    return f;
}

// cooldown, digest, priority: each bad value is reported at its own line.
void read_delivery_policy(Reader& r, WatchlistConfig& w) {
    seconds cooldown{0};
    r.duration("cooldown", cooldown);
    if (const auto* n = r.raw("cooldown"); n && n->is_string()) {
        if (cooldown.count() >= 1)
            w.cooldown = cooldown;
        else if (parse_duration(*n->value<std::string>()))
            r.report(*n, "cooldown must be at least 1s");
    }
    std::string text;
    if (const auto* n = r.raw("digest")) {
        r.string("digest", text);
        if (n->is_string()) {
            if (auto d = parse_digest(text); !d)
                r.report(*n, "watchlist \"" + w.name + "\": " + d.error().message);
            else
                w.digest = *d;
        }
    }
    if (const auto* n = r.raw("priority")) {
        text.clear();
        r.string("priority", text);
        if (n->is_string()) {
            if (auto p = parse_priority(text); !p)
                r.report(*n, "watchlist \"" + w.name + "\": " + p.error().message);
            else
                w.priority = *p;
        }
    }
    if (w.cooldown && w.digest)
        r.report(*r.raw("digest"), "watchlist \"" + w.name + "\": cooldown and digest exclude each other "
                                   "(a digest already sends at most one alert per period)");
}

WatchlistConfig read_watchlist(Reader& r) {
    WatchlistConfig w;
    w.where = r.here();
    r.string("name", w.name);
    r.string("query", w.query);
    r.string_list("feeds", w.feeds);
    r.boolean("enabled", w.enabled);
    r.duration("story_window", w.story_window);
    r.number("story_threshold", w.story_threshold, 0.05, 1.0);
    r.boolean("alert_on_update", w.alert_on_update);
    if (w.name.empty())
        r.report_at(w.where, "[[watchlist]] needs a name");
    else if (!valid_name(w.name))
        r.report(*r.raw("name"), "watchlist name \"" + w.name + "\" must match [a-z0-9-]+");
    if (w.query.empty()) r.report_at(w.where, "watchlist \"" + w.name + "\" needs a query");
    read_delivery_policy(r, w);
    return w;
}

SinkConfig read_sink(Reader& r) {
    SinkConfig s;
    s.where = r.here();
    r.string("name", s.name);
    r.string("plugin", s.plugin);
    r.string("url", s.url);
    r.string_list("watchlists", s.watchlists);
    // A host key (sink/sink_options.h) checked here too, so that a bad value names its line.
    if (const auto* n = r.raw("quiet_hours")) {
        std::string quiet;
        r.string("quiet_hours", quiet);
        if (n->is_string()) {
            if (auto q = parse_quiet_hours(quiet); !q)
                r.report(*n, "sink \"" + s.name + "\": " + q.error().message);
            s.options["quiet_hours"] = quiet;
        }
    }
    r.rest_as_strings(s.options);
    if (s.name.empty()) r.report_at(s.where, "[[sink]] needs a name");
    if (s.plugin.empty() && s.url.empty())
        r.report_at(s.where, "sink \"" + s.name + "\" needs a plugin or a url");
    return s;
}

template <class Fn>
void each_table(const toml::table& root, std::string_view key, const std::string& file,
                std::vector<Problem>& problems, Fn&& fn) {
    const toml::node* n = root.get(key);
    if (!n) return;
    const auto* arr = n->as_array();
    if (!arr || !arr->is_array_of_tables()) {
        problems.push_back({location_of(n->source(), file),
                            std::string(key) + " must be written as [[" + std::string(key) + "]] tables"});
        return;
    }
    for (const auto& e : *arr) {
        Reader r(*e.as_table(), "[[" + std::string(key) + "]]", file, problems);
        fn(r);
        r.finish();
    }
}

void read_http(Reader& r, HttpSection& h) {
    r.string("listen", h.listen);
    r.integer("feed_items", h.feed_items, 1, 1000);
    r.string_list("allowed_hosts", h.allowed_hosts);
    for (const auto& host : h.allowed_hosts)
        if (host.empty() || host.find_first_of(" \t\r\n/,@") != std::string::npos)
            r.report(*r.raw("allowed_hosts"), "[http] allowed_hosts: \"" + host +
                                                  "\" is not a host name (\"name\" or \"name:port\")");
    r.integer("max_connections", h.max_connections, 1, 65536);
    r.integer("max_connections_per_peer", h.max_connections_per_peer, 1, 65536);
}

void read_websub(Reader& r, WebSubSection& w) {
    r.string("callback_base", w.callback_base);
    r.string("listen", w.listen);
    r.duration("lease", w.lease);
    if (!w.callback_base.empty() && !w.callback_base.starts_with("http://") && !w.callback_base.starts_with("https://"))
        r.report_at(r.here(), "[websub] callback_base must be an http or https URL");
    if (w.lease < seconds(60)) r.report_at(r.here(), "[websub] lease must be at least 1m");
}

template <class Fn>
void section(const toml::table& root, std::string_view key, const std::string& file,
             std::vector<Problem>& problems, Fn&& fn) {
    const toml::node* n = root.get(key);
    if (!n) return;
    if (!n->is_table()) {
        problems.push_back({location_of(n->source(), file), "[" + std::string(key) + "] must be a table"});
        return;
    }
    Reader r(*n->as_table(), "[" + std::string(key) + "]", file, problems);
    fn(r);
    r.finish();
}

// `interval = 5m` is not TOML; users write it that way because the docs show durations. When the
// line that failed is such an assignment, the message says how to write it.
std::string unquoted_duration_hint(std::string_view text, std::size_t line) {
    std::size_t begin = 0;
    for (std::size_t n = 1; n < line && begin != std::string_view::npos; ++n) {
        begin = text.find('\n', begin);
        if (begin != std::string_view::npos) ++begin;
    }
    if (begin == std::string_view::npos || line == 0) return {};
    const std::string_view row = text.substr(begin, text.find('\n', begin) - begin);
    static const std::regex duration(R"(^\s*([A-Za-z0-9_-]+)\s*=\s*([0-9]+(\.[0-9]+)?\s*(ms|s|m|h|d|w))\s*(#.*)?$)");
    std::cmatch m;
    if (!std::regex_match(row.begin(), row.end(), m, duration)) return {};
    return " (durations are strings: write " + m[1].str() + " = \"" + m[2].str() + "\")";
}

std::optional<toml::table> parse_toml(std::string_view text, const std::string& file,
                                      std::vector<Problem>& problems) {
    // toml++ 3.3 has undefined behaviour on some characters (toml_guard.h): refuse them first.
    if (auto unsafe = find_unsafe_toml_character(text, file)) {
        problems.push_back(std::move(*unsafe));
        return std::nullopt;
    }
    try {
        return toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        problems.push_back({location_of(e.source(), file),
                            std::string(e.description()) + unquoted_duration_hint(text, e.source().begin.line)});
        return std::nullopt;
    }
}

// [[feed]] and [[watchlist]] tables, from the main file or a drop-in.
void read_lists(const toml::table& root, const std::string& file, Config& c,
                std::vector<Problem>& problems) {
    each_table(root, "feed", file, problems, [&](Reader& r) { c.feeds.push_back(read_feed(r)); });
    each_table(root, "watchlist", file, problems,
               [&](Reader& r) { c.watchlists.push_back(read_watchlist(r)); });
}

void read_main(const toml::table& root, const std::string& file, Config& c,
               std::vector<Problem>& problems) {
    static const std::vector<std::string> top{"daemon", "publish", "fetch", "schedule", "http",
                                              "websub", "store", "feed", "watchlist", "sink"};
    for (const auto& [k, v] : root)
        if (std::ranges::find(top, k.str()) == top.end())
            problems.push_back({location_of(k.source(), file), "unknown key \"" + std::string(k.str()) +
                                                                   "\" at the top level" + did_you_mean(k.str(), top)});
    section(root, "daemon", file, problems, [&](Reader& r) { read_daemon(r, c.daemon); });
    section(root, "publish", file, problems, [&](Reader& r) { read_publish(r, c.publish); });
    section(root, "fetch", file, problems, [&](Reader& r) { read_fetch(r, c.fetch); });
    section(root, "schedule", file, problems, [&](Reader& r) { read_schedule(r, c.schedule); });
    section(root, "http", file, problems, [&](Reader& r) { read_http(r, c.http); });
    section(root, "websub", file, problems, [&](Reader& r) { read_websub(r, c.websub); });
    section(root, "store", file, problems, [&](Reader& r) {
        r.duration("keep_items", c.store.keep_items);
        r.duration("seen_retention", c.store.seen_retention);
    });
    read_lists(root, file, c, problems);
    each_table(root, "sink", file, problems, [&](Reader& r) { c.sinks.push_back(read_sink(r)); });
}

void read_dropin(const toml::table& root, const std::string& file, Config& c,
                 std::vector<Problem>& problems) {
    for (const auto& [k, v] : root)
        if (k.str() != "feed" && k.str() != "watchlist")
            problems.push_back({location_of(k.source(), file),
                                "unknown key \"" + std::string(k.str()) +
                                    "\": a drop-in file holds only [[feed]] and [[watchlist]] tables"});
    read_lists(root, file, c, problems);
}

// Checks that span the whole config: unique names, sane ranges.
void validate(const Config& c, std::vector<Problem>& problems) {
    std::map<std::string, const Location*> feed_urls, feed_names, watchlists, sinks;
    auto unique = [&](auto& seen, const std::string& key, const Location& where, std::string what) {
        auto [it, fresh] = seen.emplace(key, &where);
        if (!fresh)
            problems.push_back({where, what + " \"" + key + "\" is already defined at " +
                                           it->second->file + ":" + std::to_string(it->second->line)});
    };
    for (const auto& f : c.feeds) {
        if (f.url.empty()) continue;
        unique(feed_urls, f.url, f.where, "feed url");
        if (f.name != f.url) unique(feed_names, f.name, f.where, "feed name");
    }
    for (const auto& w : c.watchlists)
        if (!w.name.empty()) unique(watchlists, w.name, w.where, "watchlist");
    for (const auto& s : c.sinks)
        if (!s.name.empty()) unique(sinks, s.name, s.where, "sink");
    if (c.schedule.min_interval > c.schedule.max_interval)
        problems.push_back({{c.file.string(), 0, 0},
                            "[schedule] min_interval is longer than max_interval"});
}

std::string read_file(const std::filesystem::path& p, std::vector<Problem>& problems) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        const int why = errno;
        problems.push_back({{p.string(), 0, 0}, "cannot read the file: " + std::generic_category().message(why)});
        return {};
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Every filesystem call here takes an error_code: a symlink loop, a dangling link or a
// directory we may not read is a problem of the config naming the path (check-config exits 1,
// a reload keeps the running config), never an exception that ends the process.
void dropin_problem(std::vector<Problem>& problems, const std::filesystem::path& p, const std::string& what,
                    std::error_code ec) {
    problems.push_back({{p.string(), 0, 0}, what + (ec ? ": " + ec.message() : std::string())});
}

// Whether a directory entry named *.toml is a file to read; reports what cannot be.
bool readable_dropin(const std::filesystem::directory_entry& e, std::vector<Problem>& problems) {
    std::error_code ec;
    const auto st = e.status(ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {
        dropin_problem(problems, e.path(), "cannot read the file", ec);
        return false;
    }
    if (st.type() == std::filesystem::file_type::not_found) {
        // Only a symbolic link can be listed and not be there: its target is missing.
        dropin_problem(problems, e.path(), "dangling symbolic link (its target does not exist)", {});
        return false;
    }
    return st.type() == std::filesystem::file_type::regular;
}

std::vector<std::filesystem::path> dropins(const std::filesystem::path& dir, std::vector<Problem>& problems) {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec);
    if (ec) {
        // No feeds.d at all is fine; a feeds.d we cannot open is not.
        std::error_code lec;
        const bool link = std::filesystem::is_symlink(dir, lec);
        if (ec != std::errc::no_such_file_or_directory || link)
            dropin_problem(problems, dir, "cannot read the directory", ec);
        return out;
    }
    for (const std::filesystem::directory_iterator end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".toml" && readable_dropin(*it, problems)) out.push_back(it->path());
    }
    if (ec) dropin_problem(problems, dir, "cannot list the directory", ec);
    std::ranges::sort(out);
    return out;
}

}  // namespace

std::string to_string(const Problem& p) {
    std::string s = p.where.file;
    if (p.where.line > 0) s += ":" + std::to_string(p.where.line) + ":" + std::to_string(p.where.column);
    return s + ": " + p.message;
}

LoadResult load_string(std::string_view text, const std::string& name) {
    std::vector<Problem> problems;
    Config c;
    c.file = name;
    if (auto root = parse_toml(text, name, problems)) read_main(*root, name, c, problems);
    if (problems.empty()) validate(c, problems);
    if (!problems.empty()) return std::unexpected(std::move(problems));
    return c;
}

BridgeLoadResult load_bridge(const std::filesystem::path& file) {
    std::vector<Problem> problems;
    BridgeConfig c;
    c.file = file;
    const std::string text = read_file(file, problems);
    if (!problems.empty()) return std::unexpected(std::move(problems));
    if (auto root = parse_toml(text, file.string(), problems)) {
        static const std::vector<std::string> top{"bridge", "sink"};
        for (const auto& [k, v] : *root)
            if (std::ranges::find(top, k.str()) == top.end())
                problems.push_back({location_of(k.source(), file.string()),
                                    "unknown key \"" + std::string(k.str()) +
                                        "\" (a bridge config holds [bridge] and [[sink]] tables)" +
                                        did_you_mean(k.str(), top)});
        section(*root, "bridge", file.string(), problems, [&](Reader& r) {
            r.string("endpoint", c.endpoint);
            r.string("replay_endpoint", c.replay_endpoint);
            r.path("state_dir", c.state_dir);
            r.path("plugin_dir", c.plugin_dir);
            r.string("server_key", c.server_key);
            r.string("client_key_file", c.client_key_file);
            r.string("log_level", c.log_level);
        });
        each_table(*root, "sink", file.string(), problems, [&](Reader& r) { c.sinks.push_back(read_sink(r)); });
        if (problems.empty() && c.sinks.empty())
            problems.push_back({{file.string(), 0, 0}, "no [[sink]] table: nothing to deliver to"});
    }
    const auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
    for (auto* p : {&c.state_dir, &c.plugin_dir})
        if (!p->empty() && p->is_relative()) *p = dir / *p;
    if (!problems.empty()) return std::unexpected(std::move(problems));
    return c;
}

LoadResult load(const std::filesystem::path& file) {
    auto checked = load_checked(file);
    if (!checked.problems.empty()) return std::unexpected(std::move(checked.problems));
    return std::move(checked.config);
}

Checked load_checked(const std::filesystem::path& file) {
    Checked out;
    std::vector<Problem>& problems = out.problems;
    Config& c = out.config;
    c.file = file;
    const std::string text = read_file(file, problems);
    if (!problems.empty()) return out;
    if (auto root = parse_toml(text, file.string(), problems)) read_main(*root, file.string(), c, problems);
    const auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
    for (const char* sub : {"feeds.d", "watchlists.d"}) {
        for (const auto& p : dropins(dir / sub, problems)) {
            const std::string t = read_file(p, problems);
            if (auto root = parse_toml(t, p.string(), problems)) read_dropin(*root, p.string(), c, problems);
        }
    }
    // Relative paths in the config are relative to the config file, not to the cwd.
    auto anchor = [&](std::filesystem::path& p) {
        if (!p.empty() && p.is_relative()) p = dir / p;
    };
    anchor(c.daemon.state_dir);
    anchor(c.daemon.stem_overrides);
    anchor(c.daemon.entities);
    anchor(c.daemon.plugin_dir);
    anchor(c.publish.curve_secret_key_file);
    anchor(c.publish.curve_allowed_clients);
    for (auto& f : c.feeds) anchor(f.password_file);
    validate(c, problems);
    return out;
}

}  // namespace ww::config
