#include "core/delivery.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace ww {
namespace {

SysSeconds at(const char* rfc3339) {
    auto t = parse_rfc3339(rfc3339);
    EXPECT_TRUE(t.has_value()) << rfc3339;
    return t.value_or(SysSeconds{});
}

std::shared_ptr<const ZoneRules> zone(std::string_view name) {
    auto z = load_zone(name);
    if (!z) ADD_FAILURE() << z.error().message;
    return z ? *z : std::make_shared<const ZoneRules>(utc_zone());
}

TEST(Zone, OffsetsOfBerlinAcrossBothChanges) {
    // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
    const auto berlin = zone("Europe/Berlin");
    struct Case { const char* utc; int hours; } cases[] = {
        {"2026-01-15T12:00:00Z", 1}, {"2026-03-29T00:59:59Z", 1}, {"2026-03-29T01:00:00Z", 2},
        {"2026-07-01T12:00:00Z", 2}, {"2026-10-25T00:59:59Z", 2}, {"2026-10-25T01:00:00Z", 1},
        {"2045-07-01T12:00:00Z", 2}, {"2045-12-01T12:00:00Z", 1},  // past the file's last transition
    };
    for (const auto& c : cases)
        EXPECT_EQ(utc_offset(*berlin, at(c.utc)), std::chrono::hours(c.hours)) << c.utc;
}

TEST(Zone, RejectsUnknownAndHostileNames) {
    EXPECT_FALSE(load_zone("Mars/Olympus_Mons").has_value());
    EXPECT_FALSE(load_zone("../../etc/passwd").has_value());
    EXPECT_FALSE(load_zone("/etc/passwd").has_value());
    EXPECT_FALSE(parse_tzif("not a zone file at all, just some text here..", "x").has_value());
    EXPECT_TRUE(load_zone("UTC").has_value());
}

TEST(Digest, NextDigestTable) {
    struct Case { const char* spec; const char* now; const char* due; } cases[] = {
        {"hourly", "2026-11-27T14:05:09Z", "2026-11-27T15:00:00Z"},
        {"hourly", "2026-11-27T14:00:00Z", "2026-11-27T15:00:00Z"},
        {"daily 08:00", "2026-11-27T07:59:59Z", "2026-11-27T08:00:00Z"},
        {"daily 08:00 Europe/Berlin", "2026-11-27T06:00:00Z", "2026-11-27T07:00:00Z"},
        {"daily 08:00 Europe/Berlin", "2026-11-27T07:00:00Z", "2026-11-28T07:00:00Z"},  // strictly after
        {"daily 08:00 Europe/Berlin", "2026-07-01T05:00:00Z", "2026-07-01T06:00:00Z"},  // summer time
        {"daily 08:00 Europe/Berlin", "2026-03-28T07:30:00Z", "2026-03-29T06:00:00Z"},  // spring forward
        {"daily 08:00 Europe/Berlin", "2026-10-24T06:30:00Z", "2026-10-25T07:00:00Z"},  // fall back
        {"daily 02:30 Europe/Berlin", "2026-03-28T02:00:00Z", "2026-03-29T01:30:00Z"},  // 02:30 does not exist
        {"daily 02:30 Europe/Berlin", "2026-10-24T02:00:00Z", "2026-10-25T00:30:00Z"},  // twice: the first
        {"daily 08:00 America/New_York", "2026-11-27T12:00:00Z", "2026-11-27T13:00:00Z"},
        {"daily 08:00 Europe/Berlin", "2040-07-01T05:00:00Z", "2040-07-01T06:00:00Z"},
    };
    for (const auto& c : cases) {
        auto spec = parse_digest(c.spec);
        ASSERT_TRUE(spec.has_value()) << c.spec;
        EXPECT_EQ(format_rfc3339(next_digest_at(*spec, *zone(spec->zone), at(c.now))), c.due)
            << c.spec << " now=" << c.now;
    }
}

TEST(Digest, ParseErrorsSayWhatIsExpected) {
    for (const char* bad : {"", "weekly", "daily", "daily 8am", "daily 24:00", "daily 08:00 Nowhere/City",
                            "hourly Europe/Berlin", "daily 08:00 Europe/Berlin extra"}) {
        auto r = parse_digest(bad);
        EXPECT_FALSE(r.has_value()) << bad;
        if (!r) {
            EXPECT_NE(r.error().message.find("digest"), std::string::npos) << r.error().message;
        }
    }
}

TEST(QuietHours, UntilTable) {
    struct Case { const char* spec; const char* now; const char* until; } cases[] = {
        {"22:00-07:00 Europe/Berlin", "2026-11-27T21:30:00Z", "2026-11-28T06:00:00Z"},
        {"22:00-07:00 Europe/Berlin", "2026-11-27T20:59:00Z", ""},
        {"22:00-07:00 Europe/Berlin", "2026-11-28T05:59:00Z", "2026-11-28T06:00:00Z"},
        {"22:00-07:00 Europe/Berlin", "2026-11-28T06:00:00Z", ""},
        {"22:00-07:00 Europe/Berlin", "2026-07-01T20:30:00Z", "2026-07-02T05:00:00Z"},
        {"09:00-17:00", "2026-11-27T12:00:00Z", "2026-11-27T17:00:00Z"},
        {"09:00-17:00", "2026-11-27T17:00:00Z", ""},
        {"09:00-17:00", "2026-11-27T08:59:59Z", ""},
    };
    for (const auto& c : cases) {
        auto q = parse_quiet_hours(c.spec);
        ASSERT_TRUE(q.has_value()) << c.spec;
        const auto until = quiet_until(*q, *zone(q->zone), at(c.now));
        EXPECT_EQ(until ? format_rfc3339(*until) : std::string(), c.until) << c.spec << " now=" << c.now;
    }
}

TEST(QuietHours, ParseErrors) {
    for (const char* bad : {"", "22:00", "22-07", "22:00-07:00 Nowhere/City", "25:00-07:00", "07:00-07:00"})
        EXPECT_FALSE(parse_quiet_hours(bad).has_value()) << bad;
}

TEST(Priority, Parse) {
    EXPECT_EQ(parse_priority("high"), Priority::high);
    EXPECT_EQ(parse_priority("normal"), Priority::normal);
    EXPECT_FALSE(parse_priority("urgent").has_value());
}

}  // namespace
}  // namespace ww
