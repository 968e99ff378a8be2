#include "schedule/backoff.h"

#include <algorithm>
#include <cmath>

namespace ww::schedule {

Seconds backoff_delay(const Policy& policy, int streak, double jitter) {
    const int doublings = std::clamp(streak - 1, 0, 40);  // 2^40 minutes is past any cap
    const double base = static_cast<double>(policy.backoff_base.count());
    const double cap = static_cast<double>(std::max(policy.backoff_cap, policy.backoff_base).count());
    const double raw = std::min(cap, base * std::ldexp(1.0, doublings));
    const double jittered = raw * (1.0 + policy.jitter * std::clamp(jitter, -1.0, 1.0));
    return Seconds(static_cast<long long>(std::clamp(jittered, base, cap)));
}

}  // namespace ww::schedule
