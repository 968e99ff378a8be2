#include "sink/sink_plugin.h"

#include <cstring>
#include <vector>

#include "sink/alert_view.h"
#include "sink/render.h"
#include "sink/retry_policy.h"

namespace ww::sink {

namespace {

std::string_view sv(ww_str s) { return s.data ? std::string_view(s.data, s.size) : std::string_view(); }

LogLevel level_of(int32_t l) {
    switch (l) {
        case WW_LOG_DEBUG: return LogLevel::debug;
        case WW_LOG_INFO: return LogLevel::info;
        case WW_LOG_WARN: return LogLevel::warn;
        default: return LogLevel::error;
    }
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower((unsigned char)a[i]) != std::tolower((unsigned char)b[i])) return false;
    return true;
}

}  // namespace

SinkPlugin::SinkPlugin(std::shared_ptr<const PluginLibrary> library, const ResolvedSink& sink, Services services)
    : library_(std::move(library)), name_(sink.name), services_(std::move(services)), timeout_(sink.policy.timeout) {
    table_.struct_size = sizeof(ww_host_services);
    table_.host = this;
    table_.abi_version = library_->abi_version();
    table_.sink_name = to_ww_str(name_);
    table_.log = &SinkPlugin::log_cb;
    table_.add_secret = &SinkPlugin::add_secret_cb;
    table_.http_request = &SinkPlugin::http_cb;
    table_.render = &SinkPlugin::render_cb;
}

Result<std::unique_ptr<SinkPlugin>> SinkPlugin::create(std::shared_ptr<const PluginLibrary> library,
                                                       const ResolvedSink& sink, Services services) {
    std::unique_ptr<SinkPlugin> p(new SinkPlugin(std::move(library), sink, std::move(services)));
    for (const auto& s : sink.secrets) p->services_.redactor->add(s);
    std::vector<ww_option> options;
    for (const auto& [k, v] : sink.plugin_options) options.push_back({to_ww_str(k), to_ww_str(v)});
    ww_plugin_instance out{};
    out.struct_size = sizeof(out);
    char error[512] = {};
    const int32_t rc = p->library_->init()(&p->table_, options.data(), options.size(), &out, error, sizeof(error));
    error[sizeof(error) - 1] = '\0';
    if (rc != 0 || !out.deliver) {
        if (rc == 0 && out.instance) p->library_->cleanup()(out.instance);
        return fail("plugin", "sink: plugin " + p->library_->file().string() + " rejected sink=" + sink.name +
                                  ": " + p->services_.redactor->apply(rc != 0 ? error : "no deliver function"));
    }
    p->instance_ = out.instance;
    p->deliver_ = out.deliver;
    return p;
}

SinkPlugin::~SinkPlugin() {
    if (deliver_) library_->cleanup()(instance_);
}

void SinkPlugin::log(LogLevel level, std::string_view message) const {
    if (services_.log) services_.log(level, "sink=" + name_ + " " + services_.redactor->apply(message));
}

Delivery SinkPlugin::deliver(const OfferedAlert& offered) {
    auto view = make_alert_view(offered);
    if (!view) return {Delivery::Outcome::permanent, std::nullopt, view.error().message};
    ww_delivery result{};
    result.struct_size = sizeof(result);
    result.retry_after_ms = -1;
    deliver_(instance_, &(*view)->c, &result);
    result.message[sizeof(result.message) - 1] = '\0';
    Delivery d;
    d.message = services_.redactor->apply(result.message);
    switch (result.outcome) {
        case WW_DELIVERED: d.outcome = Delivery::Outcome::delivered; break;
        case WW_RETRY:
            d.outcome = Delivery::Outcome::retry;
            if (result.retry_after_ms >= 0) d.retry_after = std::chrono::milliseconds{result.retry_after_ms};
            break;
        default:
            d.outcome = Delivery::Outcome::permanent;
            if (d.message.empty()) d.message = "the plugin gave no reason";
    }
    return d;
}

void SinkPlugin::log_cb(void* host, int32_t level, ww_str message) {
    try {
        static_cast<SinkPlugin*>(host)->log(level_of(level), sv(message));
    } catch (...) {
        // A log line is never worth unwinding through C frames.
    }
}

void SinkPlugin::add_secret_cb(void* host, ww_str secret) {
    try {
        static_cast<SinkPlugin*>(host)->services_.redactor->add(sv(secret));
    } catch (...) {
    }
}

int32_t SinkPlugin::http_cb(void* host, const ww_http_request* req, ww_http_response_fn on_response, void* user) {
    auto* self = static_cast<SinkPlugin*>(host);
    try {
        if (!req || !on_response || sv(req->url).empty()) return -1;
        HttpRequest r;
        r.method = sv(req->method).empty() ? "POST" : std::string(sv(req->method));
        r.url = std::string(sv(req->url));
        r.body = std::string(sv(req->body));
        for (std::size_t i = 0; i < req->headers_count; ++i)
            r.headers.emplace_back(std::string(sv(req->headers[i].name)), std::string(sv(req->headers[i].value)));
        r.timeout = req->timeout_ms > 0 ? std::chrono::milliseconds{req->timeout_ms} : self->timeout_;
        auto result = self->services_.http ? self->services_.http(r)
                                           : Result<HttpResponse>(fail("http", "sink: the host offers no HTTP"));
        ww_http_response out{};
        out.struct_size = sizeof(out);
        out.retry_after_ms = -1;
        std::string error;
        std::vector<ww_http_header> headers;
        if (!result) {
            error = self->services_.redactor->apply(result.error().message);
            out.error = to_ww_str(error);
        } else {
            out.status = result->status;
            out.body = to_ww_str(result->body);
            for (const auto& [k, v] : result->headers) {
                headers.push_back({to_ww_str(k), to_ww_str(v)});
                if (iequals(k, "Retry-After"))
                    if (auto ra = parse_retry_after(v, self->services_.clock->system_now()))
                        out.retry_after_ms = ra->count();
            }
            out.headers = headers.data();
            out.headers_count = headers.size();
        }
        on_response(user, &out);
        return 0;
    } catch (const std::exception& e) {
        self->log(LogLevel::error, std::string("http request failed inside the host: ") + e.what());
        return -1;
    }
}

int32_t SinkPlugin::render_cb(void* host, const ww_render_request* req, const ww_alert* alert,
                              ww_text_fn on_text, void* user) {
    auto* self = static_cast<SinkPlugin*>(host);
    try {
        if (!req || !alert || !on_text) return -1;
        const Escape escape = req->escape >= WW_ESCAPE_NONE && req->escape <= WW_ESCAPE_MARKDOWN
                                  ? static_cast<Escape>(req->escape)
                                  : Escape::none;
        auto text = render_alert(sv(req->template_text), escape, req->max_length,
                                 sv(req->ellipsis), *alert);
        if (!text) {
            self->log(LogLevel::error, text.error().message);
            return -1;
        }
        on_text(user, to_ww_str(*text));
        return 0;
    } catch (const std::exception& e) {
        self->log(LogLevel::error, std::string("template rendering failed: ") + e.what());
        return -1;
    }
}

}  // namespace ww::sink
