#include "fetch/http_date.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace ww::fetch {
namespace {

TEST(HttpDate, ParsesTheThreeFormsAndRejectsTheRest) {
    struct Case {
        const char* text;
        const char* expected;  // RFC 3339, or nullptr when invalid
    };
    const Case cases[] = {
        {"Sun, 06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"},
        {"Sunday, 06-Nov-94 08:49:37 GMT", "1994-11-06T08:49:37Z"},
        {"Sun Nov  6 08:49:37 1994", "1994-11-06T08:49:37Z"},
        {"Fri, 27 Nov 2026 14:05:00 GMT", "2026-11-27T14:05:00Z"},
        {"fri, 27 nov 2026 14:05:00 GMT", "2026-11-27T14:05:00Z"},
        {"Thu, 01 Jan 70 00:00:00 GMT", "1970-01-01T00:00:00Z"},
        {"Mon, 01 Jan 24 00:00:00 GMT", "2024-01-01T00:00:00Z"},
        {"Fri, 31 Feb 2026 14:05:00 GMT", nullptr},
        {"Fri, 27 Nov 2026 25:05:00 GMT", nullptr},
        {"Fri, 27 Nov 2026 14:05:00 +0100", nullptr},
        {"Fri, 27 Nvb 2026 14:05:00 GMT", nullptr},
        {"0", nullptr},
        {"", nullptr},
        {"2026-11-27T14:05:00Z", nullptr},
    };
    for (const auto& c : cases) {
        auto got = parse_http_date(c.text);
        if (c.expected == nullptr) {
            EXPECT_FALSE(got) << c.text;
        } else {
            ASSERT_TRUE(got) << c.text;
            EXPECT_EQ(format_rfc3339(*got), c.expected) << c.text;
        }
    }
}

}  // namespace
}  // namespace ww::fetch
