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

// The clock of the delivery policy (cooldowns, digests, quiet hours): the system clock, unless
// the environment variable WW_CLOCK_FILE names a file holding the current time as Unix seconds,
// which tests rewrite to move time forward (a digest "tomorrow at 08:00" fires without waiting a
// day). Only the policy reads it: polling and retries stay on real time. An unreadable file
// falls back to the system clock.
SysSeconds policy_now();
inline constexpr const char* kClockFileVariable = "WW_CLOCK_FILE";

}  // namespace ww
