#include "app/notify.h"

#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <ctime>

namespace ww::app {

namespace {

// STATUS= is one line: a newline would start another assignment.
std::string one_line(std::string_view text) {
    std::string s(text);
    for (auto& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

std::uint64_t monotonic_usec() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000u + static_cast<std::uint64_t>(ts.tv_nsec) / 1000u;
}

}  // namespace

std::optional<std::chrono::microseconds> watchdog_period(std::uint64_t watchdog_usec) {
    if (watchdog_usec == 0) return std::nullopt;
    const auto third = static_cast<std::int64_t>(watchdog_usec / 3);
    return std::chrono::microseconds(std::max<std::int64_t>(third, 1000));
}

std::string status_line(const StatusSummary& s) {
    return std::to_string(s.feeds) + (s.feeds == 1 ? " feed, " : " feeds, ") + std::to_string(s.failing) +
           " failing, " + std::to_string(s.alerts_today) + (s.alerts_today == 1 ? " alert" : " alerts") +
           " today, last seq " + std::to_string(s.last_seq);
}

std::string ready_message(std::string_view status) { return "READY=1\nSTATUS=" + one_line(status); }

std::string reloading_message(std::string_view status, std::uint64_t usec) {
    return "RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec) + "\nSTATUS=" + one_line(status);
}

std::string stopping_message(std::string_view status) { return "STOPPING=1\nSTATUS=" + one_line(status); }

Notifier Notifier::from_environment() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    if (socket == nullptr || *socket == '\0') return disabled();
    std::uint64_t usec = 0;
    // > 0 only when WATCHDOG_USEC is set and WATCHDOG_PID (if set) is this process.
    const int watchdog = ::sd_watchdog_enabled(0, &usec);
    return Notifier(true, watchdog > 0 ? ww::app::watchdog_period(usec) : std::nullopt);
}

void Notifier::send(const std::string& message) const {
    if (!enabled_) return;
    last_ = message;
    // Failures are ignored on purpose: systemd not listening must never stop the daemon, and a
    // missed READY or WATCHDOG shows up in systemd's own state.
    (void)::sd_notify(0, message.c_str());
}

void Notifier::ready(std::string_view status) const { send(ready_message(status)); }

void Notifier::status(std::string_view status) const { send("STATUS=" + one_line(status)); }

void Notifier::watchdog() const { send("WATCHDOG=1"); }

void Notifier::reloading(std::string_view status) const { send(reloading_message(status, monotonic_usec())); }

void Notifier::stopping(std::string_view status) const { send(stopping_message(status)); }

}  // namespace ww::app
