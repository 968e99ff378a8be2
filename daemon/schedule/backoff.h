#pragma once

#include "schedule/policy.h"

namespace ww::schedule {

// Delay after the `streak`-th failure in a row (streak >= 1): backoff_base doubled per failure,
// +-jitter, within [backoff_base, backoff_cap]. It never gives up: the cap is a delay, not an end.
Seconds backoff_delay(const Policy& policy, int streak, double jitter);

}  // namespace ww::schedule
