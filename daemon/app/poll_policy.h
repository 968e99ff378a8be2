#pragma once

#include <optional>

#include "config/config.h"
#include "schedule/policy.h"
#include "store/store.h"

namespace ww::app {

// Adapters between the daemon's stored feed state and the schedule module's pure policy.

schedule::Policy policy_of(const config::ScheduleSection& section);

schedule::FeedState schedule_state_of(const store::FeedState& stored);

// Writes the decision's state back into what the store keeps.
void apply_decision(const schedule::Decision& decision, store::FeedState& stored);

}  // namespace ww::app
