#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <cstdint>

#include "core/item.h"
#include "websub/link_header.h"

namespace ww::websub {

using Seconds = std::chrono::seconds;

// The leases a hub may grant (hub.lease_seconds) as we act on them: at least a second (a
// shorter one, 0 or negative, is refused) and at most 30 days (a longer one, up to 2^63-1 and
// beyond, is taken as 30 days: renewing early is harmless, and no date arithmetic overflows).
inline constexpr Seconds kMinLease{1};
inline constexpr Seconds kMaxLease{30 * 86400};
// hub.lease_seconds as the hub wrote it: decimal digits only, clamped above; nullopt when
// refused (empty, a sign, other characters, 0). Pure, and no arithmetic on the raw number.
std::optional<Seconds> accepted_lease(std::string_view text);
// A stored lease (from an older version, or a damaged row) within the same bounds.
Seconds clamp_lease(std::int64_t seconds);

// The hub to subscribe at, among those a feed names: the first https one; an http one only
// when `allow_cleartext` (hub.secret, which signs every push, would cross the network in
// clear). nullopt: none may be used. Pure.
std::optional<std::string> hub_for_secret(const std::vector<std::string>& hubs, bool allow_cleartext);

// When to renew a lease the hub granted at `verified_at` for `lease`: a tenth of the lease
// before it ends (at least a second, at most an hour), and at its middle when the lease is too
// short for that margin. Never before `now`. Pure.
SysSeconds renew_at(SysSeconds verified_at, Seconds lease, SysSeconds now);

// Whether push is in force for a subscription that is `active` with this expiry.
bool lease_active(bool active, std::optional<SysSeconds> expires_at, SysSeconds now);

// The delay to the next poll of a feed: with push in force, polling is only a safety net and
// runs at max_interval (or the policy's delay when that is longer, e.g. a backoff); without
// push, the policy's delay unchanged. Pure.
Seconds poll_delay(Seconds policy_delay, Seconds max_interval, bool push_active);

// What the subscriber holds for a feed, as the decision to (re)subscribe needs it.
struct Held {
    std::string hub;
    std::string topic;
    std::string state;  // subscribing, active, unsubscribing, denied, failed
    std::optional<SysSeconds> expires_at;
    SysSeconds updated_at{};
    bool request_in_flight = false;
};

// A hub that failed, denied, or accepted without ever verifying is asked again after this.
inline constexpr Seconds kRetryAfter{3600};

// Whether a fetch that found `found` should send a new subscription request. Yes when nothing
// is held, or the hub or topic changed; no while a request is in flight, a lease runs, or a
// request is awaiting its verification; a failed, denied, unverified or lapsed one is asked
// again once kRetryAfter has passed since it was last updated. Pure.
bool should_subscribe(const std::optional<Held>& held, const Discovery& found, SysSeconds now);

}  // namespace ww::websub
