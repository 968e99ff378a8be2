#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/item.h"

namespace ww::websub {

// One link-value of an HTTP Link header (RFC 8288): `<target>; rel="hub self"`.
struct LinkValue {
    std::string target;             // as written between < and >
    std::vector<std::string> rels;  // lower-cased; a rel parameter may list several
};

// Every link-value of one Link header value, in order. Pure and forgiving: a malformed
// link-value is skipped, the ones after it are still read (commas inside <...> and quoted
// strings do not split values).
std::vector<LinkValue> parse_link_header(std::string_view value);

// Where to subscribe for one feed: the hubs and the topic URL.
struct Discovery {
    std::vector<std::string> hubs;
    std::string topic;  // rel="self", else the URL the feed was fetched from
};

// WebSub discovery after a fetch: HTTP Link headers first (the spec gives them precedence),
// then the document's own <atom:link rel="hub|self">. `link_headers` are the values of every
// Link header of the response; `fetched_url` resolves relative targets and is the topic when no
// self link is given. Only http and https hubs are kept. Pure.
Discovery discover(const std::vector<std::string>& link_headers, const FeedHints& hints,
                   std::string_view fetched_url);

}  // namespace ww::websub
