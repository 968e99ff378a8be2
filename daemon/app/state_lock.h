#pragma once

#include <filesystem>

#include "core/error.h"

namespace ww::app {

// An exclusive lock on a state directory, held for the life of the process: two daemons on one
// state directory would hand out the same alert numbers on two sockets. The lock is an flock on
// STATE_DIR/wirewatchd.lock, which the kernel releases when the process dies (also by SIGKILL),
// so a stale file never blocks a restart. The file holds the owner's pid for the message the
// second daemon prints. Read-only commands (backtest, feeds, replay) do not take it.
class StateLock {
public:
    static Result<StateLock> acquire(const std::filesystem::path& state_dir);

    StateLock(StateLock&& other) noexcept;
    StateLock& operator=(StateLock&& other) noexcept;
    StateLock(const StateLock&) = delete;
    StateLock& operator=(const StateLock&) = delete;
    ~StateLock();

private:
    explicit StateLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace ww::app
