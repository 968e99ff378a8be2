#include "app/state_lock.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace ww::app {

namespace {

// The pid the current holder wrote, or "?" when the file is empty or unreadable.
std::string holder_pid(int fd) {
    char buf[32] = {};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return pid.empty() ? "?" : pid;
}

}  // namespace

Result<StateLock> StateLock::acquire(const std::filesystem::path& state_dir) {
    std::error_code ec;
    if (!std::filesystem::exists(state_dir, ec)) {
        // Created private: it holds WebSub secrets and the alert log.
        std::filesystem::create_directories(state_dir, ec);
        if (!ec) std::filesystem::permissions(state_dir, std::filesystem::perms::owner_all, ec);
        if (ec) return fail("state", "app: cannot create state directory " + state_dir.string() + ": " + ec.message());
    }
    const auto file = state_dir / "wirewatchd.lock";
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return fail("state", "app: cannot open lock file " + file.string() + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        std::string message = err == EWOULDBLOCK
                                  ? "app: another wirewatchd (pid " + holder_pid(fd) + ") holds " + state_dir.string()
                                  : "app: cannot lock " + file.string() + ": " + std::strerror(err);
        ::close(fd);
        return fail("state_locked", std::move(message));
    }
    // Without the pid the lock still holds; only the second daemon's message loses its number.
    const std::string pid = std::to_string(::getpid()) + "\n";
    [[maybe_unused]] const bool wrote =
        ::ftruncate(fd, 0) == 0 && ::pwrite(fd, pid.data(), pid.size(), 0) == static_cast<ssize_t>(pid.size());
    return StateLock(fd);
}

StateLock::StateLock(StateLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

StateLock& StateLock::operator=(StateLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

StateLock::~StateLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace ww::app
