#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "sink/clock.h"
#include "sink/cursor_store.h"
#include "sink/retry_policy.h"
#include "sink/sink_plugin.h"
#include "sink/types.h"

namespace ww::sink {

struct SinkCounters {
    std::uint64_t delivered = 0;
    std::uint64_t retries = 0;   // attempts that will be retried
    std::uint64_t failed = 0;    // alerts given up on (permanent failure), each recorded
    std::uint64_t skipped = 0;   // alerts for watchlists this sink does not route
    std::int64_t cursor = 0;     // last seq finished with, durable
    std::size_t queued = 0;
    std::uint64_t quiet_holds = 0;  // alerts that waited for the end of quiet hours
};

// The host side of one sink (Telegraf's RunningOutput): its own thread and queue, retries with
// exponential backoff and jitter or the service's Retry-After, a minimum interval between
// attempts, counters, and a durable cursor. A slow or failing sink only ever delays itself.
// Alerts are handled strictly in seq order; a retried alert holds back the ones after it, so
// a chat room never sees them out of order.
class RunningSink {
public:
    RunningSink(std::string name, std::vector<std::string> watchlists, RetryPolicy policy,
                std::unique_ptr<Deliverer> deliverer, CursorStore& cursors,
                std::shared_ptr<Clock> clock, LogFn log);
    RunningSink(const RunningSink&) = delete;
    RunningSink& operator=(const RunningSink&) = delete;
    ~RunningSink();  // stop()

    // Loads the cursor and starts the thread.
    Result<void> start();
    // Any thread. Alerts at or below the cursor or already offered are ignored, so the same
    // alert offered twice (live and replayed) is delivered once.
    void offer(const OfferedAlert& alert);
    // Stops after the attempt in flight; queued alerts stay undelivered (the cursor says so)
    // and come back through replay.
    void stop();

    const std::string& name() const { return name_; }
    SinkCounters counters() const;
    std::int64_t cursor() const { return cursor_.load(); }
    // Waits until the cursor reached `seq` (true) or the timeout passed (false): for tests and
    // for a graceful drain, never as a sleep.
    bool wait_for_cursor(std::int64_t seq, std::chrono::milliseconds timeout) const;

private:
    void run(std::stop_token stop);
    // False when stopped before the alert was finished.
    bool handle(const OfferedAlert& alert, std::stop_token stop);
    // Waits until the sink's quiet hours are over; false when stopped first.
    bool wait_out_quiet_hours(const std::string& seq, std::stop_token stop);
    void finish(std::int64_t seq, bool durable_now);
    void log(LogLevel level, const std::string& line) const;

    const std::string name_;
    const std::vector<std::string> watchlists_;
    const RetryPolicy policy_;
    std::unique_ptr<Deliverer> deliverer_;
    CursorStore& cursors_;
    std::shared_ptr<Clock> clock_;
    LogFn log_;

    mutable std::mutex mutex_;
    std::condition_variable_any queue_cv_;
    mutable std::condition_variable cursor_cv_;
    std::deque<OfferedAlert> queue_;
    std::int64_t last_offered_ = 0;
    std::atomic<std::int64_t> cursor_{0};
    std::int64_t saved_cursor_ = 0;  // worker thread only
    std::atomic<std::uint64_t> delivered_{0}, retries_{0}, failed_{0}, skipped_{0}, quiet_holds_{0};
    std::chrono::steady_clock::time_point last_attempt_{};
    std::jthread thread_;  // last: it stops and joins before the members it uses go away
};

}  // namespace ww::sink
