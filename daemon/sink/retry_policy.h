#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "core/delivery.h"
#include "core/error.h"
#include "core/item.h"

namespace ww::sink {

using std::chrono::milliseconds;

// How a sink retries and paces itself. Read from the host keys of a [[sink]] table.
struct RetryPolicy {
    milliseconds initial{2'000};   // first backoff
    milliseconds max{300'000};     // backoff ceiling
    double jitter = 0.2;           // the delay is drawn from [d * (1 - jitter), d]
    std::uint32_t max_attempts = 0;  // 0: retry forever (the cursor holds until delivered)
    milliseconds min_interval{0};  // rate limit: at least this long between two attempts
    milliseconds timeout{10'000};  // per HTTP request
    // `quiet_hours`: no delivery inside this daily window; alerts wait, in order, and go out
    // when it ends (docs/delivery-policy.md).
    std::optional<QuietHours> quiet_hours;
    std::shared_ptr<const ZoneRules> quiet_zone;
};

// Exponential backoff for the n-th retry (n >= 1): initial * 2^(n-1), capped at max, minus
// up to `jitter` of it (random01 in [0, 1)) so that many sinks failing together spread out.
milliseconds backoff_delay(const RetryPolicy& p, std::uint32_t retry, double random01);

// The wait before the n-th retry: the service's own Retry-After when it gave one (capped at a
// day so that a bogus header cannot park a sink for ever), otherwise the backoff.
milliseconds retry_delay(const RetryPolicy& p, std::uint32_t retry,
                         std::optional<milliseconds> retry_after, double random01);

// An HTTP Retry-After value: delay-seconds ("120") or an IMF-fixdate
// ("Fri, 27 Nov 2026 15:00:00 GMT"); a date in the past means 0. nullopt when unreadable.
std::optional<milliseconds> parse_retry_after(std::string_view value, SysSeconds now);

// "250ms", "2s", "5m", "1h" (a bare number is rejected).
Result<milliseconds> parse_millis(std::string_view text);

}  // namespace ww::sink
