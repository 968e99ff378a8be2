#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "publish/curve.h"

namespace ww::publish {

// Filled from `[publish] endpoint, send_hwm, curve_secret_key_file, curve_allowed_clients,
// allow_insecure` (curve.h loads the key files).
struct PublisherOptions {
    std::string endpoint = "tcp://127.0.0.1:5556";
    int send_hwm = 100'000;  // past it ZeroMQ drops for that subscriber; we never block
    int linger_ms = 2000;    // on close, how long queued messages may take to leave
    CurveServerOptions curve;     // secret_key empty = plaintext
    bool allow_insecure = false;  // permit a non-loopback bind without CURVE
};

inline constexpr std::string_view kHeartbeatTopic = "_hb";

// {"v":1,"seq":N}
std::string heartbeat_body(std::int64_t last_seq);

// The alert PUB socket. Owned and used by one thread (the io thread).
class Publisher {
public:
    // Refuses a non-local endpoint without CURVE (unless allow_insecure), starts the ZAP
    // handler when CURVE is on, and binds.
    static Result<Publisher> bind(const PublisherOptions& options);
    Publisher(Publisher&&) noexcept;
    Publisher& operator=(Publisher&&) noexcept;
    ~Publisher();  // lets queued messages leave (up to linger_ms) before closing

    // Two frames: topic, body. Never blocks.
    Result<void> send(std::string_view topic, std::string_view body);
    // Topic "_hb", body {"v":1,"seq":N}.
    Result<void> heartbeat(std::int64_t last_seq);
    std::string endpoint() const;  // the bound endpoint (resolved when the port was 0/"*")

private:
    struct Impl;
    explicit Publisher(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ww::publish
