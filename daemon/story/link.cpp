#include "story/link.h"

#include <algorithm>
#include <array>
#include <vector>

namespace ww::story {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
    while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
    return s;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = lower(c);
    return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (lower(s[i]) != prefix[i]) return false;
    return true;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool unreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

// RFC 3986 6.2.2: escapes of unreserved characters decoded, the others in upper-case hex, so
// that "%7e", "%7E" and "~" compare equal.
std::string normalise_escapes(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            const char decoded = static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            if (unreserved(decoded)) {
                out += decoded;
            } else {
                static constexpr char kHex[] = "0123456789ABCDEF";
                out += '%';
                out += kHex[hex_value(s[i + 1])];
                out += kHex[hex_value(s[i + 2])];
            }
            i += 2;
            continue;
        }
        out += s[i];
    }
    return out;
}

// RFC 3986 5.2.4, for absolute paths: "/a/./b/../c" -> "/a/c".
std::string remove_dot_segments(std::string_view path) {
    if (path.find("/.") == std::string_view::npos) return std::string(path);
    std::vector<std::string_view> kept;
    std::size_t pos = 1;  // after the leading '/'
    bool trailing_slash = false;
    while (pos <= path.size()) {
        const auto next = std::min(path.find('/', pos), path.size());
        const auto segment = path.substr(pos, next - pos);
        trailing_slash = next == path.size() && (segment == "." || segment == "..");
        if (segment == "..") {
            if (!kept.empty()) kept.pop_back();
        } else if (segment != ".") {
            kept.push_back(segment);
        }
        pos = next + 1;
    }
    std::string out;
    for (const auto segment : kept) {
        out += '/';
        out += segment;
    }
    if (trailing_slash || out.empty()) out += '/';
    return out;
}

constexpr std::array<std::string_view, 38> kTrackers = {
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
    "igsh", "mc_cid", "mc_eid", "ocid", "cmpid", "cmp", "_ga", "_gl", "_hsenc", "_hsmi",
    "mkt_tok", "ref_src", "ref_url", "smid", "smtyp", "spm", "xtor", "at_medium",
    "at_campaign", "at_custom1", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname",
    "ns_fee", "wt.mc_id", "__twitter_impression", "s_cid", "trk"};

// Values a `ref` parameter takes when it only names the referrer.
constexpr std::array<std::string_view, 24> kReferrerTags = {
    "rss", "feed", "feeds", "feedly", "inoreader", "twitter", "tw", "twt", "fb", "facebook",
    "linkedin", "reddit", "hn", "hackernews", "producthunt", "mastodon", "email", "newsletter",
    "share", "social", "homepage", "hp", "nav", "sidebar"};

struct Param {
    std::string_view name;
    std::string_view text;  // the whole "name=value" piece
};

struct Parts {
    std::string scheme;
    std::string_view userinfo;
    std::string host;
    std::string_view port;
    std::string_view path;
    std::string_view query;
    std::string_view fragment;
};

// Splits an absolute http(s) URL; false for anything else (mailto:, relative refs, junk).
bool split(std::string_view s, Parts& p) {
    const auto colon = s.find("://");
    if (colon == std::string_view::npos) return false;
    p.scheme = lowered(s.substr(0, colon));
    if (p.scheme != "http" && p.scheme != "https") return false;
    auto rest = s.substr(colon + 3);
    const auto authority_end = std::min(rest.find_first_of("/?#"), rest.size());
    auto authority = rest.substr(0, authority_end);
    rest.remove_prefix(authority_end);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        p.userinfo = authority.substr(0, at);
        authority.remove_prefix(at + 1);
    }
    // The port colon is the last one outside an IPv6 literal's brackets.
    const auto bracket = authority.rfind(']');
    const auto port_colon = authority.rfind(':');
    if (port_colon != std::string_view::npos && (bracket == std::string_view::npos || port_colon > bracket)) {
        p.port = authority.substr(port_colon + 1);
        authority = authority.substr(0, port_colon);
    }
    if (authority.empty()) return false;
    p.host = lowered(authority);
    while (!p.host.empty() && p.host.back() == '.') p.host.pop_back();  // "example.com."
    const auto fragment = rest.find('#');
    if (fragment != std::string_view::npos) {
        p.fragment = rest.substr(fragment + 1);
        rest = rest.substr(0, fragment);
    }
    const auto question = rest.find('?');
    if (question != std::string_view::npos) {
        p.query = rest.substr(question + 1);
        rest = rest.substr(0, question);
    }
    p.path = rest;
    return true;
}

std::string canonical_query(std::string_view query) {
    std::vector<Param> params;
    while (!query.empty()) {
        const auto amp = std::min(query.find('&'), query.size());
        const auto piece = query.substr(0, amp);
        query.remove_prefix(std::min(amp + 1, query.size()));
        if (piece.empty()) continue;
        const auto eq = piece.find('=');
        const auto name = piece.substr(0, eq);
        const auto value = eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1);
        if (is_tracking_param(name, value)) continue;
        params.push_back({name, piece});
    }
    // Sorted by name only, stably: repeated names keep their order, which may mean something.
    std::stable_sort(params.begin(), params.end(),
                     [](const Param& a, const Param& b) { return a.name < b.name; });
    std::string out;
    for (const auto& p : params) {
        if (!out.empty()) out += '&';
        out += normalise_escapes(p.text);
    }
    return out;
}

}  // namespace

bool is_tracking_param(std::string_view name, std::string_view value) {
    const auto n = lowered(name);
    if (n.starts_with("utm_")) return true;
    if (std::find(kTrackers.begin(), kTrackers.end(), n) != kTrackers.end()) return true;
    if (n == "ref") {
        const auto v = lowered(value);
        return std::find(kReferrerTags.begin(), kReferrerTags.end(), v) != kReferrerTags.end() ||
               v.starts_with("rss") || v.ends_with("_rss") || v.starts_with("newsletter");
    }
    return false;
}

std::string canonical_link(std::string_view url, std::string_view preferred) {
    preferred = trim(preferred);
    Parts p;
    if (!preferred.empty() && split(preferred, p)) {
        url = preferred;
    } else {
        url = trim(url);
        p = Parts{};
        if (!split(url, p)) return std::string(url);
    }
    std::string out = p.scheme + "://";
    if (!p.userinfo.empty()) {
        out += p.userinfo;
        out += '@';
    }
    out += p.host;
    const bool default_port = p.port.empty() || (p.scheme == "http" && p.port == "80") ||
                              (p.scheme == "https" && p.port == "443");
    if (!default_port) {
        out += ':';
        out += p.port;
    }
    out += p.path.empty() ? std::string("/") : remove_dot_segments(normalise_escapes(p.path));
    if (const auto query = canonical_query(p.query); !query.empty()) {
        out += '?';
        out += query;
    }
    // "#!/..." is a route in old single-page sites (the article itself), not a position in it.
    if (p.fragment.starts_with('!')) {
        out += '#';
        out += p.fragment;
    }
    return out;
}

std::string link_key(std::string_view canonical) {
    auto s = trim(canonical);
    if (starts_with_ci(s, "https://")) {
        s.remove_prefix(8);
    } else if (starts_with_ci(s, "http://")) {
        s.remove_prefix(7);
    }
    if (starts_with_ci(s, "www.")) s.remove_prefix(4);
    return std::string(s);
}

}  // namespace ww::story
