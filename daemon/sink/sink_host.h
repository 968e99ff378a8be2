#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "sink/cursor_store.h"
#include "sink/plugin_library.h"
#include "sink/running_sink.h"
#include "sink/types.h"

namespace ww::sink {

struct SinkStatus {
    std::string name;
    std::string plugin;
    SinkCounters counters;
};

// Every configured sink, started together: the one entry point the daemon and the bridge use.
//
//   auto host = SinkHost::start(specs, services, cursors);   // start-up error: not started
//   host->offer({seq, topic, envelope});                      // each committed alert, in order
//   host->lowest_cursor();                                     // where a replay must start
//   host->stop();                                              // or let it go out of scope
class SinkHost {
public:
    // Resolves each spec, loads each plugin once (dlopen from services.plugin_dir), creates the
    // instances, loads the cursors and starts one thread per sink. Any failure stops what was
    // started and returns an error naming the sink, the file and the versions.
    static Result<std::unique_ptr<SinkHost>> start(std::vector<SinkSpec> specs, HostServices services,
                                                   CursorStore& cursors);
    SinkHost(const SinkHost&) = delete;
    SinkHost& operator=(const SinkHost&) = delete;
    ~SinkHost();

    // Any thread; never blocks on a sink.
    void offer(const OfferedAlert& alert);
    // The smallest cursor over all sinks: every alert above it is still owed to some sink.
    std::int64_t lowest_cursor() const;
    std::vector<SinkStatus> status() const;
    // Backpressure for a feeder that can wait (the bridge, whose replay would otherwise queue
    // the whole log in memory): returns true once no sink has more than `max_queued` alerts
    // waiting, false when `timeout` passed first.
    bool wait_for_room(std::size_t max_queued, std::chrono::milliseconds timeout) const;
    void stop();

    // For tests: the sink by name, or nullptr.
    RunningSink* find(std::string_view name) const;

private:
    SinkHost() = default;

    struct Entry {
        std::string plugin;
        std::unique_ptr<RunningSink> sink;
    };
    // Declared first so that it is destroyed last: instances are cleaned up before dlclose.
    std::map<std::filesystem::path, std::shared_ptr<const PluginLibrary>> libraries_;
    std::vector<Entry> sinks_;
};

}  // namespace ww::sink
