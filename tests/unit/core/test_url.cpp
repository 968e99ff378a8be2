#include "core/url.h"

#include <gtest/gtest.h>

#include "core/text.h"

namespace ww {
namespace {

struct Case {
    const char* name;
    const char* in;
    const char* out;
};

TEST(RedactUrl, Table) {
    const Case cases[] = {
        {"plain", "https://example.org/feed.xml", "https://example.org/feed.xml"},
        {"port and path kept", "http://example.org:8080/a/b.rss", "http://example.org:8080/a/b.rss"},
        {"userinfo", "https://alice:hunter2@example.org/feed", "https://***@example.org/feed"},
        {"user only", "https://alice@example.org/", "https://***@example.org/"},
        {"at sign in password", "https://a:b@c@example.org/", "https://***@example.org/"},
        {"query values", "https://example.org/f?token=s3cret&lang=en", "https://example.org/f?token=***&lang=***"},
        {"bare query value", "https://example.org/f?s3cret", "https://example.org/f?***"},
        {"empty value", "https://example.org/f?a=", "https://example.org/f?a=***"},
        {"fragment", "https://example.org/f#access_token=x", "https://example.org/f#***"},
        {"no path before query", "https://example.org?key=v", "https://example.org?key=***"},
        {"not a URL", "my feed", "my feed"},
    };
    for (const auto& c : cases) EXPECT_EQ(redact_url(c.in), c.out) << c.name;
    // Userinfo and query together.
    EXPECT_EQ(redact_url("http://u:p@127.0.0.1:9/f?k=v"), "http://***@127.0.0.1:9/f?k=***");
}

TEST(RedactUrl, HasSecret) {
    EXPECT_FALSE(url_has_secret("https://example.org/feed"));
    EXPECT_TRUE(url_has_secret("https://u:p@example.org/feed"));
    EXPECT_TRUE(url_has_secret("https://example.org/feed?t=1"));
}

TEST(RedactUrlsIn, EveryUrlOfAMessage) {
    EXPECT_EQ(redact_urls_in("fetch: timeout feed=http://u:pw@h/x?t=s3 after 3s"),
              "fetch: timeout feed=http://***@h/x?t=*** after 3s");
    EXPECT_EQ(redact_urls_in("from=https://a/?k=1 to=\"https://b/?k=2\""),
              "from=https://a/?k=*** to=\"https://b/?k=***\"");
    EXPECT_EQ(redact_urls_in("no url :// here"), "no url :// here");
    EXPECT_EQ(redact_urls_in(""), "");
}

TEST(SafeLink, Table) {
    const Case cases[] = {
        {"http kept", "http://example.org/a", "http://example.org/a"},
        {"https kept", "https://example.org/a?b=c&d=e#f", "https://example.org/a?b=c&d=e#f"},
        {"scheme lower-cased", "HTTPS://example.org/", "https://example.org/"},
        {"trimmed", "  https://example.org/a \n", "https://example.org/a"},
        {"javascript refused", "javascript:alert(1)", ""},
        {"data refused", "data:text/html,<b>x</b>", ""},
        {"relative refused", "/news/1", ""},
        {"no host refused", "https:///x", ""},
        {"scheme only refused", "https://", ""},
        {"markdown breakers", "https://e.org/a b(c)<d>", "https://e.org/a%20b%28c%29%3Cd%3E"},
        {"quotes and pipe", "https://e.org/\"x'|`", "https://e.org/%22x%27%7C%60"},
        {"brackets after host", "https://e.org/[x]", "https://e.org/%5Bx%5D"},
        {"ipv6 host kept", "http://[::1]:8080/a", "http://[::1]:8080/a"},
        {"non-ascii encoded", "https://e.org/\xC3\xA9", "https://e.org/%C3%A9"},
        {"controls encoded", "https://e.org/a\x01" "b", "https://e.org/a%01b"},
        {"existing escapes kept", "https://e.org/a%20b", "https://e.org/a%20b"},
        {"idn host kept", "https://\xD0\xBF\xD1\x80.\xD1\x80\xD1\x84/a b", "https://\xD0\xBF\xD1\x80.\xD1\x80\xD1\x84/a%20b"},
        {"host with a control refused", "https://e.org\x01x/", ""},
        {"host with a space refused", "https://e.org x/", ""},
        {"host with a paren refused", "https://e.org)x/", ""},
    };
    for (const auto& c : cases) EXPECT_EQ(safe_link(c.in), c.out) << c.name;
}

TEST(SafeLink, Idempotent) {
    const std::string once = safe_link("https://e.org/a b(c)\xC3\xA9");
    EXPECT_EQ(safe_link(once), once);
}

TEST(StripUnsafeControls, C1AndBidiGoOthersStay) {
    EXPECT_EQ(strip_unsafe_controls("a\xC2\x80" "b\xC2\x9B" "c"), "abc");                  // U+0080, CSI
    EXPECT_EQ(strip_unsafe_controls("x\xE2\x80\xAE" "gnp.exe\xE2\x80\xAC"), "xgnp.exe");  // RLO, PDF
    EXPECT_EQ(strip_unsafe_controls("\xE2\x81\xA6" "a\xE2\x81\xA9"), "a");               // LRI, PDI
    EXPECT_EQ(strip_unsafe_controls("caf\xC3\xA9 \xC2\xA0 \xE2\x80\x94 \xE2\x80\x8D"),  // é NBSP — ZWJ
              "caf\xC3\xA9 \xC2\xA0 \xE2\x80\x94 \xE2\x80\x8D");
    EXPECT_EQ(strip_unsafe_controls("tab\tline\n"), "tab\tline\n");
    EXPECT_EQ(strip_unsafe_controls("cut\xC2"), "cut\xC2");
}

}  // namespace
}  // namespace ww
