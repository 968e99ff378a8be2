#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "fetch/address_guard.h"
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

// The one conversion from what curl is about to connect to, shared by both clients' guards.
TEST(HttpPostGuard, ReadsBothAddressFamilies) {
    sockaddr_in v4{};
    v4.sin_family = AF_INET;
    inet_pton(AF_INET, "192.168.1.20", &v4.sin_addr);
    EXPECT_EQ(ip_of_sockaddr(AF_INET, &v4), parse_ip("192.168.1.20"));
    sockaddr_in6 v6{};
    v6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "2001:db8::7", &v6.sin6_addr);
    EXPECT_EQ(ip_of_sockaddr(AF_INET6, &v6), parse_ip("2001:db8::7"));
    EXPECT_EQ(ip_of_sockaddr(AF_UNIX, &v4), std::nullopt);
}

}  // namespace
}  // namespace ww::fetch
