// wirewatch discover URL: the feeds a web page offers, for a user who has a site's address and
// not its feed's. Reads the page's <link rel="alternate"> feed links (what browsers and feed
// readers use); when there are none, tries the paths where sites commonly keep their feed and
// keeps those that parse as feeds. Exit 0 when a feed was found, 1 when none, 2 on a usage error.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/fetch_once.h"
#include "cli/registry.h"
#include "feed/discover.h"
#include "feed/parse.h"
#include "feed/url.h"

namespace ww::cli {
namespace {

int usage(std::FILE* out) {
    std::fputs("usage: wirewatch discover URL [--allow-private]\n"
               "Lists the feeds a web page offers (its <link rel=\"alternate\"> feed links, else the\n"
               "common feed paths of its site that answer with a feed), one per line:\n"
               "  URL  TYPE  TITLE\n"
               "  --allow-private   the page is on a loopback or private address\n",
               out);
    return out == stdout ? 0 : 2;
}

// A URL that answers with a feed, as a link to list; nothing when it does not.
std::vector<feed::FeedLink> probe(const std::string& url, bool allow_private) {
    auto got = fetch_once(url, allow_private);
    if (!got) return {};
    auto parsed = feed::parse(got->body, {.content_type = got->content_type, .url = got->url});
    if (!parsed) return {};
    return {{got->url, parsed->title, parsed->format}};
}

std::vector<feed::FeedLink> common_paths(const std::string& page_url, bool allow_private) {
    std::vector<feed::FeedLink> found;
    for (const auto path : feed::common_feed_paths()) {
        for (auto& link : probe(feed::resolve_url(page_url, path), allow_private)) {
            bool seen = false;
            for (const auto& f : found) seen = seen || f.url == link.url;  // /feed and /feed/ often agree
            if (!seen) found.push_back(std::move(link));
        }
    }
    return found;
}

int discover(std::span<const std::string_view> args) {
    std::string url;
    bool allow_private = false;
    for (const auto a : args) {
        if (a == "--help") return usage(stdout);
        if (a == "--allow-private") allow_private = true;
        else if (url.empty() && !a.starts_with("-")) url = std::string(a);
        else return usage(stderr);
    }
    if (url.empty()) return usage(stderr);
    auto page = fetch_once(url, allow_private);
    if (!page) {
        std::fprintf(stderr, "wirewatch discover: %s\n", page.error().message.c_str());
        return 1;
    }
    if (auto itself = feed::parse(page->body, {.content_type = page->content_type, .url = page->url})) {
        std::printf("%s  %s  %s\n", page->url.c_str(), itself->format.c_str(), itself->title.c_str());
        std::fprintf(stderr, "%s is a feed itself: put it in [[feed]] url as it is\n", url.c_str());
        return 0;
    }
    auto links = feed::feed_links(page->body, page->url);
    const bool from_page = !links.empty();
    if (links.empty()) links = common_paths(page->url, allow_private);
    if (links.empty()) {
        std::fprintf(stderr, "wirewatch discover: %s links no feed, and none of its site's common feed paths "
                             "answers with one\n", url.c_str());
        return 1;
    }
    for (const auto& l : links) std::printf("%s  %s  %s\n", l.url.c_str(), l.type.c_str(), l.title.c_str());
    std::fprintf(stderr, "%zu feed%s %s; add one to the config as [[feed]] url = \"%s\"\n", links.size(),
                 links.size() == 1 ? "" : "s", from_page ? "linked by the page" : "found at common paths",
                 links.front().url.c_str());
    return 0;
}

}  // namespace

WW_CLI_COMMAND("discover", "list the feeds a web page offers", discover);

}  // namespace ww::cli
