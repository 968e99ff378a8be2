#include "sink/running_sink.h"

#include <algorithm>

#include "core/time.h"
#include "sink/watchlist_glob.h"

namespace ww::sink {

RunningSink::RunningSink(std::string name, std::vector<std::string> watchlists, RetryPolicy policy,
                         std::unique_ptr<Deliverer> deliverer, CursorStore& cursors,
                         std::shared_ptr<Clock> clock, LogFn log)
    : name_(std::move(name)), watchlists_(std::move(watchlists)), policy_(policy),
      deliverer_(std::move(deliverer)), cursors_(cursors),
      clock_(clock ? std::move(clock) : std::make_shared<SteadyClock>()), log_(std::move(log)) {}

RunningSink::~RunningSink() { stop(); }

Result<void> RunningSink::start() {
    auto c = cursors_.load(name_);
    if (!c) return std::unexpected(c.error());
    cursor_ = *c;
    saved_cursor_ = *c;
    {
        std::lock_guard lock(mutex_);
        last_offered_ = *c;
    }
    thread_ = std::jthread([this](std::stop_token st) { run(st); });
    return {};
}

void RunningSink::offer(const OfferedAlert& alert) {
    {
        std::lock_guard lock(mutex_);
        if (alert.seq <= last_offered_) return;
        last_offered_ = alert.seq;
        queue_.push_back(alert);
    }
    queue_cv_.notify_one();
}

void RunningSink::stop() {
    if (!thread_.joinable()) return;
    thread_.request_stop();
    queue_cv_.notify_all();
    thread_.join();
}

SinkCounters RunningSink::counters() const {
    SinkCounters c{delivered_, retries_, failed_, skipped_, cursor_, 0, quiet_holds_};
    std::lock_guard lock(mutex_);
    c.queued = queue_.size();
    return c;
}

bool RunningSink::wait_for_cursor(std::int64_t seq, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return cursor_cv_.wait_for(lock, timeout, [&] { return cursor_.load() >= seq; });
}

void RunningSink::log(LogLevel level, const std::string& line) const {
    if (log_) log_(level, "sink=" + name_ + " " + line);
}

void RunningSink::run(std::stop_token stop) {
    while (!stop.stop_requested()) {
        OfferedAlert alert;
        bool last_in_queue = false;
        {
            std::unique_lock lock(mutex_);
            if (!queue_cv_.wait(lock, stop, [&] { return !queue_.empty(); })) return;
            alert = std::move(queue_.front());
            queue_.pop_front();
            last_in_queue = queue_.empty();
        }
        if (!routes_to(watchlists_, watchlist_of_topic(alert.topic))) {
            ++skipped_;
            // Skipped alerts move the cursor too, but are written out in batches: losing a
            // skip to a crash only costs re-filtering it.
            finish(alert.seq, last_in_queue);
            continue;
        }
        if (!handle(alert, stop)) return;
    }
}

bool RunningSink::handle(const OfferedAlert& alert, std::stop_token stop) {
    const std::string seq = "seq=" + std::to_string(alert.seq);
    if (!wait_out_quiet_hours(seq, stop)) return false;
    for (std::uint32_t attempt = 1;; ++attempt) {
        if (policy_.min_interval.count() > 0 && last_attempt_ != std::chrono::steady_clock::time_point{}) {
            const auto next = last_attempt_ + policy_.min_interval;
            const auto now = clock_->now();
            if (next > now &&
                !clock_->sleep_for(std::chrono::duration_cast<std::chrono::milliseconds>(next - now), stop))
                return false;
        }
        last_attempt_ = clock_->now();
        Delivery d = deliverer_->deliver(alert);
        if (d.outcome == Delivery::Outcome::delivered) {
            ++delivered_;
            log(LogLevel::debug, seq + " outcome=delivered attempts=" + std::to_string(attempt));
            finish(alert.seq, true);
            return true;
        }
        const bool give_up = d.outcome == Delivery::Outcome::permanent ||
                             (policy_.max_attempts > 0 && attempt >= policy_.max_attempts);
        if (give_up) {
            ++failed_;
            std::string why = d.outcome == Delivery::Outcome::permanent
                                  ? d.message
                                  : "gave up after " + std::to_string(attempt) + " attempts: " + d.message;
            log(LogLevel::error, seq + " outcome=failed attempts=" + std::to_string(attempt) + " error=\"" + why + "\"");
            if (auto r = cursors_.record_failure(name_, alert.seq, why); !r)
                log(LogLevel::error, seq + " cannot record the failure: " + r.error().message);
            finish(alert.seq, true);
            return true;
        }
        ++retries_;
        const auto delay = retry_delay(policy_, attempt, d.retry_after, clock_->random01());
        log(LogLevel::warn, seq + " outcome=retry attempt=" + std::to_string(attempt) + " delay_ms=" +
                                std::to_string(delay.count()) + (d.retry_after ? " retry_after=true" : "") +
                                " error=\"" + d.message + "\"");
        if (!clock_->sleep_for(delay, stop)) return false;
    }
}

// Quiet hours hold delivery, never drop it: the alert stays first in line (the cursor before it,
// so a restart offers it again) until the window ends.
bool RunningSink::wait_out_quiet_hours(const std::string& seq, std::stop_token stop) {
    if (!policy_.quiet_hours || !policy_.quiet_zone) return true;
    bool counted = false;
    for (;;) {
        const auto now = clock_->policy_now();
        const auto until = quiet_until(*policy_.quiet_hours, *policy_.quiet_zone, now);
        if (!until) return true;
        if (!counted) {
            counted = true;
            ++quiet_holds_;
            log(LogLevel::info, seq + " outcome=quiet until=" + format_rfc3339(*until));
        }
        // In slices of at most a second: the policy clock may jump (a test steers it), and a
        // stop must not wait for the morning.
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*until - now);
        if (!clock_->sleep_for(std::clamp<std::chrono::milliseconds>(left, std::chrono::milliseconds(1),
                                                                      std::chrono::milliseconds(1000)),
                               stop))
            return false;
    }
}

void RunningSink::finish(std::int64_t seq, bool durable_now) {
    if (durable_now && seq != saved_cursor_) {
        if (auto r = cursors_.save(name_, seq); !r)
            log(LogLevel::error, "seq=" + std::to_string(seq) + " cannot save the cursor: " + r.error().message);
        else
            saved_cursor_ = seq;
    }
    {
        std::lock_guard lock(mutex_);
        cursor_ = seq;
    }
    cursor_cv_.notify_all();
}

}  // namespace ww::sink
