#pragma once

#include <string>
#include <string_view>

namespace ww::story {

// True for query parameters that only say where a reader came from (utm_*, fbclid, gclid ...).
// `ref` counts only when its value reads like a referrer tag ("rss", "twitter"), because some
// sites use it for real content (a Git branch, a product variant).
bool is_tracking_param(std::string_view name, std::string_view value);

// The link an item is known by across feeds: scheme and host lower-cased, default port,
// fragment and tracking parameters dropped, remaining parameters sorted, percent escapes
// normalised, path case kept. `preferred` is the publisher's own rel=canonical or
// feedburner:origLink (absolute); it wins when it is an http(s) URL. Text that is not an
// absolute http(s) URL comes back trimmed.
std::string canonical_link(std::string_view url, std::string_view preferred = {});

// What two canonical links are compared by: no scheme (http and https name one article) and
// no leading "www." ("host/path?query"). Empty for empty input.
std::string link_key(std::string_view canonical);

}  // namespace ww::story
