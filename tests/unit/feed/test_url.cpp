#include "feed/url.h"

#include <gtest/gtest.h>

namespace ww::feed {
namespace {

struct Case {
    const char* base;
    const char* ref;
    const char* want;
};

class ResolveUrl : public testing::TestWithParam<Case> {};

TEST_P(ResolveUrl, FollowsRfc3986) {
    EXPECT_EQ(resolve_url(GetParam().base, GetParam().ref), GetParam().want);
}

// RFC 3986 section 5.4 examples against http://a/b/c/d;p?q, plus feed cases.
INSTANTIATE_TEST_SUITE_P(
    Table, ResolveUrl,
    testing::Values(Case{"http://a/b/c/d;p?q", "g", "http://a/b/c/g"},
                    Case{"http://a/b/c/d;p?q", "./g", "http://a/b/c/g"},
                    Case{"http://a/b/c/d;p?q", "/g", "http://a/g"},
                    Case{"http://a/b/c/d;p?q", "//g", "http://g"},
                    Case{"http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y"},
                    Case{"http://a/b/c/d;p?q", "#s", "http://a/b/c/d;p?q#s"},
                    Case{"http://a/b/c/d;p?q", "../../g", "http://a/g"},
                    Case{"http://a/b/c/d;p?q", "https://x.example/", "https://x.example/"},
                    Case{"", "relative/link", "relative/link"},
                    Case{"not a url", "g", "g"},
                    Case{"http://a/b/", "  g  ", "http://a/b/g"}));

TEST(CanonicalUrl, NormalisesForIdentity) {
    EXPECT_EQ(canonical_url("HTTP://Example.COM:80/a/../b/%7euser"), "http://example.com/b/~user");
    EXPECT_EQ(canonical_url("https://example.com:443"), "https://example.com/");
    EXPECT_EQ(canonical_url("  not a url "), "not a url");
}

}  // namespace
}  // namespace ww::feed
