#include "core/delivery.h"

#include <charconv>
#include <vector>

namespace ww {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

std::vector<std::string_view> words(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ') ++i;
        const std::size_t start = i;
        while (i < s.size() && s[i] != ' ') ++i;
        if (i > start) out.push_back(s.substr(start, i - start));
    }
    return out;
}

// "HH:MM" -> minutes after midnight.
std::optional<int> clock_minutes(std::string_view s) {
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    int h = 0, m = 0;
    if (std::from_chars(s.data(), s.data() + 2, h).ptr != s.data() + 2) return std::nullopt;
    if (std::from_chars(s.data() + 3, s.data() + 5, m).ptr != s.data() + 5) return std::nullopt;
    if (h < 0 || h > 23 || m < 0 || m > 59) return std::nullopt;
    return h * 60 + m;
}

Result<std::string> zone_word(const std::vector<std::string_view>& w, std::size_t at, std::string_view what) {
    if (w.size() <= at) return std::string("UTC");
    if (auto z = load_zone(w[at]); !z) return fail("config", std::string(what) + ": " + z.error().message);
    return std::string(w[at]);
}

// The first instant after `now` whose wall time in the zone is `minute_of_day`.
SysSeconds next_wall_time(const ZoneRules& zone, SysSeconds now, int minute_of_day) {
    const auto local_day = std::chrono::floor<days>(to_local(zone, now));
    for (int d = 0; d < 3; ++d) {
        const SysSeconds t = to_utc(zone, local_day + days{d} + minutes{minute_of_day});
        if (t > now) return t;
    }
    return now + days{1};  // unreachable with real zone data
}

}  // namespace

Result<DigestSpec> parse_digest(std::string_view text) {
    const auto w = words(text);
    const auto bad = fail("config", "digest must be \"hourly\" or \"daily HH:MM [time zone]\", not \"" +
                                        std::string(text) + "\"");
    if (w.size() == 1 && w[0] == "hourly") return DigestSpec{};
    if (w.empty() || w[0] != "daily" || w.size() < 2 || w.size() > 3) return bad;
    const auto at = clock_minutes(w[1]);
    if (!at) return bad;
    auto zone = zone_word(w, 2, "digest");
    if (!zone) return std::unexpected(zone.error());
    return DigestSpec{DigestSpec::Every::daily, *at / 60, *at % 60, std::move(*zone)};
}

SysSeconds next_digest_at(const DigestSpec& spec, const ZoneRules& zone, SysSeconds now) {
    if (spec.every == DigestSpec::Every::hourly) return std::chrono::floor<hours>(now) + hours{1};
    return next_wall_time(zone, now, spec.hour * 60 + spec.minute);
}

Result<QuietHours> parse_quiet_hours(std::string_view text) {
    const auto w = words(text);
    const auto bad = fail("config", "quiet_hours must be \"HH:MM-HH:MM [time zone]\", not \"" +
                                        std::string(text) + "\"");
    if (w.empty() || w.size() > 2 || w[0].size() != 11 || w[0][5] != '-') return bad;
    const auto start = clock_minutes(w[0].substr(0, 5));
    const auto end = clock_minutes(w[0].substr(6));
    if (!start || !end) return bad;
    if (*start == *end) return fail("config", "quiet_hours: start and end are the same time");
    auto zone = zone_word(w, 1, "quiet_hours");
    if (!zone) return std::unexpected(zone.error());
    return QuietHours{*start, *end, std::move(*zone)};
}

std::optional<SysSeconds> quiet_until(const QuietHours& q, const ZoneRules& zone, SysSeconds now) {
    const auto local = to_local(zone, now);
    const int minute = static_cast<int>(
        std::chrono::duration_cast<minutes>(local - std::chrono::floor<days>(local)).count());
    const bool quiet = q.start_minute < q.end_minute ? (minute >= q.start_minute && minute < q.end_minute)
                                                     : (minute >= q.start_minute || minute < q.end_minute);
    if (!quiet) return std::nullopt;
    return next_wall_time(zone, now, q.end_minute);
}

Result<Priority> parse_priority(std::string_view text) {
    if (text == "normal") return Priority::normal;
    if (text == "high") return Priority::high;
    return fail("config", "priority must be \"normal\" or \"high\", not \"" + std::string(text) + "\"");
}

}  // namespace ww
