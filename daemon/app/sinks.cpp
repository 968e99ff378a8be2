#include "app/sinks.h"

#include <spdlog/spdlog.h>

#include "core/time.h"
#include "fetch/http_post.h"

namespace ww::app {

Result<std::unique_ptr<StoreCursorStore>> StoreCursorStore::open(const std::filesystem::path& state_dir) {
    auto s = store::Store::open(state_dir);
    if (!s) return std::unexpected(s.error());
    return std::unique_ptr<StoreCursorStore>(new StoreCursorStore(std::move(*s)));
}

Result<std::int64_t> StoreCursorStore::load(std::string_view sink) {
    std::lock_guard lock(mutex_);
    auto c = store_.sink_cursor(sink);
    if (!c) return std::unexpected(c.error());
    return *c ? (*c)->last_seq : 0;
}

Result<void> StoreCursorStore::save(std::string_view sink, std::int64_t seq) {
    std::lock_guard lock(mutex_);
    return store_.set_sink_cursor(sink, seq, now_seconds());
}

Result<void> StoreCursorStore::record_failure(std::string_view sink, std::int64_t seq,
                                              std::string_view message) {
    std::lock_guard lock(mutex_);
    return store_.record_sink_failure(sink, seq, message, now_seconds());
}

std::vector<sink::SinkSpec> sink_specs(const std::vector<config::SinkConfig>& sinks) {
    std::vector<sink::SinkSpec> specs;
    for (const auto& s : sinks) {
        specs.push_back({.name = s.name,
                         .plugin = s.plugin,
                         .url = s.url,
                         .watchlists = s.watchlists,
                         .options = s.options,
                         .where = s.where.file + ":" + std::to_string(s.where.line) + ":" +
                                  std::to_string(s.where.column)});
    }
    return specs;
}

sink::LogFn sink_log() {
    return [](sink::LogLevel level, std::string_view line) {
        switch (level) {
            case sink::LogLevel::debug: spdlog::debug("{}", line); break;
            case sink::LogLevel::info: spdlog::info("{}", line); break;
            case sink::LogLevel::warn: spdlog::warn("{}", line); break;
            case sink::LogLevel::error: spdlog::error("{}", line); break;
        }
    };
}

sink::HttpFn sink_http() {
    return [](const sink::HttpRequest& r) -> Result<sink::HttpResponse> {
        fetch::PostRequest post{.method = r.method, .url = r.url, .headers = r.headers,
                                .body = r.body, .timeout = r.timeout};
        auto response = fetch::http_post(post);
        if (!response) return std::unexpected(response.error());
        return sink::HttpResponse{static_cast<int>(response->status), std::move(response->headers),
                                  std::move(response->body)};
    };
}

sink::HostServices host_services(const config::Config& config) {
    sink::HostServices services;
    services.plugin_dir = config.daemon.plugin_dir;
    services.log = sink_log();
    services.http = sink_http();
    return services;
}

Result<std::unique_ptr<sink::SinkHost>> start_sinks(const config::Config& config, store::Store& log,
                                                    sink::CursorStore& cursors) {
    if (config.sinks.empty()) return std::unique_ptr<sink::SinkHost>();
    auto host = sink::SinkHost::start(sink_specs(config.sinks), host_services(config), cursors);
    if (!host) return std::unexpected(host.error());
    // Owed alerts go first and in order: a sink ignores an offer below one it already has.
    constexpr std::size_t kBatch = 1000;
    for (std::int64_t after = (*host)->lowest_cursor();;) {
        auto batch = log.alerts_after(after, "", kBatch);
        if (!batch) return std::unexpected(batch.error());
        for (const auto& a : *batch)
            if (for_sinks(a.topic)) (*host)->offer({a.seq, a.topic, a.envelope});
        if (batch->size() < kBatch) break;
        // A long backlog stays in the database, not in memory: wait until the sinks drained
        // most of what they hold (start-up is not READY yet, so waiting here delays nothing).
        while (!(*host)->wait_for_room(2 * kBatch, std::chrono::seconds(5)))
            spdlog::info("sink: delivering the backlog lowest_cursor={}", (*host)->lowest_cursor());
        after = batch->back().seq;
    }
    return std::move(*host);
}

}  // namespace ww::app
