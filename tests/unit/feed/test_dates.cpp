#include "feed/dates.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace ww::feed {
namespace {

struct Case {
    const char* name;
    const char* input;
    const char* rfc3339;  // nullptr: must be rejected
};

class ParseDate : public testing::TestWithParam<Case> {};

TEST_P(ParseDate, Reads) {
    const auto got = parse_date(GetParam().input);
    if (!GetParam().rfc3339) {
        EXPECT_FALSE(got.has_value()) << format_rfc3339(*got);
    } else {
        ASSERT_TRUE(got.has_value());
        EXPECT_EQ(format_rfc3339(*got), GetParam().rfc3339);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseDate,
    testing::Values(
        Case{"rfc1123", "Mon, 02 Jan 2006 15:04:05 -0700", "2006-01-02T22:04:05Z"},
        Case{"rfc1123_gmt", "Mon, 02 Jan 2006 15:04:05 GMT", "2006-01-02T15:04:05Z"},
        Case{"no_weekday", "02 Jan 2006 15:04:05 +0000", "2006-01-02T15:04:05Z"},
        Case{"wrong_weekday", "Fri, 02 Jan 2006 15:04:05 +0000", "2006-01-02T15:04:05Z"},
        Case{"single_digit_day", "Mon, 2 Jan 2006 15:04:05 +0000", "2006-01-02T15:04:05Z"},
        Case{"two_digit_year", "Mon, 02 Jan 06 15:04:05 GMT", "2006-01-02T15:04:05Z"},
        Case{"two_digit_year_old", "Thu, 01 Jan 98 00:00:00 GMT", "1998-01-01T00:00:00Z"},
        Case{"no_seconds", "Mon, 02 Jan 2006 15:04 GMT", "2006-01-02T15:04:00Z"},
        Case{"est", "Mon, 02 Jan 2006 10:04:05 EST", "2006-01-02T15:04:05Z"},
        Case{"edt", "Mon, 02 Jan 2006 11:04:05 EDT", "2006-01-02T15:04:05Z"},
        Case{"cest", "Mon, 02 Jan 2006 17:04:05 CEST", "2006-01-02T15:04:05Z"},
        Case{"full_names", "Monday, 2 January 2006 15:04:05 UTC", "2006-01-02T15:04:05Z"},
        Case{"gmt_offset", "Mon, 02 Jan 2006 17:04:05 GMT+0200", "2006-01-02T15:04:05Z"},
        Case{"colon_offset", "Mon, 02 Jan 2006 17:04:05 +02:00", "2006-01-02T15:04:05Z"},
        Case{"no_zone", "Mon, 02 Jan 2006 15:04:05", "2006-01-02T15:04:05Z"},
        Case{"ctime", "Mon Jan  2 15:04:05 2006", "2006-01-02T15:04:05Z"},
        Case{"rfc3339", "2006-01-02T15:04:05Z", "2006-01-02T15:04:05Z"},
        Case{"rfc3339_offset", "2006-01-02T17:04:05+02:00", "2006-01-02T15:04:05Z"},
        Case{"rfc3339_fraction", "2006-01-02T15:04:05.123456Z", "2006-01-02T15:04:05Z"},
        Case{"iso_space", "2006-01-02 15:04:05", "2006-01-02T15:04:05Z"},
        Case{"iso_basic_offset", "2006-01-02T15:04:05-0700", "2006-01-02T22:04:05Z"},
        Case{"w3cdtf_minutes", "2006-01-02T15:04Z", "2006-01-02T15:04:00Z"},
        Case{"w3cdtf_date", "2006-01-02", "2006-01-02T00:00:00Z"},
        Case{"w3cdtf_month", "2006-01", "2006-01-01T00:00:00Z"},
        Case{"w3cdtf_year", "2006", "2006-01-01T00:00:00Z"},
        Case{"iso_compact", "20060102T150405Z", "2006-01-02T15:04:05Z"},
        Case{"surrounding_space", "  2006-01-02T15:04:05Z\n", "2006-01-02T15:04:05Z"},
        Case{"garbage", "yesterday", nullptr},
        Case{"empty", "", nullptr},
        Case{"bad_day", "Mon, 32 Jan 2006 15:04:05 GMT", nullptr},
        Case{"bad_month", "2006-13-02T15:04:05Z", nullptr},
        Case{"bad_hour", "2006-01-02T25:04:05Z", nullptr},
        Case{"unknown_zone", "Mon, 02 Jan 2006 15:04:05 XYZT", nullptr},
        // Found by fuzz_dates: an offset pushes these out of the years RFC 3339 can write.
        Case{"before_year_1", "0000-01-01T00:30+01:00", nullptr},
        Case{"before_year_1_rfc822", "1 Jan 0000 00:30 +0100", nullptr},
        Case{"after_year_9999", "9999-12-31T23:30-01:00", nullptr},
        Case{"last_writable_second", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"},
        Case{"first_writable_day", "0001-01-01", "0001-01-01T00:00:00Z"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ZoneOffset, KnowsNewsZones) {
    EXPECT_EQ(zone_offset_minutes("PST"), -480);
    EXPECT_EQ(zone_offset_minutes("cet"), 60);
    EXPECT_EQ(zone_offset_minutes("Z"), 0);
    EXPECT_FALSE(zone_offset_minutes("Mars").has_value());
}

}  // namespace
}  // namespace ww::feed
