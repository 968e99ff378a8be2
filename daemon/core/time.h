#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/item.h"

namespace ww {

// "2026-11-27T14:05:00Z"
std::string format_rfc3339(SysSeconds t);
// Accepts what format_rfc3339 writes plus fractions and numeric offsets.
std::optional<SysSeconds> parse_rfc3339(std::string_view text);

inline SysSeconds now_seconds() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace ww
