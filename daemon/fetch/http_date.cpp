#include "fetch/http_date.h"

#include <array>
#include <cctype>
#include <charconv>

namespace ww::fetch {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

// Splits on spaces, commas and hyphens outside the time; the time keeps its colons.
std::array<std::string_view, 8> tokens_of(std::string_view s, std::size_t& count) {
    std::array<std::string_view, 8> out{};
    count = 0;
    std::size_t i = 0;
    while (i < s.size() && count < out.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '-' || s[i] == '\t')) ++i;
        const std::size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != ',' && s[i] != '-' && s[i] != '\t') ++i;
        if (i > start) out[count++] = s.substr(start, i - start);
    }
    return out;
}

std::optional<int> number(std::string_view s) {
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<unsigned> month_of(std::string_view s) {
    if (s.size() != 3) return std::nullopt;
    for (unsigned i = 0; i < kMonths.size(); ++i) {
        bool same = true;
        for (int k = 0; k < 3; ++k)
            same = same && std::tolower(static_cast<unsigned char>(s[k])) == kMonths[i][k];
        if (same) return i + 1;
    }
    return std::nullopt;
}

std::optional<std::chrono::seconds> time_of(std::string_view s) {
    if (s.size() != 8 || s[2] != ':' || s[5] != ':') return std::nullopt;
    auto h = number(s.substr(0, 2)), m = number(s.substr(3, 2)), sec = number(s.substr(6, 2));
    if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 60) return std::nullopt;
    return std::chrono::hours(*h) + std::chrono::minutes(*m) + std::chrono::seconds(*sec);
}

std::optional<SysSeconds> assemble(int year, unsigned month, int day, std::chrono::seconds t) {
    const std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                          std::chrono::day(static_cast<unsigned>(day))};
    if (!ymd.ok()) return std::nullopt;
    return std::chrono::sys_days(ymd) + t;
}

}  // namespace

std::optional<SysSeconds> parse_http_date(std::string_view text) {
    std::size_t n = 0;
    const auto tok = tokens_of(text, n);
    // IMF-fixdate: Sun 06 Nov 1994 08:49:37 GMT; RFC 850: Sunday 06 Nov 94 08:49:37 GMT
    if (n == 6) {
        auto day = number(tok[1]);
        auto month = month_of(tok[2]);
        auto year = number(tok[3]);
        auto t = time_of(tok[4]);
        if (!day || !month || !year || !t || (tok[5] != "GMT" && tok[5] != "UTC"))
            return std::nullopt;
        // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
        if (tok[3].size() == 2) *year += *year < 70 ? 2000 : 1900;
        return assemble(*year, *month, *day, *t);
    }
    // asctime: Sun Nov  6 08:49:37 1994
    if (n == 5) {
        auto month = month_of(tok[1]);
        auto day = number(tok[2]);
        auto t = time_of(tok[3]);
        auto year = number(tok[4]);
        if (!day || !month || !year || !t) return std::nullopt;
        return assemble(*year, *month, *day, *t);
    }
    return std::nullopt;
}

}  // namespace ww::fetch
