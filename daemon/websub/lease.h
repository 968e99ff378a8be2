#pragma once

#include <chrono>
#include <optional>

#include "core/item.h"

namespace ww::websub {

using Seconds = std::chrono::seconds;

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

}  // namespace ww::websub
