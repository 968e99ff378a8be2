#include "fetch/address_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

namespace ww::fetch {
namespace {

struct Range {
    const char* cidr;
    std::string_view name;
};

// IANA special-purpose registries (RFC 6890 and successors). Kept as text so that the table
// reads like the registry; parsed once.
constexpr Range kSpecialRanges[] = {
    {"0.0.0.0/8", "this-network"},
    {"10.0.0.0/8", "private"},
    {"100.64.0.0/10", "shared-cgnat"},
    {"127.0.0.0/8", "loopback"},
    {"169.254.0.0/16", "link-local"},
    {"172.16.0.0/12", "private"},
    {"192.0.0.0/24", "ietf-protocol"},
    {"192.0.2.0/24", "documentation"},
    {"192.88.99.0/24", "6to4-relay"},
    {"192.168.0.0/16", "private"},
    {"198.18.0.0/15", "benchmarking"},
    {"198.51.100.0/24", "documentation"},
    {"203.0.113.0/24", "documentation"},
    {"224.0.0.0/4", "multicast"},
    {"240.0.0.0/4", "reserved"},
    {"::/128", "unspecified"},
    {"::1/128", "loopback"},
    {"64:ff9b:1::/48", "nat64-local"},
    {"100::/64", "discard"},
    {"2001::/23", "ietf-protocol"},
    {"2001:db8::/32", "documentation"},
    {"fc00::/7", "unique-local"},
    {"fe80::/10", "link-local"},
    {"fec0::/10", "site-local"},
    {"ff00::/8", "multicast"},
};

struct ParsedRange {
    Network net;
    std::string_view name;
};

const std::vector<ParsedRange>& special_ranges() {
    static const std::vector<ParsedRange> ranges = [] {
        std::vector<ParsedRange> out;
        for (const auto& r : kSpecialRanges) out.push_back({*parse_network(r.cidr), r.name});
        return out;
    }();
    return ranges;
}

bool is_v4_mapped(const IpAddress& ip) {
    for (int i = 0; i < 10; ++i)
        if (ip.bytes[i] != 0) return false;
    return ip.bytes[10] == 0xff && ip.bytes[11] == 0xff;
}

IpAddress mapped_v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    IpAddress ip;
    ip.bytes[10] = ip.bytes[11] = 0xff;
    ip.bytes[12] = a;
    ip.bytes[13] = b;
    ip.bytes[14] = c;
    ip.bytes[15] = d;
    return ip;
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
        text = text.substr(1, text.size() - 2);
    const std::string s(text);
    in_addr v4{};
    if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
        const auto* b = reinterpret_cast<const std::uint8_t*>(&v4.s_addr);
        return mapped_v4(b[0], b[1], b[2], b[3]);
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
        IpAddress ip;
        std::memcpy(ip.bytes.data(), v6.s6_addr, 16);
        return ip;
    }
    return std::nullopt;
}

std::string format_ip(const IpAddress& ip) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (is_v4_mapped(ip)) {
        inet_ntop(AF_INET, ip.bytes.data() + 12, buf, sizeof buf);
    } else {
        inet_ntop(AF_INET6, ip.bytes.data(), buf, sizeof buf);
    }
    return buf;
}

Result<Network> parse_network(std::string_view text) {
    const auto slash = text.find('/');
    const auto address = text.substr(0, slash);
    auto ip = parse_ip(address);
    if (!ip) return fail("config", "fetch: not an IP network: " + std::string(text));
    const bool v4 = address.find(':') == std::string_view::npos;
    const int width = v4 ? 32 : 128;
    int prefix = width;
    if (slash != std::string_view::npos) {
        const auto digits = text.substr(slash + 1);
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
        if (ec != std::errc{} || end != digits.data() + digits.size() || prefix < 0 ||
            prefix > width)
            return fail("config", "fetch: bad prefix length in network " + std::string(text));
    }
    return Network{*ip, v4 ? prefix + 96 : prefix};
}

bool contains(const Network& net, const IpAddress& ip) {
    int bits = net.prefix;
    for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
        if ((net.base.bytes[i] & mask) != (ip.bytes[i] & mask)) return false;
    }
    return true;
}

std::optional<std::string_view> special_range_of(const IpAddress& ip) {
    // IPv6 forms that carry an IPv4 address are judged by the address they carry: a NAT64
    // gateway or 6to4 relay would otherwise be a way around the IPv4 table.
    static const Network nat64 = *parse_network("64:ff9b::/96");
    static const Network six_to_four = *parse_network("2002::/16");
    if (contains(nat64, ip)) {
        return special_range_of(
            mapped_v4(ip.bytes[12], ip.bytes[13], ip.bytes[14], ip.bytes[15]));
    }
    if (contains(six_to_four, ip)) {
        return special_range_of(mapped_v4(ip.bytes[2], ip.bytes[3], ip.bytes[4], ip.bytes[5]));
    }
    for (const auto& r : special_ranges())
        if (contains(r.net, ip)) return r.name;
    return std::nullopt;
}

bool address_allowed(const IpAddress& ip, const std::vector<Network>& allowed) {
    if (!special_range_of(ip)) return true;
    for (const auto& net : allowed)
        if (contains(net, ip)) return true;
    return false;
}

std::optional<IpAddress> ip_of_sockaddr(int family, const void* sockaddr) {
    if (family == AF_INET) {
        const auto* b = reinterpret_cast<const std::uint8_t*>(&static_cast<const sockaddr_in*>(sockaddr)->sin_addr);
        return mapped_v4(b[0], b[1], b[2], b[3]);
    }
    if (family == AF_INET6) {
        IpAddress ip;
        std::memcpy(ip.bytes.data(), static_cast<const sockaddr_in6*>(sockaddr)->sin6_addr.s6_addr, 16);
        return ip;
    }
    return std::nullopt;
}

}  // namespace ww::fetch
