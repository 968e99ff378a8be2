#include "schedule/skip_window.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace ww::schedule {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"sunday",   "monday", "tuesday", "wednesday",
                                                   "thursday", "friday", "saturday"};

int day_index(const std::string& name) {
    std::string l;
    for (char c : name) {
        if (!std::isspace(static_cast<unsigned char>(c)))
            l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    for (int i = 0; i < 7; ++i)
        if (kDays[i] == l) return i;
    return -1;
}

}  // namespace

SysSeconds skip_to_allowed(SysSeconds t, const std::vector<int>& skip_hours,
                           const std::vector<std::string>& skip_days) {
    std::array<bool, 24> hour_skipped{};
    std::array<bool, 7> day_skipped{};
    for (int h : skip_hours)
        if (h >= 0 && h < 24) hour_skipped[h] = true;
    for (const auto& d : skip_days)
        if (int i = day_index(d); i >= 0) day_skipped[i] = true;
    const bool all_hours = std::all_of(hour_skipped.begin(), hour_skipped.end(), [](bool b) { return b; });
    const bool all_days = std::all_of(day_skipped.begin(), day_skipped.end(), [](bool b) { return b; });
    if (all_hours) hour_skipped.fill(false);
    if (all_days) day_skipped.fill(false);

    // At most a week of hours to look through: some hour of some day is allowed.
    for (int step = 0; step < 24 * 8; ++step) {
        const auto day = std::chrono::floor<std::chrono::days>(t);
        const auto hour = std::chrono::floor<std::chrono::hours>(t - day).count();
        const unsigned weekday = std::chrono::weekday(day).c_encoding();  // 0 = Sunday
        if (!day_skipped[weekday] && !hour_skipped[hour]) return t;
        t = std::chrono::floor<std::chrono::hours>(t) + std::chrono::hours(1);
    }
    return t;
}

}  // namespace ww::schedule
