#include "sink/retry_policy.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>

#include "core/duration.h"

namespace ww::sink {

namespace {

constexpr milliseconds kMaxRetryAfter{24 * 3600 * 1000};

std::optional<std::int64_t> to_int(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

std::optional<SysSeconds> parse_imf_fixdate(std::string_view text) {
    // "Sun, 06 Nov 1994 08:49:37 GMT": the only form RFC 9110 asks senders to produce.
    static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::string s(text);
    char wday[4] = {}, mon[4] = {}, zone[4] = {};
    int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
    if (std::sscanf(s.c_str(), "%3s, %d %3s %d %d:%d:%d %3s", wday, &day, mon, &year, &hh, &mm, &ss,
                    zone) != 8 ||
        std::strcmp(zone, "GMT") != 0)
        return std::nullopt;
    const auto it = std::find_if(months.begin(), months.end(),
                                 [&](const char* m) { return std::strcmp(m, mon) == 0; });
    if (it == months.end()) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{year},
                                          std::chrono::month{unsigned(it - months.begin() + 1)},
                                          std::chrono::day{unsigned(day)}};
    if (!ymd.ok() || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
    return std::chrono::sys_days{ymd} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
           std::chrono::seconds{ss};
}

}  // namespace

milliseconds backoff_delay(const RetryPolicy& p, std::uint32_t retry, double random01) {
    const int shift = int(std::min<std::uint32_t>(retry == 0 ? 0 : retry - 1, 30));
    const double base = std::min(double(p.initial.count()) * double(1ull << shift),
                                 double(p.max.count()));
    const double jitter = std::clamp(p.jitter, 0.0, 1.0) * std::clamp(random01, 0.0, 1.0);
    return milliseconds{std::int64_t(base * (1.0 - jitter))};
}

milliseconds retry_delay(const RetryPolicy& p, std::uint32_t retry,
                         std::optional<milliseconds> retry_after, double random01) {
    if (retry_after) return std::clamp(*retry_after, milliseconds{0}, kMaxRetryAfter);
    return backoff_delay(p, retry, random01);
}

std::optional<milliseconds> parse_retry_after(std::string_view value, SysSeconds now) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    if (auto secs = to_int(value)) return milliseconds{std::min<std::int64_t>(*secs, 86'400) * 1000};
    if (auto when = parse_imf_fixdate(value))
        return std::max(milliseconds{0}, std::chrono::duration_cast<milliseconds>(*when - now));
    return std::nullopt;
}

Result<milliseconds> parse_millis(std::string_view text) {
    if (text.size() > 2 && text.ends_with("ms")) {
        if (auto v = to_int(text.substr(0, text.size() - 2))) return milliseconds{*v};
        return fail("config", "sink: \"" + std::string(text) + "\" is not a duration");
    }
    auto d = parse_duration(text);
    if (!d) return fail("config", "sink: \"" + std::string(text) + "\" is not a duration (e.g. 500ms, 2s, 5m)");
    return std::chrono::duration_cast<milliseconds>(*d);
}

}  // namespace ww::sink
