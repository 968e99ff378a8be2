#include "publish/liveness.h"

#include <algorithm>
#include <utility>

namespace ww::publish {

using namespace std::chrono_literals;

Liveness::Liveness(std::string endpoint, Clock::time_point start)
    : endpoint_(std::move(endpoint)), last_heard_(start) {}

std::optional<std::string> Liveness::gap_to(std::int64_t seq) {
    // Before anything arrived the subscriber has no baseline: what came before it joined is not
    // missed, it is history (the replay has it).
    if (!last_seq_ || seq <= *last_seq_ + 1) return std::nullopt;
    const std::int64_t first = *last_seq_ + 1, last = seq - 1;
    return "missed alert" + std::string(first == last ? " " : "s ") + std::to_string(first) +
           (first == last ? "" : "-" + std::to_string(last)) + ": use --resume to fetch them";
}

std::vector<std::string> Liveness::on_heartbeat(std::int64_t last_seq, Clock::time_point now) {
    std::vector<std::string> lines;
    if (silent_) lines.push_back("heartbeats from " + endpoint_ + " again");
    silent_ = false;
    if (last_heartbeat_) interval_ = std::clamp<Clock::duration>(now - *last_heartbeat_, 1s, 60s);
    last_heartbeat_ = now;
    last_heard_ = now;
    // The heartbeat says seq N was published: N itself is missed too when it never came.
    if (auto gap = gap_to(last_seq + 1)) lines.push_back(std::move(*gap));
    last_seq_ = std::max(last_seq_.value_or(last_seq), last_seq);
    return lines;
}

std::vector<std::string> Liveness::on_message(std::int64_t seq, Clock::time_point now) {
    std::vector<std::string> lines;
    last_heard_ = now;
    if (auto gap = gap_to(seq)) lines.push_back(std::move(*gap));
    last_seq_ = std::max(last_seq_.value_or(seq), seq);
    return lines;
}

std::optional<std::string> Liveness::on_idle(Clock::time_point now) {
    const auto quiet = now - last_heard_;
    if (silent_ || quiet < 2 * interval_) return std::nullopt;
    silent_ = true;
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(quiet).count();
    return "no heartbeat from " + endpoint_ + " for " + std::to_string(seconds) +
           " s (is wirewatchd running, and is this its [publish] endpoint?)";
}

}  // namespace ww::publish
