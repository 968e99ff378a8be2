#pragma once

#include <optional>
#include <string_view>

#include "core/item.h"

namespace ww::fetch {

// An HTTP-date (RFC 9110 section 5.6.7): IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" and the two
// obsolete forms a server may still send (RFC 850 and asctime).
std::optional<SysSeconds> parse_http_date(std::string_view text);

}  // namespace ww::fetch
