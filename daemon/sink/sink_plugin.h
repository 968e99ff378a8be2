#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <wirewatch/plugin.h>

#include "core/error.h"
#include "sink/clock.h"
#include "sink/plugin_library.h"
#include "sink/redactor.h"
#include "sink/sink_options.h"
#include "sink/types.h"

namespace ww::sink {

// The outcome of one delivery attempt, as RunningSink sees it.
struct Delivery {
    enum class Outcome { delivered, retry, permanent };
    Outcome outcome = Outcome::delivered;
    std::optional<std::chrono::milliseconds> retry_after;  // retry: the service's own wait
    std::string message;                                   // redacted
};

// One attempt at delivering one alert. RunningSink talks to this, so its policy is tested
// with scripted deliverers and no plugin at all.
class Deliverer {
public:
    virtual ~Deliverer() = default;
    virtual Delivery deliver(const OfferedAlert& alert) = 0;
};

// A plugin instance and the host services table it was given. Not movable: the plugin holds
// a pointer to services_, whose `host` field points back here.
class SinkPlugin final : public Deliverer {
public:
    struct Services {
        LogFn log;
        HttpFn http;
        std::shared_ptr<Clock> clock;
        std::shared_ptr<Redactor> redactor;
    };
    static Result<std::unique_ptr<SinkPlugin>> create(std::shared_ptr<const PluginLibrary> library,
                                                      const ResolvedSink& sink, Services services);
    SinkPlugin(const SinkPlugin&) = delete;
    SinkPlugin& operator=(const SinkPlugin&) = delete;
    ~SinkPlugin() override;  // ww_plugin_cleanup, before the library can be closed

    Delivery deliver(const OfferedAlert& alert) override;

private:
    SinkPlugin(std::shared_ptr<const PluginLibrary> library, const ResolvedSink& sink, Services services);

    static void log_cb(void* host, int32_t level, ww_str message);
    static void add_secret_cb(void* host, ww_str secret);
    static int32_t http_cb(void* host, const ww_http_request* request, ww_http_response_fn on_response, void* user);
    static int32_t render_cb(void* host, const ww_render_request* request, const ww_alert* alert,
                             ww_text_fn on_text, void* user);

    void log(LogLevel level, std::string_view message) const;

    std::shared_ptr<const PluginLibrary> library_;
    std::string name_;
    Services services_;
    std::chrono::milliseconds timeout_;
    ww_host_services table_{};
    void* instance_ = nullptr;
    ww_deliver_fn deliver_ = nullptr;
};

}  // namespace ww::sink
