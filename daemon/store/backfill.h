#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "core/item.h"

namespace ww::store {

// Which items of a feed's first fetch still alert: the newest `count` by published date.
// Items without a date rank after every dated one, and ties keep feed order (feeds list the
// newest first), so the choice is deterministic. Returns a flag per item.
std::vector<bool> select_backfill(const std::vector<std::optional<SysSeconds>>& published,
                                  std::size_t count);

}  // namespace ww::store
