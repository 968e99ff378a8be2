#include "app/logging.h"

#include <cstdlib>
#include <memory>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>

namespace ww::app {
namespace {

// systemd sets JOURNAL_STREAM for services whose stderr goes to the journal.
bool under_journal() { return std::getenv("JOURNAL_STREAM") != nullptr; }

}  // namespace

bool set_log_level(std::string_view level) {
    const auto lvl = spdlog::level::from_str(std::string(level));
    if (lvl == spdlog::level::off && level != "off") return false;
    spdlog::set_level(lvl);
    return true;
}

bool init_logging(std::string_view level) {
    std::shared_ptr<spdlog::logger> logger;
    if (under_journal()) {
        logger = std::make_shared<spdlog::logger>(
            "wirewatchd", std::make_shared<spdlog::sinks::systemd_sink_mt>("wirewatchd"));
        logger->set_pattern("%v");  // the journal records time, priority and unit itself
    } else {
        logger = std::make_shared<spdlog::logger>(
            "wirewatchd", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
        logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
    }
    spdlog::set_default_logger(logger);
    spdlog::flush_on(spdlog::level::info);
    return set_log_level(level);
}

}  // namespace ww::app
