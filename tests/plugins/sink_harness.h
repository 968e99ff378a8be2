#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mock_http_server.h"
#include "sink/clock.h"
#include "sink/cursor_store.h"
#include "sink/sink_host.h"
#include "sink/types.h"

namespace ww::test {

// Time under the test's control: sleeps return at once and are recorded, so a test asserts
// the exact backoff or Retry-After a sink asked for without waiting for it.
class FakeClock final : public sink::Clock {
public:
    std::chrono::steady_clock::time_point now() override;
    SysSeconds system_now() override;  // fixed: 2026-11-27T15:00:00Z
    bool sleep_for(std::chrono::milliseconds d, std::stop_token stop) override;
    double random01() override { return 0.5; }
    std::vector<std::chrono::milliseconds> sleeps() const;

private:
    mutable std::mutex mutex_;
    std::chrono::steady_clock::time_point now_{std::chrono::hours(1)};
    std::vector<std::chrono::milliseconds> sleeps_;
};

class MemoryCursorStore final : public sink::CursorStore {
public:
    Result<std::int64_t> load(std::string_view sink) override;
    Result<void> save(std::string_view sink, std::int64_t seq) override;
    Result<void> record_failure(std::string_view sink, std::int64_t seq, std::string_view message) override;
    std::vector<std::pair<std::int64_t, std::string>> failures(std::string_view sink) const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::int64_t, std::less<>> cursors_;
    std::map<std::string, std::vector<std::pair<std::int64_t, std::string>>, std::less<>> failures_;
};

// HTTP through fetch/http_post.h (curl), as the bridge wires it.
sink::HttpFn curl_http();

std::string read_file(const std::string& path);
// tests/fixtures/sink/reference_alert.json: Cyrillic and Chinese text, HTML-special
// characters and a summary longer than any chat service accepts.
sink::OfferedAlert reference_alert();

// One sink started against a mock service, with a fake clock and an in-memory cursor store.
struct SinkRun {
    using SpecFn = std::function<sink::SinkSpec(const MockHttpServer&)>;

    MockHttpServer server;
    std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
    MemoryCursorStore cursors;
    std::unique_ptr<sink::SinkHost> host;

    // Fails the test when the host does not start.
    void start(const SpecFn& spec);
    // Offers the alert and waits until the sink has finished with it (delivered or failed).
    void offer_and_finish(const sink::OfferedAlert& alert);
    sink::SinkCounters counters() const;
    std::string logs() const;

    mutable std::mutex log_mutex;
    std::vector<std::string> log_lines;
};

// The scenarios every sink must pass, each against a fresh mock service.
void expect_retry_on_500(const SinkRun::SpecFn& spec);
void expect_retry_after_honoured(const SinkRun::SpecFn& spec, MockHttpServer::Reply reply_429,
                                 std::chrono::milliseconds expected_wait);
void expect_permanent_failure(const SinkRun::SpecFn& spec, int status, const std::string& secret);
// Two hostile alerts (mass mentions, bidi overrides, C1 controls; a javascript: link, then a
// link with spaces, parentheses and angle brackets): every text the service receives must
// hold none of them raw, and the second link must arrive percent-encoded (issue 16).
void expect_hostile_text_neutralised(const SinkRun::SpecFn& spec);
// The payload the sink sends for the reference alert equals the fixture
// tests/fixtures/sink/<fixture> (JSON compared as values). Returns the request.
MockHttpServer::Request expect_reference_payload(const SinkRun::SpecFn& spec, const std::string& fixture);

}  // namespace ww::test
