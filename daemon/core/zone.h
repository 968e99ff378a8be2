#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/item.h"

namespace ww {

// The UTC offsets of one IANA time zone, read from the system's compiled tzdata (TZif files under
// /usr/share/zoneinfo, or $TZDIR). g++ 12's libstdc++ has no std::chrono::tzdb, and libc's TZ
// handling is a process-wide global, so the few conversions the delivery policy needs (a digest
// at "08:00 Europe/Berlin", quiet hours) are done here, as pure functions over the parsed rules.
struct ZoneRules {
    std::string name;
    // Transition instants (Unix seconds, ascending) and the offset in force from each one on.
    std::vector<std::int64_t> transitions;
    std::vector<std::int32_t> offsets;
    std::int32_t initial_offset = 0;  // before the first transition
};

// The rules of "UTC" (no transitions).
ZoneRules utc_zone();

// Parses the bytes of a TZif file (versions 1 to 4; the 64-bit block when present).
Result<ZoneRules> parse_tzif(std::string_view bytes, std::string name);

// Loads a zone by IANA name ("Europe/Berlin", "UTC"); names with ".." or a leading '/' are
// refused. Loaded zones are cached for the life of the process (thread-safe).
Result<std::shared_ptr<const ZoneRules>> load_zone(std::string_view name);

// The offset from UTC in force at `t`. Past the last listed transition (Debian's "fat" files
// list them to 2037) the pattern of 28 years earlier is used: within 1901-2099 a date and the
// same date 28 years earlier fall on the same weekday, so rules like "last Sunday of March" repeat.
std::chrono::seconds utc_offset(const ZoneRules& zone, SysSeconds t);

// Wall-clock time as seconds since the epoch "in the zone" (a local date and time, no zone).
using LocalSeconds = std::chrono::local_seconds;
LocalSeconds to_local(const ZoneRules& zone, SysSeconds t);

// The instant a local time names. A local time that occurs twice (clocks go back) gives the
// earlier instant; one that does not exist (clocks go forward) gives the instant the same
// distance after the gap started, i.e. 02:30 on a spring-forward night is 03:30 summer time.
SysSeconds to_utc(const ZoneRules& zone, LocalSeconds local);

}  // namespace ww
