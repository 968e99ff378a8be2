#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <stop_token>

#include "core/item.h"
#include "core/time.h"

namespace ww::sink {

// Everything a RunningSink asks of time, behind one interface so that tests control it: retry
// and Retry-After delays are asserted on the requested waits, never on the wall clock.
class Clock {
public:
    virtual ~Clock() = default;
    virtual std::chrono::steady_clock::time_point now() = 0;
    virtual SysSeconds system_now() = 0;  // to read Retry-After given as an HTTP date
    // Waits `d`; returns false early when `stop` is requested.
    virtual bool sleep_for(std::chrono::milliseconds d, std::stop_token stop) = 0;
    virtual double random01() = 0;  // jitter
    // The delivery-policy clock (quiet hours): core/time.h policy_now(), which a test may steer.
    virtual SysSeconds policy_now() { return ww::policy_now(); }
};

class SteadyClock final : public Clock {
public:
    std::chrono::steady_clock::time_point now() override { return std::chrono::steady_clock::now(); }
    SysSeconds system_now() override {
        return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    }
    bool sleep_for(std::chrono::milliseconds d, std::stop_token stop) override {
        std::unique_lock lock(mutex_);
        return !cv_.wait_for(lock, stop, d, [] { return false; }) && !stop.stop_requested();
    }
    double random01() override {
        std::lock_guard lock(mutex_);
        return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
    }

private:
    std::mutex mutex_;
    std::condition_variable_any cv_;
    std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace ww::sink
