#pragma once

#include <memory>

#include "config/config.h"
#include "core/error.h"

namespace ww::app {

struct RunOptions {
    bool once = false;  // poll every feed once, record, publish, exit
};

// The wired daemon: store, publisher, HTTP client, watchlists and the per-feed poll loop on one
// io_context, parsing and matching on a worker pool, SQLite written from one thread.
class Daemon {
public:
    // Opens the state, compiles the watchlists and binds the sockets; any failure here means the
    // daemon must not start, and the error says why.
    static Result<std::unique_ptr<Daemon>> create(config::Config config, RunOptions options);
    ~Daemon();

    // Runs until SIGINT/SIGTERM (or, with once, until every feed was polled). Returns the exit
    // status.
    int run();

private:
    struct Impl;
    explicit Daemon(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ww::app
