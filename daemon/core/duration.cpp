#include "core/duration.h"

#include <cctype>
#include <cstdint>

namespace ww {

Result<std::chrono::seconds> parse_duration(std::string_view text) {
    if (text.empty()) return fail("config", "empty duration");
    std::int64_t total = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!std::isdigit(static_cast<unsigned char>(text[i])))
            return fail("config", "bad duration \"" + std::string(text) +
                                      "\": expected a number such as 30s, 10m, 1h or 2d");
        std::int64_t n = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            n = n * 10 + (text[i] - '0');
            if (n > 100'000'000) return fail("config", "duration too long: " + std::string(text));
            ++i;
        }
        if (i == text.size())
            return fail("config", "bad duration \"" + std::string(text) +
                                      "\": missing unit (s, m, h or d)");
        std::int64_t unit = 0;
        switch (text[i]) {
            case 's': unit = 1; break;
            case 'm': unit = 60; break;
            case 'h': unit = 3600; break;
            case 'd': unit = 86400; break;
            default:
                return fail("config", "bad duration \"" + std::string(text) +
                                          "\": unknown unit '" + std::string(1, text[i]) +
                                          "' (use s, m, h or d)");
        }
        ++i;
        total += n * unit;
    }
    return std::chrono::seconds(total);
}

std::string format_duration(std::chrono::seconds d) {
    auto s = d.count();
    if (s == 0) return "0s";
    std::string out;
    for (auto [unit, suffix] : {std::pair{86400LL, 'd'}, {3600LL, 'h'}, {60LL, 'm'}, {1LL, 's'}}) {
        if (s >= unit) {
            out += std::to_string(s / unit);
            out += suffix;
            s %= unit;
        }
    }
    return out;
}

}  // namespace ww
