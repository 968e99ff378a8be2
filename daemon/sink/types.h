#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "sink/clock.h"

namespace ww::sink {

using std::chrono::milliseconds;
using Header = std::pair<std::string, std::string>;

enum class LogLevel { debug, info, warn, error };

// The HTTP call the host lends to plugins. The sink module never links curl: the composing code
// (app or cli) passes a function, e.g. one built on fetch/http_post.h.
struct HttpRequest {
    std::string method = "POST";
    std::string url;
    std::vector<Header> headers;
    std::string body;
    milliseconds timeout{10'000};
};

struct HttpResponse {
    int status = 0;
    std::vector<Header> headers;
    std::string body;
};

using HttpFn = std::function<Result<HttpResponse>(const HttpRequest&)>;
// Called from sink threads concurrently: must be thread-safe (spdlog loggers are).
using LogFn = std::function<void(LogLevel, std::string_view)>;

// What the composing code gives the sink module.
struct HostServices {
    std::filesystem::path plugin_dir;  // where <plugin>.so files are looked up
    LogFn log;
    HttpFn http;
    // Where `credential:NAME` values of `*_file` keys are read from; empty: the
    // $CREDENTIALS_DIRECTORY that systemd's LoadCredential= sets.
    std::filesystem::path credentials_dir;
    // Time, sleeping and jitter; nullptr: the real steady clock.
    std::shared_ptr<Clock> clock;
};

// One [[sink]] table (config::SinkConfig carries the same fields).
struct SinkSpec {
    std::string name;
    std::string plugin;                   // empty: taken from an Apprise-style url
    std::string url;                      // optional
    std::vector<std::string> watchlists;  // globs; empty = all
    std::map<std::string, std::string> options;
    std::string where;  // "file:line:column" of the table, for messages
};

// An alert as the publisher or the replay log hands it over.
struct OfferedAlert {
    std::int64_t seq = 0;
    std::string topic;     // "alert.<watchlist>"
    std::string envelope;  // JSON, DESIGN.md section 4
};

}  // namespace ww::sink
