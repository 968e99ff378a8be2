// wirewatch parse FILE|URL [--content-type CT] [--json]: one feed through the real parser,
// printed as the JSON contract of issue 3 (or a short summary). Exit 0 when a feed was read,
// even leniently; 1 with a one-line error when not.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "cli/fetch_once.h"
#include "cli/registry.h"
#include "core/time.h"
#include "feed/json_out.h"
#include "feed/parse.h"

namespace ww::cli {
namespace {

using Source = Fetched;

Result<Source> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("io", "parse: cannot open " + path);
    Source s;
    s.body.assign(std::istreambuf_iterator<char>(in), {});
    if (in.bad()) return fail("io", "parse: cannot read " + path);
    return s;
}

void print_summary(const Feed& feed) {
    std::printf("%s %s  %s\n", feed.format.c_str(), feed.version.c_str(), feed.title.c_str());
    if (!feed.link.empty()) std::printf("link: %s\n", feed.link.c_str());
    std::printf("encoding: %s\n", feed.encoding.c_str());
    if (feed.bozo) std::printf("bozo: %s\n", feed.bozo_reason.c_str());
    std::printf("%zu items\n", feed.items.size());
    for (const auto& item : feed.items) {
        const auto when = item.published ? format_rfc3339(*item.published) : std::string(20, ' ');
        std::printf("  %s  %s\n      %s\n", when.c_str(), item.title.c_str(), item.link.c_str());
    }
}

int usage(std::FILE* out) {
    std::fprintf(out, "usage: wirewatch parse FILE|URL [--content-type \"text/xml; charset=koi8-r\"] [--json]\n"
                      "                      [--allow-private]   (fetch a URL on a loopback or private address)\n");
    return out == stdout ? 0 : 2;
}

int parse_command(std::span<const std::string_view> args) {
    std::string target, content_type;
    bool json = false, content_type_given = false, allow_private = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--json") json = true;
        else if (args[i] == "--allow-private") allow_private = true;
        else if (args[i] == "--help" || args[i] == "-h") return usage(stdout);
        else if (args[i] == "--content-type" && i + 1 < args.size()) {
            content_type = std::string(args[++i]);
            content_type_given = true;
        } else if (target.empty() && !args[i].starts_with("--")) target = std::string(args[i]);
        else return usage(stderr);
    }
    if (target.empty()) return usage(stderr);
    const bool is_url = target.starts_with("http://") || target.starts_with("https://");
    auto source = is_url ? fetch_once(target, allow_private) : read_file(target);
    if (!source) {
        std::fprintf(stderr, "wirewatch parse: %s\n", source.error().message.c_str());
        return 1;
    }
    if (content_type_given) source->content_type = content_type;
    const auto feed = feed::parse(source->body, {.content_type = source->content_type,
                                                 .url = source->url,
                                                 .content_location = source->content_location});
    if (!feed) {
        std::fprintf(stderr, "wirewatch parse: %s (%s)\n", feed.error().message.c_str(), target.c_str());
        return 1;
    }
    if (json) std::printf("%s\n", feed::feed_to_json(*feed).c_str());
    else print_summary(*feed);
    return 0;
}

WW_CLI_COMMAND("parse", "read a feed file or URL and print what the parser sees", parse_command);

}  // namespace
}  // namespace ww::cli
