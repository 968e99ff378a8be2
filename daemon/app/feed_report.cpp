#include "app/feed_report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/duration.h"
#include "core/time.h"

namespace ww::app {
namespace {

std::string when(const std::optional<SysSeconds>& t) { return t ? format_rfc3339(*t) : ""; }

}  // namespace

std::string feeds_json(const std::vector<store::FeedState>& feeds) {
    auto out = nlohmann::json::array();
    for (const auto& f : feeds) {
        out.push_back({
            {"id", f.id},
            {"config_url", f.config_url},
            {"url", f.url},
            {"status", f.status},
            {"last_success", when(f.last_success_at)},
            {"last_attempt", when(f.last_attempt_at)},
            {"last_error", f.last_error},
            {"last_error_kind", f.last_error_kind},
            {"error_streak", f.error_streak},
            {"next_check", when(f.next_check_at)},
            {"learned_interval_s", f.learned_interval_s},
            {"items_seen", f.items_seen},
        });
    }
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string feeds_table(const std::vector<store::FeedState>& feeds) {
    std::string out = fmt::format("{:<6} {:<20} {:<20} {:>6} {:>8} {:>8}  {}\n", "STATUS", "LAST SUCCESS",
                                  "NEXT CHECK", "ERRORS", "INTERVAL", "SEEN", "URL / LAST ERROR");
    for (const auto& f : feeds) {
        const auto interval = f.learned_interval_s > 0
                                  ? format_duration(std::chrono::seconds(f.learned_interval_s))
                                  : std::string("-");
        out += fmt::format("{:<6} {:<20} {:<20} {:>6} {:>8} {:>8}  {}\n", f.status,
                           when(f.last_success_at), when(f.next_check_at), f.error_streak, interval,
                           f.items_seen, f.url);
        if (f.url != f.config_url) out += fmt::format("{:>75}  (configured as {})\n", "", f.config_url);
        if (!f.last_error.empty())
            out += fmt::format("{:>75}  {}: {}\n", "", f.last_error_kind, f.last_error);
    }
    return out;
}

}  // namespace ww::app
