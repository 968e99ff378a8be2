#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ww::publish {

// What a plain subscriber (`wirewatch sub` without --resume) tells its user about the stream,
// decided from the heartbeats and the seqs it sees: silence ("is the daemon running, and is
// this its endpoint?"), its end, and alerts it missed (a seq gap: the PUB socket dropped them,
// or the subscriber was slow to join). Pure: the caller gives the times and prints the lines.
// It must see every seq to call a gap a gap, so the subscriber takes every topic and filters.
class Liveness {
public:
    using Clock = std::chrono::steady_clock;

    Liveness(std::string endpoint, Clock::time_point start);

    // A heartbeat carrying the last seq the daemon published.
    std::vector<std::string> on_heartbeat(std::int64_t last_seq, Clock::time_point now);
    // Any seq-numbered message (alert, story event, digest).
    std::vector<std::string> on_message(std::int64_t seq, Clock::time_point now);
    // Nothing arrived: a line when the silence has just lasted two heartbeat intervals.
    std::optional<std::string> on_idle(Clock::time_point now);

    // Two heartbeats apart, as last seen; 5 s (the daemon's default) until two were seen.
    Clock::duration interval() const { return interval_; }

private:
    std::optional<std::string> gap_to(std::int64_t seq);

    std::string endpoint_;
    Clock::time_point last_heard_;
    std::optional<Clock::time_point> last_heartbeat_;
    Clock::duration interval_ = std::chrono::seconds(5);
    std::optional<std::int64_t> last_seq_;
    bool silent_ = false;
};

}  // namespace ww::publish
