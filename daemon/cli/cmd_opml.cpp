// `wirewatch opml import FILE [--output feeds.d/imported.toml] [--config FILE] [--dry-run]`
// turns another reader's OPML export into [[feed]] tables in a drop-in beside the config;
// `wirewatch opml export [--config FILE]` prints the configured feeds as OPML 2.0.
// The decisions (what is a feed, a duplicate, a unique name, how TOML is escaped) are the pure
// functions of feed/opml.h; this file only reads and writes files.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/registry.h"
#include "config/config.h"
#include "feed/opml.h"

namespace ww::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* default_config = "/etc/wirewatch/wirewatch.toml";

struct Options {
    fs::path file;
    fs::path output = "feeds.d/imported.toml";
    fs::path config = default_config;
    bool dry_run = false;
};

int usage(bool help) {
    std::fprintf(help ? stdout : stderr,
                 "usage: wirewatch opml import FILE [--output feeds.d/imported.toml] [--config FILE] "
                 "[--dry-run]\n"
                 "       wirewatch opml export [--config FILE]\n"
                 "A relative --output is relative to the config's directory; an existing output file\n"
                 "is appended to. Default config: %s\n",
                 default_config);
    return help ? 0 : 2;
}

bool read_whole(const fs::path& p, std::string& out) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

bool write_whole(const fs::path& p, std::string_view text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    return static_cast<bool>(out);
}

std::optional<config::Config> load_config(const fs::path& file) {
    auto cfg = config::load(file);
    if (!cfg) {
        for (const auto& p : cfg.error()) std::fprintf(stderr, "config: %s\n", to_string(p).c_str());
        return std::nullopt;
    }
    return std::move(*cfg);
}

void print_skips(std::FILE* to, const char* what, const std::vector<feed::ImportSkip>& skips) {
    if (skips.empty()) return;
    std::fprintf(to, "skipped %zu %s:\n", skips.size(), what);
    for (const auto& s : skips) {
        const auto& label = s.feed.url.empty() ? s.feed.title : s.feed.url;
        std::fprintf(to, "  line %d: %s: %s\n", s.feed.line, label.c_str(), s.reason.c_str());
    }
}

bool in_feeds_d(const fs::path& out, const fs::path& config_dir) {
    return out.parent_path().lexically_normal() == (config_dir / "feeds.d").lexically_normal() &&
           out.extension() == ".toml";
}

// Whether the daemon would accept the config with the new file: the whole config when the file
// is one of its drop-ins, else the file on its own.
bool accepted(const Options& o, const fs::path& out, const fs::path& config_dir) {
    if (in_feeds_d(out, config_dir)) return load_config(o.config).has_value();
    std::string text;
    if (!read_whole(out, text)) return false;
    auto alone = config::load_string(text, out.string());
    if (!alone)
        for (const auto& p : alone.error()) std::fprintf(stderr, "config: %s\n", to_string(p).c_str());
    return alone.has_value();
}

// Writes the new tables after whatever the file holds (through a temporary file and a rename,
// so that a crash leaves the old file or the new one), then checks the result as the daemon
// would; when it is refused, the file is put back as it was.
int write_dropin(const Options& o, const fs::path& out, const fs::path& config_dir, const std::string& toml) {
    std::string before;
    const bool existed = read_whole(out, before);
    std::string text = before;
    if (!text.empty() && !text.ends_with('\n')) text += '\n';
    if (!text.empty()) text += '\n';
    text += "# Imported by `wirewatch opml import` from " + o.file.string() + "\n\n" + toml;
    std::error_code ec;
    fs::create_directories(out.parent_path(), ec);
    const fs::path tmp = out.string() + ".tmp";
    bool written = write_whole(tmp, text);
    if (written) fs::rename(tmp, out, ec);
    if (!written || ec) {
        std::fprintf(stderr, "wirewatch opml: cannot write %s\n", out.string().c_str());
        fs::remove(tmp, ec);
        return 1;
    }
    if (!accepted(o, out, config_dir)) {
        std::fprintf(stderr, "wirewatch opml: the config would be refused with %s; left unchanged\n",
                     out.string().c_str());
        if (existed)
            write_whole(out, before);
        else
            fs::remove(out, ec);
        return 1;
    }
    return 0;
}

int import(const Options& o) {
    std::string xml;
    if (!read_whole(o.file, xml)) {
        std::fprintf(stderr, "wirewatch opml: cannot read %s\n", o.file.string().c_str());
        return 1;
    }
    auto read = feed::read_opml(xml);
    if (!read) {
        std::fprintf(stderr, "%s: %s\n", o.file.string().c_str(), read.error().message.c_str());
        return 1;
    }
    const auto cfg = load_config(o.config);
    if (!cfg) return 1;
    std::vector<std::string> urls, names;
    for (const auto& f : cfg->feeds) {
        urls.push_back(f.url);
        if (f.name != f.url) names.push_back(f.name);
    }
    const auto plan = feed::plan_import(*read, urls, names);
    const auto toml = feed::to_feed_toml(plan.add);
    const fs::path dir = o.config.parent_path().empty() ? fs::path(".") : o.config.parent_path();
    const fs::path out = o.output.is_relative() ? dir / o.output : o.output;
    // A dry run prints the TOML on stdout, so that it can be redirected; the summary goes aside.
    std::FILE* summary = o.dry_run ? stderr : stdout;
    if (o.dry_run) {
        std::fwrite(toml.data(), 1, toml.size(), stdout);
        std::fprintf(summary, "dry run: %zu feeds to import, nothing written\n", plan.add.size());
    } else if (plan.add.empty()) {
        std::fprintf(summary, "imported 0 feeds\n");
    } else {
        if (int rc = write_dropin(o, out, dir, toml); rc != 0) return rc;
        std::fprintf(summary, "imported %zu feeds into %s\n", plan.add.size(), out.string().c_str());
        if (!in_feeds_d(out, dir))
            std::fprintf(stderr, "wirewatch opml: note: the daemon reads only %s/*.toml\n",
                         (dir / "feeds.d").string().c_str());
    }
    print_skips(summary, "as duplicates", plan.duplicates);
    print_skips(summary, "as invalid", plan.invalid);
    return 0;
}

int export_feeds(const Options& o) {
    const auto cfg = load_config(o.config);
    if (!cfg) return 1;
    std::vector<feed::OpmlFeed> feeds;
    for (const auto& f : cfg->feeds)
        feeds.push_back({f.url, f.name == f.url ? std::string() : f.name, f.tags, f.where.line, "rss"});
    const auto text = feed::write_opml(feeds, "wirewatch feeds");
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}

int opml(std::span<const std::string_view> args) {
    if (args.empty()) return usage(false);
    if (args[0] == "--help" || args[0] == "-h") return usage(true);
    const bool importing = args[0] == "import";
    if (!importing && args[0] != "export") return usage(false);
    Options o;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const auto a = args[i];
        if (a == "--help" || a == "-h") return usage(true);
        if (a == "--config" && i + 1 < args.size()) {
            o.config = std::string(args[++i]);
        } else if (importing && a == "--output" && i + 1 < args.size()) {
            o.output = std::string(args[++i]);
        } else if (importing && a == "--dry-run") {
            o.dry_run = true;
        } else if (importing && o.file.empty() && !a.starts_with("--")) {
            o.file = std::string(a);
        } else {
            return usage(false);
        }
    }
    if (importing && o.file.empty()) return usage(false);
    return importing ? import(o) : export_feeds(o);
}

WW_CLI_COMMAND("opml", "import feeds from another reader's OPML, or export them", opml);

}  // namespace
}  // namespace ww::cli
