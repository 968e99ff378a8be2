#include "app/poll_policy.h"

namespace ww::app {

schedule::Policy policy_of(const config::ScheduleSection& section) {
    schedule::Policy p;
    p.min_interval = section.min_interval;
    p.max_interval = section.max_interval;
    return p;
}

schedule::FeedState schedule_state_of(const store::FeedState& stored) {
    schedule::FeedState s;
    s.status = stored.status == "gone" ? schedule::FeedStatus::gone : schedule::FeedStatus::active;
    s.learned_interval = std::chrono::seconds(stored.learned_interval_s);
    s.last_arrival_at = stored.last_arrival_at;
    s.fetched_before = stored.initialised;
    s.error_streak = stored.error_streak;
    s.last_error_kind = stored.last_error_kind;
    return s;
}

void apply_decision(const schedule::Decision& decision, store::FeedState& stored) {
    const auto& s = decision.state;
    stored.learned_interval_s = s.learned_interval.count();
    stored.error_streak = s.error_streak;
    stored.next_check_at = decision.next_check;
    stored.last_arrival_at = s.last_arrival_at;
    if (s.status == schedule::FeedStatus::gone) stored.status = "gone";
}

}  // namespace ww::app
