#include "app/error_hints.h"

#include <gtest/gtest.h>

namespace ww::app {
namespace {

TEST(ErrorHints, EveryFetchErrorKindHasAHint) {
    for (const char* kind : {"dns", "connect", "tls", "timeout", "too_large", "redirects", "blocked", "reset",
                             "protocol", "not_found", "gone", "denied", "rate_limited", "unavailable", "http_4xx",
                             "http_5xx", "not_a_feed", "empty"})
        EXPECT_FALSE(hint_for(kind).empty()) << kind;
    EXPECT_NE(hint_for("not_found").find("check the URL"), std::string_view::npos);
    EXPECT_NE(hint_for("dns").find("network or the proxy"), std::string_view::npos);
    EXPECT_TRUE(hint_for("no_such_kind").empty());
}

TEST(ErrorHints, AnAddressInUseNamesTheKeyToChange) {
    struct Case {
        const char* message;
        const char* key;  // nullptr: no hint
    };
    const Case cases[] = {
        {"publish: cannot bind tcp://127.0.0.1:5556: Address already in use", "[publish] endpoint"},
        {"publish: cannot bind replay tcp://127.0.0.1:5557: Address already in use", "[publish] replay_endpoint"},
        {"http: cannot listen on 127.0.0.1:9108: bind: Address already in use", "[http] listen"},
        {"http: cannot listen on 127.0.0.1:9109: bind: Address already in use", "[websub] listen"},
        {"publish: cannot bind tcp://10.0.0.1:5556: Cannot assign requested address", nullptr},
        {"store: database is locked", nullptr},
    };
    for (const auto& c : cases) {
        const auto hint = address_in_use_hint(c.message, "127.0.0.1:9108", "127.0.0.1:9109");
        if (!c.key) {
            EXPECT_EQ(hint, "") << c.message;
            continue;
        }
        EXPECT_NE(hint.find(std::string("change ") + c.key), std::string::npos) << c.message << " -> " << hint;
        EXPECT_NE(hint.find("another wirewatchd may be running"), std::string::npos);
    }
}

}  // namespace
}  // namespace ww::app
