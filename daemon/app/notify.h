#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ww::app {

// The systemd notification protocol (sd_notify(3)) for a Type=notify service. Every call is a
// no-op when NOTIFY_SOCKET is unset, so the daemon calls it unconditionally: under systemd it
// tells the truth about its state, on a console it costs nothing.
//
// Order the daemon keeps (the integration test checks it):
//   ready(status)      once the store, ZeroMQ sockets, HTTP listener and sinks are up
//   status(line)       whenever the summary changes (at most every few seconds)
//   watchdog()         every watchdog_period(), and only after a health check passed
//   reloading()        when SIGHUP is taken up, then ready(status) when the new config is in
//                      force (or the old one kept)
//   stopping()         when SIGTERM/SIGINT is taken up, before the drain
class Notifier {
public:
    // Reads NOTIFY_SOCKET and, through sd_watchdog_enabled(3), WATCHDOG_USEC and WATCHDOG_PID
    // (a watchdog meant for another process, e.g. a parent shell, is ignored).
    static Notifier from_environment();
    // A notifier that never sends (tests, --once).
    static Notifier disabled() { return Notifier(false, std::nullopt); }

    bool enabled() const { return enabled_; }
    // How often to send WATCHDOG=1: a third of WatchdogSec; nullopt when systemd expects none.
    std::optional<std::chrono::microseconds> watchdog_period() const { return watchdog_period_; }

    void ready(std::string_view status) const;     // READY=1 + STATUS=
    void status(std::string_view status) const;    // STATUS=
    void watchdog() const;                         // WATCHDOG=1
    void reloading(std::string_view status = "reloading configuration") const;  // RELOADING=1 + MONOTONIC_USEC= + STATUS=
    void stopping(std::string_view status = "stopping") const;  // STOPPING=1 + STATUS=

    // The last message sent, for tests and logs ("" when nothing was sent).
    const std::string& last_message() const { return last_; }

private:
    Notifier(bool enabled, std::optional<std::chrono::microseconds> period)
        : enabled_(enabled), watchdog_period_(period) {}
    void send(const std::string& message) const;
    bool enabled_ = false;
    std::optional<std::chrono::microseconds> watchdog_period_;
    mutable std::string last_;
};

// Pure: the ping period for a WATCHDOG_USEC value. systemd recommends pinging at half the
// timeout; a third leaves room for one late ping (a slow health check) without a kill. Zero
// means no watchdog. The period never drops under 1 ms, so a tiny WatchdogSec cannot turn the
// loop into a busy ping loop.
std::optional<std::chrono::microseconds> watchdog_period(std::uint64_t watchdog_usec);

// Pure: one-line STATUS= text, e.g. "12 feeds, 1 failing, 5 alerts today, last seq 1234".
struct StatusSummary {
    std::size_t feeds = 0;
    std::size_t failing = 0;
    std::uint64_t alerts_today = 0;
    std::int64_t last_seq = 0;
};
std::string status_line(const StatusSummary& s);

// Pure: the body of a notification; `monotonic_usec` is CLOCK_MONOTONIC in microseconds, as
// RELOADING=1 wants it next to it (systemd 253's Type=notify-reload reads it; older versions
// ignore it).
std::string ready_message(std::string_view status);
std::string reloading_message(std::string_view status, std::uint64_t monotonic_usec);
std::string stopping_message(std::string_view status);

}  // namespace ww::app
