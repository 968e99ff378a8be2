#pragma once

#include <chrono>

#include "config/config.h"
#include "store/store.h"

namespace ww::app {

// How long until a feed is polled again, from its configuration and its state after a poll.
std::chrono::seconds next_delay(const config::FeedConfig& feed, const store::FeedState& state,
                                const config::ScheduleSection& schedule);

}  // namespace ww::app
