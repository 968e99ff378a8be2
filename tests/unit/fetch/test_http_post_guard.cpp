#include <gtest/gtest.h>

#include "fetch/http_post.h"

namespace ww::fetch {
namespace {

// A URL taken from a document (a WebSub hub) must not reach loopback or private addresses.
// Nothing listens on the port: a refusal by the guard is "blocked", a real attempt would be a
// connection error ("transport").
TEST(HttpPostGuard, RefusesSpecialAddressesOnlyWhenAsked) {
    PostRequest req;
    req.url = "http://127.0.0.1:9/hub";
    req.body = "hub.mode=subscribe";
    req.timeout = std::chrono::milliseconds(3000);
    req.refuse_special_addresses = true;
    auto guarded = http_post(req);
    ASSERT_FALSE(guarded);
    EXPECT_EQ(guarded.error().kind, "blocked");
    EXPECT_NE(guarded.error().message.find("127.0.0.1"), std::string::npos) << guarded.error().message;
    req.refuse_special_addresses = false;
    auto open = http_post(req);
    ASSERT_FALSE(open);
    EXPECT_EQ(open.error().kind, "transport");
}

}  // namespace
}  // namespace ww::fetch
