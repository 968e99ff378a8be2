#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "sink/retry_policy.h"
#include "sink/types.h"

namespace ww::sink {

// A [[sink]] table made ready to start: the plugin known, the host's own keys taken out, files
// and credentials read, and every secret listed for redaction.
struct ResolvedSink {
    std::string name;
    std::string plugin;
    std::vector<std::string> watchlists;
    std::vector<std::pair<std::string, std::string>> plugin_options;  // sorted by key
    RetryPolicy policy;
    std::vector<std::string> secrets;
};

// Host keys: retry_initial, retry_max, max_attempts, jitter, min_interval, timeout, quiet_hours.
// `KEY_file = PATH` becomes `KEY = <content of PATH, trailing newline dropped>`; a PATH of the
// form `credential:NAME` is read from `credentials_dir` (systemd's LoadCredential=). The
// values of `*_file` keys and of keys named token/secret/password/access_token/bot_token/url are
// secrets. Errors name the sink and the key, never a secret.
Result<ResolvedSink> resolve_sink(const SinkSpec& spec, const std::filesystem::path& credentials_dir);

}  // namespace ww::sink
