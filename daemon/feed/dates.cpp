#include "feed/dates.h"

#include <array>
#include <chrono>

namespace ww::feed {
namespace {

using namespace std::chrono;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
    while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
    return s;
}

std::optional<int> month_of(std::string_view w) {
    // English names and the common abbreviations, plus "Sept"; a prefix of 3 letters decides.
    static constexpr std::array<std::string_view, 12> kNames = {
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december"};
    if (w.size() < 3) return std::nullopt;
    for (int m = 0; m < 12; ++m) {
        const auto name = kNames[static_cast<std::size_t>(m)];
        if (w.size() > name.size()) continue;
        bool ok = true;
        for (std::size_t i = 0; i < w.size() && ok; ++i) ok = lower(w[i]) == name[i];
        if (ok) return m + 1;
    }
    return std::nullopt;
}

bool is_weekday(std::string_view w) {
    static constexpr std::array<std::string_view, 7> kDays = {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    if (w.size() < 2) return false;
    for (const auto d : kDays) {
        if (w.size() > d.size()) continue;
        bool ok = true;
        for (std::size_t i = 0; i < w.size() && ok; ++i) ok = lower(w[i]) == d[i];
        if (ok) return true;
    }
    return false;
}

struct Fields {
    int year = -1, month = -1, day = -1, hour = 0, minute = 0, second = 0;
    int offset = 0;  // minutes east of UTC
};

std::optional<SysSeconds> build(const Fields& f) {
    if (f.year < 0 || f.month < 1 || f.day < 1) return std::nullopt;
    const year_month_day ymd{year{f.year}, month(static_cast<unsigned>(f.month)),
                             day(static_cast<unsigned>(f.day))};
    if (!ymd.ok() || f.hour > 24 || f.minute > 59 || f.second > 60) return std::nullopt;
    if (f.hour == 24 && (f.minute || f.second)) return std::nullopt;
    const auto t = SysSeconds{sys_days{ymd}} + hours(f.hour) + minutes(f.minute - f.offset) +
                   seconds(f.second == 60 ? 59 : f.second);
    // RFC 3339 writes years 0001-9999 only: "0000-01-01T00:30+01:00" falls in year -1 and
    // "9999-12-31T23:30-01:00" in year 10000, dates no feed means and no reader could re-read.
    static constexpr auto kFirst = sys_days{year{1} / January / 1};
    static constexpr auto kEnd = sys_days{year{10000} / January / 1};
    if (t < kFirst || t >= kEnd) return std::nullopt;
    return t;
}

// Reads n digits at s[pos]; advances pos.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (!is_digit(s[i])) return false;
        out = out * 10 + (s[i] - '0');
    }
    pos += n;
    return true;
}

// "+05:30", "-0800", "+02", "Z", "UTC", "GMT+2": offset in minutes; nullopt when unreadable.
std::optional<int> read_zone(std::string_view z) {
    z = trim(z);
    if (z.empty()) return 0;
    if (z.front() == '(') return 0;  // "(Coordinated Universal Time)" style comments
    if (is_alpha(z.front())) {
        std::size_t k = 0;
        while (k < z.size() && is_alpha(z[k])) ++k;
        const auto name = z.substr(0, k);
        auto base = zone_offset_minutes(name);
        if (!base) return std::nullopt;
        auto rest = trim(z.substr(k));
        if (rest.empty() || rest.front() == '(') return base;
        const auto extra = read_zone(rest);  // "GMT+0200"
        if (!extra) return std::nullopt;
        return *base + *extra;
    }
    if (z.front() != '+' && z.front() != '-') return std::nullopt;
    const int sign = z.front() == '-' ? -1 : 1;
    std::size_t pos = 1;
    int h = 0, m = 0;
    std::size_t nd = 0;
    while (pos + nd < z.size() && is_digit(z[pos + nd])) ++nd;
    if (nd == 4) {
        digits(z, pos, 2, h);
        digits(z, pos, 2, m);
    } else if (nd == 2 || nd == 1) {
        digits(z, pos, nd, h);
        if (pos < z.size() && z[pos] == ':') {
            ++pos;
            if (!digits(z, pos, 2, m)) return std::nullopt;
        }
    } else {
        return std::nullopt;
    }
    auto rest = trim(z.substr(pos));
    if (!rest.empty() && rest.front() != '(') return std::nullopt;
    if (h > 14 || m > 59) return std::nullopt;
    return sign * (h * 60 + m);
}

// hh:mm[:ss[.frac]] at s[pos]
bool read_time(std::string_view s, std::size_t& pos, Fields& f) {
    std::size_t hd = 0;
    while (pos + hd < s.size() && is_digit(s[pos + hd])) ++hd;
    if (hd < 1 || hd > 2 || !digits(s, pos, hd, f.hour)) return false;
    if (pos >= s.size() || s[pos] != ':') return false;
    ++pos;
    if (!digits(s, pos, 2, f.minute)) return false;
    if (pos < s.size() && s[pos] == ':') {
        ++pos;
        if (!digits(s, pos, 2, f.second)) return false;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            while (pos < s.size() && is_digit(s[pos])) ++pos;
        }
    }
    return true;
}

