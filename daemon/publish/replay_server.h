#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "publish/curve.h"

namespace ww::publish {

// Filled from `[publish] replay_endpoint, max_batch`, and the same CURVE settings as the PUB
// socket.
struct ReplayOptions {
    std::string endpoint = "tcp://127.0.0.1:5557";
    std::size_t max_batch = 1000;  // ALERT messages per answer; the client asks again on "more"
    CurveServerOptions curve;
    bool allow_insecure = false;
};

struct ReplayAlert {
    std::int64_t seq = 0;
    std::string topic;
    std::string envelope;
};

// What the log holds for one request. The publish module does not know the store; the app
// adapts it (see the report / docs/protocol.md).
struct ReplaySlice {
    std::int64_t earliest_seq = 1;  // smallest seq kept (last_seq + 1 when none)
    std::int64_t last_seq = 0;      // last seq ever assigned
    std::vector<ReplayAlert> alerts;  // seq > after, topic starts with prefix, in seq order
};

// Called on the replay thread only, so it may own a read-only Store opened for that thread.
using ReplaySource = std::function<Result<ReplaySlice>(std::int64_t after, std::string_view prefix,
                                                       std::size_t limit)>;

// The ROUTER of docs/protocol.md, in its own thread with its own ZeroMQ context: a replay
// reads the database, never the live socket, and never slows publishing.
class ReplayServer {
public:
    // Binds in the caller's thread (so that errors surface at start-up), then serves.
    static Result<ReplayServer> start(const ReplayOptions& options, ReplaySource source);
    ReplayServer(ReplayServer&&) noexcept;
    ReplayServer& operator=(ReplayServer&&) noexcept;
    ~ReplayServer();  // stop()

    void stop();  // finishes the request in progress, then joins; idempotent
    std::string endpoint() const;

private:
    struct Impl;
    explicit ReplayServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ww::publish
