#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "publish/curve.h"

namespace ww::publish {

// The client side of the wire format (DESIGN.md section 4), for `wirewatch sub`, `wirewatch
// replay`, the bridge and tests. Each object belongs to one thread.

struct Message {
    std::string topic;
    std::string body;
};

struct SubscriberOptions {
    std::string endpoint = "tcp://127.0.0.1:5556";
    std::vector<std::string> topics{"alert."};  // prefixes; "" = everything
    bool heartbeats = false;                    // also subscribe to "_hb"
    CurveClientOptions curve;
    int receive_hwm = 0;  // 0 = unlimited: a slow reader of its own queue must not drop
};

class Subscriber {
public:
    static Result<Subscriber> connect(const SubscriberOptions& options);
    Subscriber(Subscriber&&) noexcept;
    Subscriber& operator=(Subscriber&&) noexcept;
    ~Subscriber();

    // The next message, or nullopt when none arrived within `timeout` (-1 = wait forever).
    Result<std::optional<Message>> receive(std::chrono::milliseconds timeout);

private:
    struct Impl;
    explicit Subscriber(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

struct ReplayedAlert {
    std::int64_t seq = 0;
    std::string topic;
    std::string envelope;
};

// One answer of the replay server: the alerts, then END's seq and whether to ask again.
struct ReplayPage {
    std::vector<ReplayedAlert> alerts;
    std::int64_t end_seq = 0;
    bool more = false;
};

struct ReplayClientOptions {
    std::string endpoint = "tcp://127.0.0.1:5557";
    CurveClientOptions curve;
    std::chrono::milliseconds timeout{10'000};  // per page
};

class ReplayClient {
public:
    static Result<ReplayClient> connect(const ReplayClientOptions& options);
    ReplayClient(ReplayClient&&) noexcept;
    ReplayClient& operator=(ReplayClient&&) noexcept;
    ~ReplayClient();

    // One REPLAY request. Errors: kind "replay" with the server's ERROR reason (kind
    // "pruned" when the server says the alerts are gone, with `earliest_seq` in the
    // message), "timeout" when no answer came in time (the client then reconnects).
    Result<ReplayPage> request(std::int64_t after, std::string_view prefix);

private:
    struct Impl;
    explicit ReplayClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace ww::publish
