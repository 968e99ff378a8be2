#include "feed/url.h"

// Boost.URL compiled header-only in this one translation unit, so that no other module has to
// link it (the project uses Boost headers only). If another module ever does the same, one of
// the two must go (duplicate symbols).
#include <boost/url/src.hpp>
#include <boost/url.hpp>

namespace ww::feed {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
    while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
    return s;
}

bool has_scheme(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == ':') return i > 0;
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
        if (!ok) return false;
    }
    return false;
}

}  // namespace

std::string resolve_url(std::string_view base, std::string_view ref) {
    ref = trim(ref);
    base = trim(base);
    if (has_scheme(ref) || base.empty()) return std::string(ref);
    const auto b = boost::urls::parse_uri(base);
    if (!b) return std::string(ref);
    const auto r = boost::urls::parse_uri_reference(ref);
    if (!r) return std::string(ref);
    boost::urls::url out;
    if (!boost::urls::resolve(*b, *r, out)) return std::string(ref);
    return std::string(out.buffer());
}

std::string canonical_url(std::string_view text) {
    text = trim(text);
    const auto parsed = boost::urls::parse_uri(text);
    if (!parsed) return std::string(text);
    boost::urls::url u(*parsed);
    u.normalize();
    const auto scheme = u.scheme();
    if ((scheme == "http" && u.port() == "80") || (scheme == "https" && u.port() == "443"))
        u.remove_port();
    std::string out(u.buffer());
    if (u.has_authority() && u.encoded_path().empty()) {
        // "http://host?q" and "http://host/?q" are one resource; Boost.URL's set_path would
        // write "/./" here, so the slash goes in by hand after the authority.
        const auto authority_end = u.scheme().size() + 3 + u.encoded_authority().size();
        if (authority_end <= out.size()) out.insert(authority_end, "/");
    }
    return out;
}

}  // namespace ww::feed
