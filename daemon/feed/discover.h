#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ww::feed {

// A feed that a web page names in its <head>: <link rel="alternate" type="application/rss+xml"
// href="..." title="...">, the convention every browser and feed reader follows.
struct FeedLink {
    std::string url;    // resolved against the page's URL
    std::string title;  // the link's title attribute, may be empty
    std::string type;   // rss, atom, rdf or json
};

// The feed links of an HTML page, in document order, without duplicates. Only <link> elements
// with rel "alternate" (or "feed") and a feed media type count; links to comments feeds are kept
// (the page says what they are in their titles). Scans at most the first 1 MiB.
std::vector<FeedLink> feed_links(std::string_view html, std::string_view page_url);

// Where sites without such links commonly keep their feed (WordPress, Ghost, Hugo, Jekyll,
// Blogger...), as paths to try against the site's root, most common first.
const std::vector<std::string_view>& common_feed_paths();

}  // namespace ww::feed
