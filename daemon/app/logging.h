#pragma once

#include <string_view>

namespace ww::app {

// Journal (with priorities and structured fields) when started by systemd, a coloured console
// otherwise. `level` is one of spdlog's level names; returns false when it is not.
bool init_logging(std::string_view level);
bool set_log_level(std::string_view level);

}  // namespace ww::app
