#include "websub/lease.h"

#include <algorithm>
#include <charconv>

namespace ww::websub {

std::optional<Seconds> accepted_lease(std::string_view text) {
    if (text.empty() || !std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range) return kMaxLease;  // all digits: a very large number
    if (ec != std::errc{} || end != text.data() + text.size() || value < kMinLease.count()) return std::nullopt;
    return std::min(Seconds(value), kMaxLease);
}

Seconds clamp_lease(std::int64_t seconds) {
    return Seconds(std::clamp<std::int64_t>(seconds, kMinLease.count(), kMaxLease.count()));
}

std::optional<std::string> hub_for_secret(const std::vector<std::string>& hubs, bool allow_cleartext) {
    for (const auto& h : hubs)
        if (h.starts_with("https://")) return h;
    if (allow_cleartext && !hubs.empty()) return hubs.front();
    return std::nullopt;
}

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
