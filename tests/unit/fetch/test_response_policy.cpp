#include "fetch/response_policy.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace ww::fetch {
namespace {

using namespace std::chrono_literals;

Response response(long status, Headers headers, std::string body = "<rss/>") {
    Response r;
    r.status = status;
    r.headers = std::move(headers);
    r.body = std::move(body);
    return r;
}

const SysSeconds kNow = *parse_rfc3339("2026-11-27T14:00:00Z");

TEST(ResponsePolicy, IsModified) {
    struct Case {
        const char* name;
        long status;
        bool modified;
    };
    const Case cases[] = {
        {"ok", 200, true},
        {"not modified", 304, false},
        {"server error still modified (an error, not a 304)", 500, true},
        {"partial content", 206, true},
    };
    for (const auto& c : cases) EXPECT_EQ(is_modified(response(c.status, {})), c.modified) << c.name;
}

TEST(ResponsePolicy, ValidatorsOf) {
    struct Case {
        const char* name;
        Response r;
        std::string etag, last_modified;
    };
    const Case cases[] = {
        {"both", response(200, {{"etag", "\"abc\""}, {"last-modified", "Fri, 27 Nov 2026 10:00:00 GMT"}}),
         "\"abc\"", "Fri, 27 Nov 2026 10:00:00 GMT"},
        {"weak etag kept verbatim", response(200, {{"etag", "W/\"abc\""}}), "W/\"abc\"", ""},
        {"none", response(200, {}), "", ""},
        {"no-store forbids keeping them", response(200, {{"etag", "\"abc\""}, {"cache-control", "private, no-store"}}), "", ""},
        {"an error page's validators are not the feed's", response(500, {{"etag", "\"err\""}}), "", ""},
        {"304 keeps the stored ones (nothing new)", response(304, {{"etag", "\"abc\""}}), "", ""},
    };
    for (const auto& c : cases) {
        auto v = validators_of(c.r);
        EXPECT_EQ(v.etag, c.etag) << c.name;
        EXPECT_EQ(v.last_modified, c.last_modified) << c.name;
    }
}

TEST(ResponsePolicy, RetryAfter) {
    struct Case {
        const char* name;
        std::string value;
        std::optional<std::chrono::seconds> expected;
    };
    const Case cases[] = {
        {"seconds", "120", 120s},
        {"seconds with spaces", " 30 ", 30s},
        {"zero", "0", 0s},
        {"http date", "Fri, 27 Nov 2026 14:10:00 GMT", 600s},
        {"date in the past", "Fri, 27 Nov 2026 13:00:00 GMT", 0s},
        {"negative", "-5", std::nullopt},
        {"garbage", "soon", std::nullopt},
        {"absent", "", std::nullopt},
        {"absurd is bounded", "99999999999999999999", 10 * 365 * 24h},
    };
    for (const auto& c : cases) {
        Headers h;
        if (!c.value.empty()) h.emplace_back("retry-after", c.value);
        EXPECT_EQ(retry_after(response(429, h), kNow), c.expected) << c.name;
    }
}

TEST(ResponsePolicy, FreshnessOf) {
    struct Case {
        const char* name;
        Headers headers;
        std::optional<std::chrono::seconds> expected;
    };
    const Case cases[] = {
        {"none", {}, std::nullopt},
        {"max-age", {{"cache-control", "public, max-age=900"}}, 900s},
        {"max-age wins over Expires", {{"cache-control", "max-age=60"}, {"expires", "Fri, 27 Nov 2026 15:00:00 GMT"}}, 60s},
        {"Expires against Date", {{"date", "Fri, 27 Nov 2026 13:00:00 GMT"}, {"expires", "Fri, 27 Nov 2026 13:30:00 GMT"}}, 1800s},
        {"Expires against now", {{"expires", "Fri, 27 Nov 2026 14:05:00 GMT"}}, 300s},
        {"Expires: 0 is already stale", {{"expires", "0"}}, 0s},
        {"Expires in the past", {{"expires", "Fri, 27 Nov 2026 10:00:00 GMT"}}, 0s},
        {"no-cache", {{"cache-control", "no-cache"}, {"expires", "Fri, 27 Nov 2026 15:00:00 GMT"}}, 0s},
        {"bad max-age", {{"cache-control", "max-age=soon"}}, 0s},
        {"quoted max-age", {{"cache-control", "max-age=\"120\""}}, 120s},
    };
    for (const auto& c : cases) EXPECT_EQ(freshness_of(response(200, c.headers), kNow), c.expected) << c.name;
}

TEST(ResponsePolicy, StatusError) {
    struct Case {
        const char* name;
        Response r;
        const char* kind;  // nullptr: usable
    };
    const Case cases[] = {
        {"ok", response(200, {}), nullptr},
        {"not modified", response(304, {}, ""), nullptr},
        {"empty 200", response(200, {}, ""), "empty"},
        {"whitespace-only 200", response(200, {}, " \r\n\t"), "empty"},
        {"gone", response(410, {}), "gone"},
        {"not found", response(404, {}), "not_found"},
        {"unauthorised", response(401, {}), "denied"},
        {"forbidden", response(403, {}), "denied"},
        {"too many requests", response(429, {}), "rate_limited"},
        {"unavailable", response(503, {}), "unavailable"},
        {"teapot", response(418, {}), "http_4xx"},
        {"bad gateway", response(502, {}), "http_5xx"},
        {"unfollowed redirect", response(300, {}), "http_status"},
    };
    for (const auto& c : cases) {
        auto e = status_error(c.r, "https://example.org/world.rss");
        if (c.kind == nullptr) {
            EXPECT_FALSE(e) << c.name;
        } else {
            ASSERT_TRUE(e) << c.name;
            EXPECT_EQ(e->kind, c.kind) << c.name;
            EXPECT_TRUE(e->message.starts_with("fetch: ")) << e->message;
            EXPECT_NE(e->message.find("feed=https://example.org/world.rss"), std::string::npos);
        }
    }
}

TEST(ResponsePolicy, HeaderLookupIsCaseInsensitive) {
    auto r = response(200, {{"content-type", "application/rss+xml"}});
    EXPECT_EQ(r.header("Content-Type"), "application/rss+xml");
    EXPECT_EQ(r.header("content-type"), "application/rss+xml");
    EXPECT_EQ(r.header("etag"), "");
}

}  // namespace
}  // namespace ww::fetch
