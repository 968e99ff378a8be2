#include "websub/lease.h"

#include <algorithm>

namespace ww::websub {

SysSeconds renew_at(SysSeconds verified_at, Seconds lease, SysSeconds now) {
    using namespace std::chrono_literals;
    if (lease <= 0s) return now;
    auto margin = std::clamp(lease / 10, Seconds(1s), Seconds(1h));
    if (2 * margin > lease) margin = lease / 2;
    return std::max(verified_at + lease - margin, now);
}

bool lease_active(bool active, std::optional<SysSeconds> expires_at, SysSeconds now) {
    return active && expires_at && *expires_at > now;
}

Seconds poll_delay(Seconds policy_delay, Seconds max_interval, bool push_active) {
    return push_active ? std::max(policy_delay, max_interval) : policy_delay;
}

}  // namespace ww::websub
