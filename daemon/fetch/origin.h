#pragma once

#include <string>
#include <string_view>

namespace ww::fetch {

// The absolute URL a redirect's Location names, resolved against the URL that answered it
// (RFC 3986 section 5); "" when either does not parse.
std::string resolve_location(const std::string& base, const std::string& location);

// Same scheme, host and port (the default port made explicit): where a feed's configured
// headers may follow a redirect. Anything unparsable is another origin.
bool same_origin(const std::string& a, const std::string& b);

}  // namespace ww::fetch