// ISO 8601 / RFC 3339 / W3C-DTF: YYYY[-MM[-DD[(T| )hh:mm[:ss[.f]][zone]]]] and YYYYMMDD[Thhmmss].
std::optional<SysSeconds> parse_iso(std::string_view s) {
    Fields f;
    std::size_t pos = 0;
    if (!digits(s, pos, 4, f.year)) return std::nullopt;
    f.month = f.day = 1;
    if (pos == s.size()) return build(f);
    if (s[pos] == '-') {
        ++pos;
        if (!digits(s, pos, 2, f.month)) return std::nullopt;
        if (pos < s.size() && s[pos] == '-') {
            ++pos;
            std::size_t nd = 0;
            while (pos + nd < s.size() && is_digit(s[pos + nd])) ++nd;
            if (nd != 2 && nd != 1) return std::nullopt;
            digits(s, pos, nd, f.day);
        }
    } else if (is_digit(s[pos])) {
        if (!digits(s, pos, 2, f.month) || !digits(s, pos, 2, f.day)) return std::nullopt;
    }
    if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
        ++pos;
        while (pos < s.size() && s[pos] == ' ') ++pos;
        if (pos < s.size() && is_digit(s[pos])) {
            // Basic format "T150405" has no colons.
            std::size_t nd = 0;
            while (pos + nd < s.size() && is_digit(s[pos + nd])) ++nd;
            if (nd == 4 || nd == 6) {
                digits(s, pos, 2, f.hour);
                digits(s, pos, 2, f.minute);
                if (nd == 6) digits(s, pos, 2, f.second);
            } else if (!read_time(s, pos, f)) {
                return std::nullopt;
            }
        }
    }
    const auto zone = read_zone(s.substr(pos));
    if (!zone) return std::nullopt;
    f.offset = *zone;
    return build(f);
}

