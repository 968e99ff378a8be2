#pragma once

#include <optional>
#include <vector>

#include "schedule/policy.h"

namespace ww::schedule {

// The learned interval after `new_items` arrived `since_last` after the previous arrival: an
// exponentially weighted mean of the gap between items, clamped to [min, max] interval.
Seconds learn_interval(const Policy& policy, Seconds learned, Seconds since_last,
                       std::size_t new_items);

// A first guess from one document's item dates (mean gap between them), or nullopt with fewer
// than two distinct dates. Dates after `now` are ignored (clock skew, scheduled posts).
std::optional<Seconds> estimate_from_dates(const Policy& policy, std::vector<SysSeconds> dates,
                                           SysSeconds now);

}  // namespace ww::schedule
