#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/item.h"
#include "core/zone.h"

namespace ww {

// The delivery-policy settings that config, app and sink all read: their text forms, parsed
// and checked here, and the pure time arithmetic over them (docs/delivery-policy.md).

// `digest = "hourly"` or `"daily HH:MM [IANA zone]"` (zone default UTC).
struct DigestSpec {
    enum class Every { hourly, daily };
    Every every = Every::hourly;
    int hour = 0;
    int minute = 0;
    std::string zone = "UTC";
    bool operator==(const DigestSpec&) const = default;
};
Result<DigestSpec> parse_digest(std::string_view text);

// The first digest instant strictly after `now`: the next full UTC hour, or the next HH:MM wall
// time in the zone (DST-correct: a day with 23 or 25 hours still gets one digest at 08:00).
SysSeconds next_digest_at(const DigestSpec& spec, const ZoneRules& zone, SysSeconds now);

// `quiet_hours = "22:00-07:00 [IANA zone]"`: a daily wall-clock window, which may span midnight.
struct QuietHours {
    int start_minute = 0;  // minutes after local midnight
    int end_minute = 0;
    std::string zone = "UTC";
    bool operator==(const QuietHours&) const = default;
};
Result<QuietHours> parse_quiet_hours(std::string_view text);

// When the quiet window that holds `now` ends; nullopt when `now` is outside it.
std::optional<SysSeconds> quiet_until(const QuietHours& quiet, const ZoneRules& zone, SysSeconds now);

enum class Priority { normal, high };
Result<Priority> parse_priority(std::string_view text);  // "normal" | "high"

}  // namespace ww
