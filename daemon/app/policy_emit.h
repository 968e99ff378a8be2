#pragma once

#include <vector>

#include "app/pipeline.h"
#include "core/error.h"
#include "store/store.h"

namespace ww::app {

// Held matches grouped by watchlist, kind and due time (the store returns them in that order).
std::vector<DueGroup> group_due(const std::vector<store::HeldMatch>& held);

// Emits every summary and digest due at `now` in one store transaction: each group becomes one
// alert with the next seq, its held matches are deleted with it, and a cooldown summary opens
// the next window (policies from `watchlists`; a watchlist removed since is still summarised).
// Runs on the store thread; the caller publishes what it returns, in order.
Result<std::vector<store::RecordedAlert>> emit_due(store::Store& store, const MatchSnapshot& watchlists,
                                                   SysSeconds now);

}  // namespace ww::app
