#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "sink/cursor_store.h"
#include "sink/sink_host.h"
#include "store/store.h"

namespace ww::app {

// What sinks deliver: alerts (summaries included) and digests. Story events (story.update,
// item.updated) are for subscribers that thread them (docs/protocol.md).
inline bool for_sinks(std::string_view topic) {
    return topic.starts_with("alert.") || topic.starts_with("digest.");
}

// Sink cursors and failed-alert records in the daemon's state database. Sink threads call it
// concurrently: one connection of its own, behind a mutex (writes are tiny and rare).
class StoreCursorStore final : public sink::CursorStore {
public:
    static Result<std::unique_ptr<StoreCursorStore>> open(const std::filesystem::path& state_dir);
    Result<std::int64_t> load(std::string_view sink) override;
    Result<void> save(std::string_view sink, std::int64_t seq) override;
    Result<void> record_failure(std::string_view sink, std::int64_t seq, std::string_view message) override;

private:
    explicit StoreCursorStore(store::Store s) : store_(std::move(s)) {}
    std::mutex mutex_;
    store::Store store_;
};

std::vector<sink::SinkSpec> sink_specs(const std::vector<config::SinkConfig>& sinks);

// What the daemon and `wirewatch bridge` lend to plugins: logging through spdlog, HTTP through
// fetch::http_post (curl stays in the fetch module).
sink::LogFn sink_log();
sink::HttpFn sink_http();
sink::HostServices host_services(const config::Config& config);

// Starts every [[sink]] and offers them what they are owed from the alert log (everything after
// the lowest cursor), so that alerts recorded while the daemon was down or a sink was failing
// are delivered before new ones. nullptr when no sink is configured.
Result<std::unique_ptr<sink::SinkHost>> start_sinks(const config::Config& config, store::Store& log,
                                                    sink::CursorStore& cursors);

}  // namespace ww::app
