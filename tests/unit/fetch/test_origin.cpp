#include "fetch/origin.h"

#include <gtest/gtest.h>

namespace ww::fetch {
namespace {

TEST(SameOrigin, Table) {
    struct Case {
        const char *name, *a, *b;
        bool same;
    } const cases[] = {
        {"same", "https://e.org/a", "https://e.org/b?x=1", true},
        {"default port explicit", "https://e.org/a", "https://e.org:443/b", true},
        {"host case", "https://E.org/a", "https://e.ORG/b", true},
        {"other host", "https://e.org/a", "https://evil.org/a", false},
        {"subdomain", "https://e.org/a", "https://api.e.org/a", false},
        {"other port", "http://127.0.0.1:8080/a", "http://127.0.0.1:8081/a", false},
        {"downgrade", "https://e.org/a", "http://e.org/a", false},
        {"upgrade", "http://e.org/a", "https://e.org/a", false},
        {"userinfo ignored", "https://e.org/a", "https://u@e.org/a", true},
        {"unparsable", "https://e.org/a", "not a url", false},
    };
    for (const auto& c : cases) EXPECT_EQ(same_origin(c.a, c.b), c.same) << c.name;
}

TEST(ResolveLocation, Table) {
    EXPECT_EQ(resolve_location("http://h:1/a/b", "/c"), "http://h:1/c");
    EXPECT_EQ(resolve_location("http://h:1/a/b", "c?d=1"), "http://h:1/a/c?d=1");
    EXPECT_EQ(resolve_location("http://h:1/a", "//other:2/x"), "http://other:2/x");
    EXPECT_EQ(resolve_location("http://h:1/a", "https://o/x"), "https://o/x");
    EXPECT_EQ(resolve_location("not a url", "/x"), "");
}

}  // namespace
}  // namespace ww::fetch
