#pragma once

#include <string>
#include <string_view>

namespace ww::feed {

// RFC 3986 reference resolution of ref against base. An absolute ref comes back normalised
// lightly (trimmed); when base is empty or unparseable, ref is returned trimmed.
std::string resolve_url(std::string_view base, std::string_view ref);

// For identity: scheme and host lower-cased, default port and dot segments removed,
// percent-encoding normalised. Unparseable text comes back trimmed.
std::string canonical_url(std::string_view url);

}  // namespace ww::feed
