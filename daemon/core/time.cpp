#include "core/time.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace ww {

std::string format_rfc3339(SysSeconds t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02lldZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                  long(hms.minutes().count()), static_cast<long long>(hms.seconds().count()));
    return buf;
}

std::optional<SysSeconds> parse_rfc3339(std::string_view s) {
    int y, mo, d, h = 0, mi = 0, sec = 0;
    auto digits = [&](std::size_t pos, std::size_t n, int& out) {
        if (pos + n > s.size()) return false;
        out = 0;
        for (std::size_t i = pos; i < pos + n; ++i) {
            if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
            out = out * 10 + (s[i] - '0');
        }
        return true;
    };
    if (!digits(0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' ||
        !digits(8, 2, d))
        return std::nullopt;
    std::size_t pos = 10;
    if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
        if (!digits(pos + 1, 2, h) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !digits(pos + 4, 2, mi))
            return std::nullopt;
        pos += 6;
        if (pos < s.size() && s[pos] == ':') {
            if (!digits(pos + 1, 2, sec)) return std::nullopt;
            pos += 3;
        }
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
        }
    }
    int offset_minutes = 0;
    if (pos < s.size()) {
        if (s[pos] == 'Z' || s[pos] == 'z') {
            ++pos;
        } else if (s[pos] == '+' || s[pos] == '-') {
            const int sign = s[pos] == '-' ? -1 : 1;
            int oh, om = 0;
            if (!digits(pos + 1, 2, oh)) return std::nullopt;
            pos += 3;
            if (pos < s.size() && s[pos] == ':') ++pos;
            if (pos < s.size()) {
                if (!digits(pos, 2, om)) return std::nullopt;
                pos += 2;
            }
            offset_minutes = sign * (oh * 60 + om);
        }
    }
    if (pos != s.size()) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month(unsigned(mo)),
                                          std::chrono::day(unsigned(d))};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    return SysSeconds{std::chrono::sys_days{ymd}} + std::chrono::hours(h) +
           std::chrono::minutes(mi - offset_minutes) + std::chrono::seconds(std::min(sec, 59));
}

SysSeconds policy_now() {
    // Read once: production never sets it, and a test sets it before starting the process.
    static const char* const file = std::getenv(kClockFileVariable);
    if (file && *file) {
        std::ifstream in(file);
        long long unix_seconds = 0;
        if (in >> unix_seconds) return SysSeconds{std::chrono::seconds{unix_seconds}};
    }
    return now_seconds();
}

}  // namespace ww
