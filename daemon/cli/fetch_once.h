#pragma once

#include <string>

#include "core/error.h"

namespace ww::cli {

// One GET through the daemon's own client (its limits and SSRF guard): what `parse` and
// `discover` read from a URL.
struct Fetched {
    std::string body;
    std::string content_type;
    std::string url;  // after redirects: the base for relative links
    std::string content_location;  // the Content-Location header, which may name the document
};

// A URL on a loopback or private address needs allow_private, as a feed needs
// allow_private_networks. A status other than 200 is an error ("http").
Result<Fetched> fetch_once(const std::string& url, bool allow_private);

}  // namespace ww::cli
