#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace ww::fetch {

// The SSRF guard's pure half: which resolved addresses a feed fetch may connect to. The
// client applies it to the address curl is about to connect to (after DNS, on every hop).

// An IPv4 address is kept as its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so one table of
// ranges covers both families.
struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};
    bool operator==(const IpAddress&) const = default;
};

std::optional<IpAddress> parse_ip(std::string_view text);
// The address of a socket address of family AF_INET or AF_INET6 (what curl is about to connect
// to); nullopt for any other family. `sockaddr` points to a sockaddr_in or sockaddr_in6.
std::optional<IpAddress> ip_of_sockaddr(int family, const void* sockaddr);
std::string format_ip(const IpAddress& ip);

struct Network {
    IpAddress base;
    int prefix = 128;  // over the 128-bit form: an IPv4 /8 is stored as /104
};

// "10.0.0.0/8", "fd00::/8", "192.0.2.7" (a single host).
Result<Network> parse_network(std::string_view text);
bool contains(const Network& net, const IpAddress& ip);

// Loopback, private, CGNAT, link-local, multicast, documentation, benchmarking, reserved and
// unspecified ranges, plus IPv6 forms that embed an IPv4 address (NAT64, 6to4) when the
// embedded address is special. Returns the name of the range, or nullopt when public.
std::optional<std::string_view> special_range_of(const IpAddress& ip);

// The guard's decision: allowed when public, or when listed in `allowed`.
bool address_allowed(const IpAddress& ip, const std::vector<Network>& allowed);

}  // namespace ww::fetch
