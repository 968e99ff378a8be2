#include "core/zone.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace ww {

namespace {

using std::chrono::seconds;

std::int64_t be(std::string_view b, std::size_t at, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
    // Sign-extend the 32-bit fields (transition times and offsets are signed).
    if (n == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
}

struct Header {
    std::int64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

Header header_at(std::string_view b, std::size_t at) {
    return {be(b, at + 20, 4), be(b, at + 24, 4), be(b, at + 28, 4),
            be(b, at + 32, 4), be(b, at + 36, 4), be(b, at + 40, 4)};
}

std::size_t block_size(const Header& h, std::size_t time_size) {
    return static_cast<std::size_t>(h.timecnt * time_size + h.timecnt + h.typecnt * 6 + h.charcnt +
                                    h.leapcnt * (time_size + 4) + h.isstdcnt + h.isutcnt);
}

// 28 Gregorian years (7 leap years) are exactly 1461 weeks.
constexpr std::int64_t k28Years = 10227LL * 86400;

}  // namespace

ZoneRules utc_zone() { return ZoneRules{"UTC", {}, {}, 0}; }

Result<ZoneRules> parse_tzif(std::string_view b, std::string name) {
    auto bad = [&](std::string_view why) {
        return fail("zone", "zone: " + name + ": not a TZif file (" + std::string(why) + ")");
    };
    constexpr std::size_t kHeader = 44;
    if (b.size() < kHeader || b.substr(0, 4) != "TZif") return bad("no TZif header");
    Header h = header_at(b, 0);
    if (h.timecnt < 0 || h.typecnt <= 0 || h.charcnt < 0 || h.leapcnt < 0 || h.isstdcnt < 0 || h.isutcnt < 0)
        return bad("negative counts");
    std::size_t at = kHeader;
    std::size_t time_size = 4;
    if (b[4] != '\0') {  // version 2+: skip the 32-bit block, read the 64-bit one
        at += block_size(h, 4);
        if (b.size() < at + kHeader || b.substr(at, 4) != "TZif") return bad("no second header");
        h = header_at(b, at);
        at += kHeader;
        time_size = 8;
    }
    if (b.size() < at + block_size(h, time_size)) return bad("truncated");
    ZoneRules z;
    z.name = std::move(name);
    const std::size_t types_at = at + static_cast<std::size_t>(h.timecnt) * (time_size + 1);
    auto offset_of_type = [&](std::int64_t type) -> std::optional<std::int32_t> {
        if (type < 0 || type >= h.typecnt) return std::nullopt;
        return static_cast<std::int32_t>(be(b, types_at + static_cast<std::size_t>(type) * 6, 4));
    };
    for (std::int64_t i = 0; i < h.timecnt; ++i) {
        const auto t = be(b, at + static_cast<std::size_t>(i) * time_size, time_size);
        const auto type = static_cast<unsigned char>(b[at + static_cast<std::size_t>(h.timecnt) * time_size +
                                                         static_cast<std::size_t>(i)]);
        const auto off = offset_of_type(type);
        if (!off) return bad("transition type out of range");
        if (!z.transitions.empty() && t <= z.transitions.back()) return bad("transitions out of order");
        z.transitions.push_back(t);
        z.offsets.push_back(*off);
    }
    // RFC 8536: local time before the first transition uses type 0.
    z.initial_offset = *offset_of_type(0);
    return z;
}

Result<std::shared_ptr<const ZoneRules>> load_zone(std::string_view name) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const ZoneRules>, std::less<>> cache;
    std::lock_guard lock(mutex);
    if (auto it = cache.find(name); it != cache.end()) return it->second;
    if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos)
        return fail("zone", "zone: \"" + std::string(name) + "\" is not an IANA time zone name");
    std::shared_ptr<const ZoneRules> rules;
    if (name == "UTC" || name == "Etc/UTC") {
        rules = std::make_shared<const ZoneRules>(utc_zone());
    } else {
        const char* dir = std::getenv("TZDIR");
        const std::string path = std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + std::string(name);
        std::ifstream in(path, std::ios::binary);
        if (!in) return fail("zone", "zone: unknown time zone \"" + std::string(name) + "\" (no " + path + ")");
        std::ostringstream ss;
        ss << in.rdbuf();
        auto parsed = parse_tzif(ss.str(), std::string(name));
        if (!parsed) return std::unexpected(parsed.error());
        rules = std::make_shared<const ZoneRules>(std::move(*parsed));
    }
    cache.emplace(std::string(name), rules);
    return rules;
}

seconds utc_offset(const ZoneRules& z, SysSeconds t) {
    std::int64_t u = t.time_since_epoch().count();
    if (z.transitions.empty()) return seconds{z.initial_offset};
    // Bounded: a time far in the future shifts back a few hundred times at most.
    for (int i = 0; u > z.transitions.back() && i < 1000; ++i) u -= k28Years;
    const auto it = std::upper_bound(z.transitions.begin(), z.transitions.end(), u);
    if (it == z.transitions.begin()) return seconds{z.initial_offset};
    return seconds{z.offsets[static_cast<std::size_t>(it - z.transitions.begin() - 1)]};
}

LocalSeconds to_local(const ZoneRules& z, SysSeconds t) {
    return LocalSeconds{t.time_since_epoch() + utc_offset(z, t)};
}

SysSeconds to_utc(const ZoneRules& z, LocalSeconds local) {
    const SysSeconds as_utc{local.time_since_epoch()};
    // The offsets a day either side cover every transition near `local` (none is closer than a day).
    const seconds before = utc_offset(z, as_utc - std::chrono::days{1});
    const seconds after = utc_offset(z, as_utc + std::chrono::days{1});
    std::optional<SysSeconds> best;
    for (const seconds o : {before, after}) {
        const SysSeconds t = as_utc - o;
        if (utc_offset(z, t) == o && (!best || t < *best)) best = t;
    }
    if (best) return *best;
    return as_utc - before;  // in a gap: the offset from before the gap
}

}  // namespace ww
