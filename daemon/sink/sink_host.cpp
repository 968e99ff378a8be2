#include "sink/sink_host.h"

#include <algorithm>
#include <set>

#include "sink/sink_options.h"
#include "sink/sink_plugin.h"

namespace ww::sink {

Result<std::unique_ptr<SinkHost>> SinkHost::start(std::vector<SinkSpec> specs, HostServices services,
                                                  CursorStore& cursors) {
    std::unique_ptr<SinkHost> host(new SinkHost());
    if (!services.clock) services.clock = std::make_shared<SteadyClock>();
    std::set<std::string> names;
    for (const auto& spec : specs) {
        if (!names.insert(spec.name).second)
            return fail("config", "sink: two sinks are named \"" + spec.name + "\"");
        auto resolved = resolve_sink(spec, services.credentials_dir);
        if (!resolved) return std::unexpected(resolved.error());
        const auto file = plugin_file(services.plugin_dir, resolved->plugin);
        auto& lib = host->libraries_[file];
        if (!lib) {
            auto opened = PluginLibrary::open(file);
            if (!opened)
                return fail("plugin", opened.error().message + " (sink=" + spec.name +
                                          (spec.where.empty() ? "" : " at " + spec.where) + ")");
            lib = std::make_shared<const PluginLibrary>(std::move(*opened));
        }
        auto redactor = std::make_shared<Redactor>();
        auto plugin = SinkPlugin::create(lib, *resolved, {services.log, services.http, services.clock, redactor});
        if (!plugin) return std::unexpected(plugin.error());
        auto sink = std::make_unique<RunningSink>(resolved->name, resolved->watchlists, resolved->policy,
                                                  std::move(*plugin), cursors, services.clock, services.log);
        if (auto ok = sink->start(); !ok) return std::unexpected(ok.error());
        if (services.log)
            services.log(LogLevel::info, "sink=" + spec.name + " plugin=" + resolved->plugin + " abi=" +
                                             std::to_string(lib->abi_version()) + " cursor=" +
                                             std::to_string(sink->cursor()) + " started");
        host->sinks_.push_back({resolved->plugin, std::move(sink)});
    }
    return host;
}

SinkHost::~SinkHost() { stop(); }

void SinkHost::offer(const OfferedAlert& alert) {
    for (auto& e : sinks_) e.sink->offer(alert);
}

std::int64_t SinkHost::lowest_cursor() const {
    std::int64_t low = -1;
    for (const auto& e : sinks_) low = low < 0 ? e.sink->cursor() : std::min(low, e.sink->cursor());
    return low < 0 ? 0 : low;
}

std::vector<SinkStatus> SinkHost::status() const {
    std::vector<SinkStatus> out;
    for (const auto& e : sinks_) out.push_back({e.sink->name(), e.plugin, e.sink->counters()});
    return out;
}

bool SinkHost::wait_for_room(std::size_t max_queued, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (const auto& e : sinks_) {
        while (e.sink->counters().queued > max_queued) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            // Progress of this sink is what frees room; its cursor moving is that progress.
            e.sink->wait_for_cursor(e.sink->cursor() + 1, left);
        }
    }
    return true;
}

void SinkHost::stop() {
    for (auto& e : sinks_) e.sink->stop();
}

RunningSink* SinkHost::find(std::string_view name) const {
    for (const auto& e : sinks_)
        if (e.sink->name() == name) return e.sink.get();
    return nullptr;
}

}  // namespace ww::sink
