#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "publish/subscriber.h"

namespace ww::publish {

// The pure decisions of a resumable subscriber. `covered` is the subscriber's cursor: every
// alert under its prefix with seq <= covered has been delivered.
enum class LiveAction {
    drop,     // seq <= covered: a duplicate (already replayed)
    deliver,  // seq == covered + 1: the next one
    replay,   // seq > covered + 1: a gap, or alerts of other topics; ask the log
};
LiveAction on_live_alert(std::int64_t covered, std::int64_t seq);
// A heartbeat ahead of the cursor means something was missed (or filtered out): ask the log.
bool heartbeat_needs_replay(std::int64_t covered, std::int64_t heartbeat_seq);

struct ResumableOptions {
    SubscriberOptions live;  // its topics are replaced by {prefix}; heartbeats forced on
    ReplayClientOptions replay;
    std::string prefix = "alert.";
    std::size_t max_per_call = 1000;  // deliveries handed back by one next()
    // Non-fatal trouble (replay unreachable, alerts pruned before they could be delivered).
    std::function<void(const std::string&)> on_warning;
};

// The clone pattern of DESIGN.md section 4: subscribe first, replay from the cursor, drop
// duplicates, replay again on a gap or a heartbeat ahead. Delivers each alert once, in seq
// order, as long as the caller persists covered() after handling each batch.
class ResumableSubscriber {
public:
    static Result<ResumableSubscriber> start(ResumableOptions options, std::int64_t covered);
    ResumableSubscriber(ResumableSubscriber&&) noexcept;
    ResumableSubscriber& operator=(ResumableSubscriber&&) noexcept;
    ~ResumableSubscriber();

    // The next alerts in order (possibly none when `timeout` passes). Errors are fatal: the
    // server's log is behind the cursor ("ahead"), or the socket failed.
    Result<std::vector<ReplayedAlert>> next(std::chrono::milliseconds timeout);
    // Persist this after handling what next() returned; it may pass the last delivered seq
    // (a heartbeat proved there is nothing under the prefix in between).
    std::int64_t covered() const;

private:
    struct Impl;
    explicit ResumableSubscriber(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ww::publish
