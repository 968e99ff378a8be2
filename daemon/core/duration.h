#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/error.h"

namespace ww {

// "30s", "10m", "1h", "2d", "1h30m"; a bare number is rejected (the unit must be explicit).
Result<std::chrono::seconds> parse_duration(std::string_view text);
std::string format_duration(std::chrono::seconds d);

}  // namespace ww
