#include "app/poll_policy.h"

#include <algorithm>

namespace ww::app {

using std::chrono::seconds;

seconds next_delay(const config::FeedConfig& feed, const store::FeedState& state,
                   const config::ScheduleSection& schedule) {
    if (state.error_streak > 0) {
        // 1 min, 2 min, 4 min ... capped at a day; never gives up.
        const int doublings = std::min(state.error_streak - 1, 20);
        return std::min(seconds(60) << doublings, seconds(24 * 3600));
    }
    if (feed.interval) return *feed.interval;
    return std::clamp(seconds(15 * 60), schedule.min_interval, schedule.max_interval);
}

}  // namespace ww::app
