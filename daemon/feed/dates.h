#pragma once

#include <optional>
#include <string_view>

#include "core/item.h"

namespace ww::feed {

// A feed date in any of the forms feeds really use: RFC 822/1123 with the usual breakage
// (missing or wrong weekday, named zones such as EST or CEST, one-digit days, two-digit years,
// no seconds), RFC 3339, ISO 8601 and W3C-DTF (reduced precision). A date without a zone is
// read as UTC. nullopt when the text is not a date we can read with confidence.
std::optional<SysSeconds> parse_date(std::string_view text);

// Offset in minutes east of UTC for a zone name ("EST" -> -300), nullopt if unknown.
std::optional<int> zone_offset_minutes(std::string_view name);

}  // namespace ww::feed
