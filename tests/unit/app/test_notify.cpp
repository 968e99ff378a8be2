#include "app/notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

namespace ww::app {
namespace {

using std::chrono::microseconds;

TEST(Notify, WatchdogPeriodIsAThirdOfTheTimeout) {
    const std::pair<std::uint64_t, std::optional<microseconds>> cases[] = {
        {0, std::nullopt},                  // no WatchdogSec: no pings
        {30'000'000, microseconds(10'000'000)},
        {3'000'000, microseconds(1'000'000)},
        {1'000'000, microseconds(333'333)},
        {1'000, microseconds(1'000)},       // floored at 1 ms: never a busy loop
        {2, microseconds(1'000)},
    };
    for (const auto& [usec, period] : cases) EXPECT_EQ(watchdog_period(usec), period) << usec;
}

TEST(Notify, StatusLine) {
    EXPECT_EQ(status_line({.feeds = 12, .failing = 1, .alerts_today = 5, .last_seq = 1234}),
              "12 feeds, 1 failing, 5 alerts today, last seq 1234");
    EXPECT_EQ(status_line({.feeds = 1, .failing = 0, .alerts_today = 1, .last_seq = 0}),
              "1 feed, 0 failing, 1 alert today, last seq 0");
}

TEST(Notify, Messages) {
    EXPECT_EQ(ready_message("6 feeds"), "READY=1\nSTATUS=6 feeds");
    EXPECT_EQ(ready_message("two\nlines"), "READY=1\nSTATUS=two lines");  // one assignment only
    EXPECT_EQ(reloading_message("reloading", 42), "RELOADING=1\nMONOTONIC_USEC=42\nSTATUS=reloading");
    EXPECT_EQ(stopping_message("SIGTERM"), "STOPPING=1\nSTATUS=SIGTERM");
}

// A socket of our own in place of systemd's.
class NotifySocket : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = std::filesystem::temp_directory_path() / ("ww-notify-" + std::to_string(::getpid()));
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
        ASSERT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        timeval tv{5, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
    }
    void TearDown() override {
        ::unsetenv("NOTIFY_SOCKET");
        ::unsetenv("WATCHDOG_USEC");
        ::unsetenv("WATCHDOG_PID");
        ::close(fd_);
        std::filesystem::remove(path_);
    }
    std::string receive() {
        char buf[4096];
        const auto n = ::recv(fd_, buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
    }
    std::filesystem::path path_;
    int fd_ = -1;
};

TEST_F(NotifySocket, SendsEachStateToTheSocket) {
    ::setenv("WATCHDOG_USEC", "3000000", 1);
    const auto n = Notifier::from_environment();
    ASSERT_TRUE(n.enabled());
    EXPECT_EQ(n.watchdog_period(), microseconds(1'000'000));
    n.ready("3 feeds");
    EXPECT_EQ(receive(), "READY=1\nSTATUS=3 feeds");
    n.watchdog();
    EXPECT_EQ(receive(), "WATCHDOG=1");
    n.status("3 feeds, 1 failing");
    EXPECT_EQ(receive(), "STATUS=3 feeds, 1 failing");
    n.reloading();
    const auto reloading = receive();
    EXPECT_TRUE(reloading.starts_with("RELOADING=1\nMONOTONIC_USEC=")) << reloading;
    n.stopping("SIGTERM");
    EXPECT_EQ(receive(), "STOPPING=1\nSTATUS=SIGTERM");
}

TEST_F(NotifySocket, AWatchdogMeantForAnotherProcessIsIgnored) {
    ::setenv("WATCHDOG_USEC", "3000000", 1);
    ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);
    EXPECT_FALSE(Notifier::from_environment().watchdog_period().has_value());
}

TEST_F(NotifySocket, NoWatchdogWithoutWatchdogUsec) {
    EXPECT_FALSE(Notifier::from_environment().watchdog_period().has_value());
}

TEST(Notify, EverythingIsANoOpWithoutNotifySocket) {
    ::unsetenv("NOTIFY_SOCKET");
    ::setenv("WATCHDOG_USEC", "3000000", 1);
    const auto n = Notifier::from_environment();
    EXPECT_FALSE(n.enabled());
    EXPECT_FALSE(n.watchdog_period().has_value());
    n.ready("x");
    n.watchdog();
    n.stopping();
    EXPECT_EQ(n.last_message(), "");
    ::unsetenv("WATCHDOG_USEC");
}

}  // namespace
}  // namespace ww::app
