#pragma once

#include <string>
#include <vector>

#include "core/item.h"

namespace ww::schedule {

// The first instant at or after `t` outside the feed's skipHours (UTC hours 0..23) and
// skipDays ("Monday".."Sunday", any case). Hints that skip every hour or every day are
// ignored as broken: a feed is never silenced forever by its own metadata.
SysSeconds skip_to_allowed(SysSeconds t, const std::vector<int>& skip_hours,
                           const std::vector<std::string>& skip_days);

}  // namespace ww::schedule
