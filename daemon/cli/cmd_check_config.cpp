// `wirewatch check-config FILE`: everything the daemon would refuse at start or reload, found
// without starting it, each problem with its location. Exit 0 when the config is good, 1 when
// it is not, 2 on a usage error.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/reload.h"
#include "cli/registry.h"
#include "config/config.h"
#include "http/server.h"
#include "match/matcher.h"
#include "publish/curve.h"
#include "publish/endpoint_policy.h"
#include "sink/plugin_library.h"
#include "sink/sink_options.h"
#include "sink/watchlist_glob.h"

namespace ww::cli {
namespace {

namespace fs = std::filesystem;
using config::Location;
using config::Problem;

struct Options {
    fs::path file;
    fs::path plugin_dir;
    fs::path credentials_dir;
    bool quiet = false;
    bool load_plugins = false;
    bool json = false;
};

struct Report {
    std::vector<Problem> problems;
    std::vector<Problem> warnings;  // printed, but they do not fail the check
    void add(Location where, std::string message) { problems.push_back({std::move(where), std::move(message)}); }
    void warn(Location where, std::string message) { warnings.push_back({std::move(where), std::move(message)}); }
};

// A key of a [section] has no line of its own in Config: name the file and the key.
Location key_location(const config::Config& c, std::string_view key) {
    return {c.file.string() + ": " + std::string(key), 0, 0};
}

std::string readable_problem(const fs::path& p) {
    std::error_code ec;
    if (!fs::exists(p, ec)) return "does not exist";
    if (fs::is_directory(p, ec)) return "is a directory";
    if (::access(p.c_str(), R_OK) != 0) return "is not readable by this user";
    return {};
}

void check_file(Report& r, const Location& where, std::string_view what, const fs::path& p) {
    if (p.empty()) return;
    if (auto why = readable_problem(p); !why.empty()) r.add(where, std::string(what) + " " + p.string() + " " + why);
}

void check_watchlists(const config::Config& c, Report& r) {
    std::set<std::string> feed_names;
    for (const auto& f : c.feeds) feed_names.insert(f.name);
    // Accepted but worth knowing, e.g. OR and AND mixed without parentheses: how it is read.
    const std::vector<Watchlist> plain(c.watchlists.begin(), c.watchlists.end());
    for (const auto& notice : match::build_index(plain).notices)
        for (const auto& w : c.watchlists)
            if (w.name == notice.watchlist) r.warn(w.where, notice.message);
    for (const auto& w : c.watchlists) {
        for (const auto& e : match::check_query(w)) r.add(w.where, e.message);
        for (const auto& feed : w.feeds)
            if (!feed_names.contains(feed))
                r.add(w.where, "watchlist \"" + w.name + "\": feeds names \"" + feed + "\", which is not a configured feed");
    }
}

// The sink module resolves `credential:NAME` from $CREDENTIALS_DIRECTORY, which exists only
// inside the service. Outside it, the unit's `LoadCredential=wirewatch:<config dir>/credentials`
// is mirrored: each file there appears as wirewatch_<file name>, as systemd would name it.
class CredentialsView {
public:
    CredentialsView(const Options& o, const fs::path& config_dir) {
        if (!o.credentials_dir.empty()) {
            dir_ = o.credentials_dir;
            return;
        }
        if (const char* env = std::getenv("CREDENTIALS_DIRECTORY"); env && *env) {
            dir_ = env;
            return;
        }
        const auto source = config_dir / "credentials";
        std::error_code ec;
        if (!fs::is_directory(source, ec)) return;
        auto tmpl = (fs::temp_directory_path() / "wirewatch-check-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) return;
        dir_ = owned_ = tmpl;
        // error_code overloads throughout: an unreadable entry is skipped, never an abort.
        fs::directory_iterator it(source, ec);
        for (const fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
            std::error_code ignored;
            const auto target = fs::absolute(it->path(), ignored);
            fs::create_symlink(target, dir_ / ("wirewatch_" + it->path().filename().string()), ignored);
        }
    }
    ~CredentialsView() {
        std::error_code ec;
        if (!owned_.empty()) fs::remove_all(owned_, ec);
    }
    CredentialsView(const CredentialsView&) = delete;
    CredentialsView& operator=(const CredentialsView&) = delete;
    const fs::path& dir() const { return dir_; }

private:
    fs::path dir_;
    fs::path owned_;
};

void check_sinks(const config::Config& c, const Options& o, Report& r) {
    if (c.sinks.empty()) return;
    const CredentialsView credentials(o, c.file.parent_path().empty() ? fs::path(".") : c.file.parent_path());
    std::set<std::string> plugins_checked;
    for (const auto& s : c.sinks) {
        for (const auto& glob : s.watchlists) {
            bool any = false;
            for (const auto& w : c.watchlists) any = any || sink::glob_match(glob, w.name);
            if (!any) r.add(s.where, "sink \"" + s.name + "\": watchlists pattern \"" + glob + "\" matches no watchlist");
        }
        const sink::SinkSpec spec{s.name, s.plugin, s.url, s.watchlists, s.options, config::to_string({s.where, ""})};
        auto resolved = sink::resolve_sink(spec, credentials.dir());
        if (!resolved) {
            r.add(s.where, resolved.error().message);
            continue;
        }
        // By default the module is read, not loaded: dlopen would run its constructors, and
        // check-config often runs as root. --load-plugins also loads it (after the same trust
        // check the daemon makes) to ask its ABI version; its init is never called.
        const auto file = sink::plugin_file(o.plugin_dir, resolved->plugin);
        if (!plugins_checked.insert(file.string()).second) continue;
        Result<void> checked = sink::inspect_plugin(file);
        if (checked && o.load_plugins)
            if (auto lib = sink::PluginLibrary::open(file); !lib) checked = std::unexpected(lib.error());
        if (!checked) r.add(s.where, "sink \"" + s.name + "\": " + checked.error().message);
    }
}

void check_publish(const config::Config& c, Report& r) {
    const auto& p = c.publish;
    const auto where_secret = key_location(c, "[publish] curve_secret_key_file");
    const auto where_clients = key_location(c, "[publish] curve_allowed_clients");
    if (!p.curve_secret_key_file.empty()) {
        if (auto why = readable_problem(p.curve_secret_key_file); !why.empty()) {
            r.add(where_secret, "CURVE secret key file " + p.curve_secret_key_file.string() + " " + why);
        } else if (auto keys = publish::load_secret_key_file(p.curve_secret_key_file); !keys) {
            r.add(where_secret, keys.error().message);
        } else {
            struct stat st{};
            if (::stat(p.curve_secret_key_file.c_str(), &st) == 0 && (st.st_mode & 0077) != 0)
                r.warn(where_secret, "CURVE secret key file " + p.curve_secret_key_file.string() +
                                         " is readable by group or others (chmod 600, or use LoadCredential=)");
        }
    }
    if (!p.curve_allowed_clients.empty()) {
        if (p.curve_secret_key_file.empty())
            r.add(where_clients, "curve_allowed_clients needs curve_secret_key_file: without CURVE no client is authenticated");
        if (auto why = readable_problem(p.curve_allowed_clients); !why.empty())
            r.add(where_clients, "CURVE client allowlist " + p.curve_allowed_clients.string() + " " + why);
        else if (auto keys = publish::load_allowlist(p.curve_allowed_clients); !keys)
            r.add(where_clients, keys.error().message);
    }
    const bool curve = !p.curve_secret_key_file.empty();
    for (const auto& [key, endpoint] : {std::pair{"endpoint", p.endpoint}, std::pair{"replay_endpoint", p.replay_endpoint}}) {
        if (auto ok = publish::check_bind_allowed(key, endpoint, curve, p.allow_insecure); !ok)
            r.add(key_location(c, std::string("[publish] ") + key), ok.error().message);
    }
}

void check_other(const config::Config& c, Report& r) {
    if (!c.http.listen.empty())
        if (auto a = http::parse_listen(c.http.listen); !a) r.add(key_location(c, "[http] listen"), a.error().message);
    // The table the daemon will load: the configured one, else the shipped one beside the config.
    auto stems = c.daemon.stem_overrides;
    const auto config_dir = c.file.parent_path().empty() ? fs::path(".") : c.file.parent_path();
    if (std::error_code ec; stems.empty() && fs::exists(config_dir / "stem-overrides.tsv", ec))
        stems = config_dir / "stem-overrides.tsv";
    if (!stems.empty()) {
        const auto where = key_location(c, "[daemon] stem_overrides");
        if (auto why = readable_problem(stems); !why.empty())
            r.add(where, "stem override table " + stems.string() + " " + why);
        else if (auto table = match::load_stem_overrides(stems.string()); !table)
            r.add(where, table.error().message);
    }
    // The lexicon's table: the same lookup and load as the daemon's, so a bad line is found here.
    if (auto lexicon = app::lexicon_for(c); !lexicon) r.add(key_location(c, "[daemon] entities"), lexicon.error().message);
    for (const auto& f : c.feeds) check_file(r, f.where, "feed \"" + f.name + "\": password_file", f.password_file);
}

std::vector<Problem> sorted_by_location(std::vector<Problem> v) {
    std::ranges::stable_sort(v, [](const Problem& a, const Problem& b) {
        return std::tie(a.where.file, a.where.line, a.where.column) < std::tie(b.where.file, b.where.line, b.where.column);
    });
    return v;
}

nlohmann::json problems_json(const std::vector<Problem>& v) {
    auto out = nlohmann::json::array();
    for (const auto& p : v)
        out.push_back({{"file", p.where.file}, {"line", p.where.line}, {"column", p.where.column},
                       {"message", p.message}});
    return out;
}

std::string report_json(const fs::path& file, const config::Config& c, const std::vector<Problem>& problems,
                        const std::vector<Problem>& warnings) {
    const nlohmann::json out{{"file", file.string()},          {"ok", problems.empty()},
                             {"feeds", c.feeds.size()},        {"watchlists", c.watchlists.size()},
                             {"sinks", c.sinks.size()},        {"problems", problems_json(problems)},
                             {"warnings", problems_json(warnings)}};
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int usage(std::FILE* out) {
    std::fprintf(out,
                 "usage: wirewatch check-config [--plugin-dir DIR] [--credentials-dir DIR] [--load-plugins] [--quiet]\n"
                 "                              [--json] FILE\n"
                 "  Validates FILE and its feeds.d/ and watchlists.d/ as the daemon would: TOML, feeds,\n"
                 "  watchlist queries, sinks and their plugins, CURVE key files, listen addresses.\n"
                 "  Prints every problem as file:line:column: message; exits 0 if none, 1 otherwise.\n"
                 "  --plugin-dir DIR        where sink plugins are (default $WW_PLUGIN_DIR, else the\n"
                 "                          config's [daemon] plugin_dir, as the daemon reads it)\n"
                 "  --credentials-dir DIR   where credential:NAME values are read (default\n"
                 "                          $CREDENTIALS_DIRECTORY, else <config dir>/credentials as\n"
                 "                          the unit's LoadCredential=wirewatch:... presents it)\n"
                 "  --load-plugins          also load each sink plugin (runs its constructors) to check\n"
                 "                          its ABI version; by default plugins are only read: owner,\n"
                 "                          mode, ELF type and exported entry points\n"
                 "  --quiet                 print problems only\n"
                 "  --json                  one JSON object: ok, counts, problems and warnings with\n"
                 "                          file, line, column and message (for tools)\n");
    return out == stdout ? 0 : 2;
}

int check_config(std::span<const std::string_view> args) {
    Options o;
    bool plugin_dir_given = false;
    if (const char* env = std::getenv("WW_PLUGIN_DIR"); env && *env) {
        o.plugin_dir = env;
        plugin_dir_given = true;
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto a = args[i];
        if (a == "--help" || a == "-h") return usage(stdout);
        if ((a == "--plugin-dir" || a == "--credentials-dir") && i + 1 < args.size()) {
            (a == "--plugin-dir" ? o.plugin_dir : o.credentials_dir) = std::string(args[++i]);
            plugin_dir_given = plugin_dir_given || a == "--plugin-dir";
        } else if (a == "--quiet" || a == "-q") {
            o.quiet = true;
        } else if (a == "--load-plugins") {
            o.load_plugins = true;
        } else if (a == "--json") {
            o.json = true;
        } else if (!a.starts_with('-') && o.file.empty()) {
            o.file = std::string(a);
        } else {
            std::fprintf(stderr, "check-config: unexpected argument \"%.*s\"\n", int(a.size()), a.data());
            return usage(stderr);
        }
    }
    if (o.file.empty()) return usage(stderr);

    auto checked = config::load_checked(o.file);
    const auto& c = checked.config;
    Report r;
    r.problems = std::move(checked.problems);
    // A file that cannot be read has nothing more to check; anything else is checked as far as
    // it could be read, so that one run lists every problem of every kind.
    const bool readable = readable_problem(o.file).empty();
    if (readable) {
        // The daemon loads plugins from the config's [daemon] plugin_dir: so does the check,
        // unless told otherwise.
        if (!plugin_dir_given) o.plugin_dir = c.daemon.plugin_dir;
        check_watchlists(c, r);
        check_sinks(c, o, r);
        check_publish(c, r);
        check_other(c, r);
    }
    const auto warnings = sorted_by_location(std::move(r.warnings));
    const auto problems = sorted_by_location(std::move(r.problems));
    if (o.json) {
        std::printf("%s\n", report_json(o.file, c, problems, warnings).c_str());
    } else {
        for (const auto& w : warnings) std::printf("%s (warning)\n", config::to_string(w).c_str());
        for (const auto& p : problems) std::printf("%s\n", config::to_string(p).c_str());
    }
    if (!problems.empty()) {
        std::fprintf(stderr, "check-config: %s: %zu problem%s\n", o.file.c_str(), problems.size(),
                     problems.size() == 1 ? "" : "s");
        return 1;
    }
    if (!o.quiet && !o.json)
        std::printf("%s: OK (%zu feeds, %zu watchlists, %zu sinks)\n", o.file.c_str(), c.feeds.size(),
                    c.watchlists.size(), c.sinks.size());
    return 0;
}

WW_CLI_COMMAND("check-config", "validate a configuration file without starting the daemon", check_config);

}  // namespace
}  // namespace ww::cli
