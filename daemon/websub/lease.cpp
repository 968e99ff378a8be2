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

bool should_subscribe(const std::optional<Held>& held, const Discovery& found, SysSeconds now) {
    if (found.hubs.empty()) return false;
    if (!held) return true;
    const bool same = std::ranges::find(found.hubs, held->hub) != found.hubs.end() && held->topic == found.topic;
    if (!same) return true;
    if (held->request_in_flight) return false;
    if (held->state == "active" && lease_active(true, held->expires_at, now)) return false;
    return now >= held->updated_at + kRetryAfter;
}

}  // namespace ww::websub
