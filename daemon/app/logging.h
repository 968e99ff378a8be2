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

}  // namespace ww::app
