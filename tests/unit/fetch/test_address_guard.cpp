#include "fetch/address_guard.h"

#include <gtest/gtest.h>

namespace ww::fetch {
namespace {

TEST(AddressGuard, ClassifiesSpecialRanges) {
    struct Case {
        const char* ip;
        const char* range;  // nullptr: public
    };
    const Case cases[] = {
        {"93.184.216.34", nullptr},
        {"8.8.8.8", nullptr},
        {"2606:4700::1111", nullptr},
        {"127.0.0.1", "loopback"},
        {"127.255.0.9", "loopback"},
        {"10.1.2.3", "private"},
        {"172.16.0.1", "private"},
        {"172.31.255.255", "private"},
        {"172.32.0.1", nullptr},
        {"192.168.1.1", "private"},
        {"169.254.169.254", "link-local"},  // cloud metadata endpoints live here
        {"100.64.0.1", "shared-cgnat"},
        {"0.0.0.0", "this-network"},
        {"224.0.0.1", "multicast"},
        {"255.255.255.255", "reserved"},
        {"198.18.0.1", "benchmarking"},
        {"192.0.2.1", "documentation"},
        {"::1", "loopback"},
        {"::", "unspecified"},
        {"fe80::1", "link-local"},
        {"fd12:3456::1", "unique-local"},
        {"ff02::1", "multicast"},
        {"2001:db8::1", "documentation"},
        {"::ffff:127.0.0.1", "loopback"},    // IPv4-mapped
        {"::ffff:8.8.8.8", nullptr},
        {"64:ff9b::10.0.0.1", "private"},    // NAT64 of a private address
        {"64:ff9b::8.8.8.8", nullptr},
        {"2002:c0a8:0101::1", "private"},    // 6to4 of 192.168.1.1
        {"[::1]", "loopback"},
    };
    for (const auto& c : cases) {
        auto ip = parse_ip(c.ip);
        ASSERT_TRUE(ip) << c.ip;
        auto range = special_range_of(*ip);
        if (c.range == nullptr)
            EXPECT_FALSE(range) << c.ip << " is " << range.value_or("");
        else
            EXPECT_EQ(range.value_or("public"), c.range) << c.ip;
    }
}

TEST(AddressGuard, ParsesNetworksAndHonoursTheAllowList) {
    auto lan = parse_network("10.1.0.0/16");
    ASSERT_TRUE(lan);
    auto host = parse_network("127.0.0.1");
    ASSERT_TRUE(host);
    auto v6 = parse_network("fd00::/8");
    ASSERT_TRUE(v6);
    const std::vector<Network> allowed{*lan, *host, *v6};
    EXPECT_TRUE(address_allowed(*parse_ip("10.1.200.3"), allowed));
    EXPECT_FALSE(address_allowed(*parse_ip("10.2.0.1"), allowed));
    EXPECT_TRUE(address_allowed(*parse_ip("127.0.0.1"), allowed));
    EXPECT_FALSE(address_allowed(*parse_ip("127.0.0.2"), allowed));
    EXPECT_TRUE(address_allowed(*parse_ip("fd00::5"), allowed));
    EXPECT_TRUE(address_allowed(*parse_ip("8.8.4.4"), {}));
    EXPECT_FALSE(address_allowed(*parse_ip("10.1.200.3"), {}));

    for (const char* bad : {"10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/x", "host/8", ""})
        EXPECT_FALSE(parse_network(bad)) << bad;
    EXPECT_FALSE(parse_ip("256.1.1.1"));
    EXPECT_EQ(format_ip(*parse_ip("::ffff:10.0.0.1")), "10.0.0.1");
    EXPECT_EQ(format_ip(*parse_ip("fe80::1")), "fe80::1");
}

}  // namespace
}  // namespace ww::fetch