// RFC 822 and its relatives, read as tokens so that order and punctuation may vary:
// "Mon, 2 Jan 2006 15:04:05 -0700", "2 Jan 06 15:04 EST", "Mon Jan  2 15:04:05 2006",
// "January 2, 2006 3:04 PM".
std::optional<SysSeconds> parse_rfc822(std::string_view s) {
    Fields f;
    bool have_time = false, pm = false, am = false;
    std::optional<int> zone;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const char c = s[pos];
        if (c == ' ' || c == ',' || c == '\t' || c == '.' || c == '/') {
            ++pos;
            continue;
        }
        if (c == '(') break;  // trailing comment
        if (is_alpha(c)) {
            std::size_t k = pos;
            while (k < s.size() && is_alpha(s[k])) ++k;
            const auto word = s.substr(pos, k - pos);
            if (auto m = month_of(word); m && f.month < 0) {
                f.month = *m;
            } else if (is_weekday(word)) {
                // The weekday carries no information we trust (it is often wrong).
            } else if (iequals(word, "pm")) {
                pm = true;
            } else if (iequals(word, "am")) {
                am = true;
            } else if (!zone && zone_offset_minutes(word)) {
                std::size_t e = k;
                // "GMT+0200": the numeric part belongs to the zone.
                if (e < s.size() && (s[e] == '+' || s[e] == '-')) {
                    ++e;
                    while (e < s.size() && (is_digit(s[e]) || s[e] == ':')) ++e;
                }
                zone = read_zone(s.substr(pos, e - pos));
                if (!zone) return std::nullopt;
                k = e;
            } else if (!(word.size() == 1 && (word == "T" || word == "t"))) {
                return std::nullopt;
            }
            pos = k;
            continue;
        }
        if ((c == '+' || c == '-') && pos + 1 < s.size() && is_digit(s[pos + 1])) {
            std::size_t e = pos + 1;
            while (e < s.size() && (is_digit(s[e]) || s[e] == ':')) ++e;
            if (zone) return std::nullopt;
            zone = read_zone(s.substr(pos, e - pos));
            if (!zone) return std::nullopt;
            pos = e;
            continue;
        }
        if (is_digit(c)) {
            std::size_t k = pos;
            while (k < s.size() && is_digit(s[k])) ++k;
            if (k < s.size() && s[k] == ':') {
                if (have_time || !read_time(s, pos, f)) return std::nullopt;
                have_time = true;
                continue;
            }
            int value = 0;
            const auto nd = k - pos;
            if (nd > 4) return std::nullopt;
            digits(s, pos, nd, value);
            if (nd == 4) {
                if (f.year >= 0) return std::nullopt;
                f.year = value;
            } else if (f.day < 0 && nd <= 2) {
                f.day = value;
            } else if (f.year < 0 && nd <= 2) {
                f.year = value < 50 ? 2000 + value : 1900 + value;
            } else {
                return std::nullopt;
            }
            continue;
        }
        return std::nullopt;
    }
    if (pm && f.hour < 12) f.hour += 12;
    if (am && f.hour == 12) f.hour = 0;
    f.offset = zone.value_or(0);
    return build(f);
}

}  // namespace

std::optional<int> zone_offset_minutes(std::string_view name) {
    struct Zone {
        std::string_view name;
        int minutes;
    };
    // North American names follow RFC 822; elsewhere the names news sites actually print.
    static constexpr Zone kZones[] = {
        {"z", 0},         {"ut", 0},        {"utc", 0},       {"gmt", 0},
        {"est", -300},    {"edt", -240},    {"cst", -360},    {"cdt", -300},
        {"mst", -420},    {"mdt", -360},    {"pst", -480},    {"pdt", -420},
        {"akst", -540},   {"akdt", -480},   {"hst", -600},    {"ast", -240},
        {"adt", -180},    {"nst", -210},    {"ndt", -150},    {"wet", 0},
        {"west", 60},     {"bst", 60},      {"ist", 330},     {"cet", 60},
        {"cest", 120},    {"met", 60},      {"mest", 120},    {"mez", 60},
        {"mesz", 120},    {"eet", 120},     {"eest", 180},    {"msk", 180},
        {"msd", 240},     {"jst", 540},     {"kst", 540},     {"hkt", 480},
        {"sgt", 480},     {"awst", 480},    {"acst", 570},    {"acdt", 630},
        {"aest", 600},    {"aedt", 660},    {"nzst", 720},    {"nzdt", 780},
        {"pht", 480},     {"wib", 420},     {"ict", 420},     {"pkt", 300},
        {"brt", -180},    {"art", -180},    {"sast", 120},    {"cat", 120},
        {"eat", 180},     {"wat", 60},      {"idt", 180},     {"trt", 180},
    };
    if (name.size() > 5) return std::nullopt;
    char buf[6];
    for (std::size_t i = 0; i < name.size(); ++i) buf[i] = lower(name[i]);
    const std::string_view key{buf, name.size()};
    for (const auto& z : kZones)
        if (z.name == key) return z.minutes;
    return std::nullopt;
}

std::optional<SysSeconds> parse_date(std::string_view text) {
    const auto s = trim(text);
    if (s.size() < 4 || s.size() > 80) return std::nullopt;
    // ISO forms start with a four-digit year; everything else goes through the RFC 822 reader.
    if (is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
        (s.size() == 4 || s[4] == '-' || is_digit(s[4])))
        if (auto t = parse_iso(s)) return t;
    return parse_rfc822(s);
}

}  // namespace ww::feed
