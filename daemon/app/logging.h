#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ww::app {

// Journal (with priorities and structured fields) when started by systemd, a coloured console
// otherwise. `level` is one of spdlog's level names; returns false when it is not.
bool init_logging(std::string_view level);
bool set_log_level(std::string_view level);

// The structured fields of a log line written as `module: outcome key=value key="a b"`:
// WW_MODULE=module and WW_<KEY>=value for each pair (keys upper-cased, other characters than
// [A-Z0-9_] dropped), so that `journalctl WW_FEED="BBC World"` finds a feed's lines. Pure.
std::vector<std::pair<std::string, std::string>> journal_fields(std::string_view line);

// Log injection: a logged value from outside (a request path, hub.mode, a service's error
// page, a feed title) must not start a line of its own or drive the terminal. CR, LF and TAB
// become \r \n \t, other C0 controls and DEL \xHH, C1 controls (U+0080..U+009F) \u00HH;
// everything else (valid or not) is kept. Every log line goes through it: the sinks that
// init_logging() installs escape the whole message, so a new log line needs nothing. Pure.
std::string escape_log_text(std::string_view text);

}  // namespace ww::app
