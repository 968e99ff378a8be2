#include "feed/xml.h"

#include <cstring>

namespace ww::feed {
namespace {

struct Known {
    std::string_view uri;
    Ns ns;
};

// Equality of the short strings names are made of, without a call of memcmp for each.
bool same(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i]) return false;
    return true;
}

bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if ((a[i] | 0x20) != (b[i] | 0x20)) return false;  // letters, '.', '/', digits alike
    return true;
}

std::string_view strip_slash(std::string_view s) {
    while (!s.empty() && (s.back() == '/' || s.back() == '#' || s.back() == ' ')) s.remove_suffix(1);
    return s;
}

}  // namespace

Ns ns_of_uri(std::string_view uri) {
    // Compared without a trailing '/' or '#' and scheme-insensitive: feeds disagree about both.
    static constexpr Known kKnown[] = {
        {"www.w3.org/2005/Atom", Ns::atom},
        {"purl.org/atom/ns", Ns::atom03},
        {"purl.org/rss/1.0/modules/content", Ns::content},
        {"purl.org/dc/elements/1.1", Ns::dc},
        {"purl.org/dc/terms", Ns::dcterms},
        {"search.yahoo.com/mrss", Ns::media},
        {"tools.search.yahoo.com/mrss", Ns::media},
        {"www.itunes.com/dtds/podcast-1.0.dtd", Ns::itunes},
        {"purl.org/rss/1.0/modules/syndication", Ns::sy},
        {"www.w3.org/1999/02/22-rdf-syntax-ns", Ns::rdf},
        {"purl.org/rss/1.0", Ns::rss10},
        {"my.netscape.com/rdf/simple/0.9", Ns::rss090},
        {"www.w3.org/1999/xhtml", Ns::xhtml},
        {"rssnamespace.org/feedburner/ext/1.0", Ns::feedburner},
        {"purl.org/rss/1.0/modules/slash", Ns::slash},
        {"www.georss.org/georss", Ns::georss},
    };
    auto u = strip_slash(uri);
    if (u.starts_with("http://")) u.remove_prefix(7);
    else if (u.starts_with("https://")) u.remove_prefix(8);
    // Case-insensitively: feeds write www.itunes.com/DTDs/PodCast-1.0.dtd and the like.
    for (const auto& k : kKnown)
        if (iequal(k.uri, u)) return k.ns;
    return Ns::other;
}

Ns ns_of_conventional_prefix(std::string_view p) {
    static constexpr std::pair<std::string_view, Ns> kPrefixes[] = {
        {"atom", Ns::atom},     {"content", Ns::content}, {"dc", Ns::dc},
        {"dcterms", Ns::dcterms}, {"media", Ns::media},   {"itunes", Ns::itunes},
        {"sy", Ns::sy},         {"rdf", Ns::rdf},         {"feedburner", Ns::feedburner},
        {"xhtml", Ns::xhtml},   {"slash", Ns::slash},     {"georss", Ns::georss},
        {"atom10", Ns::atom},   {"a10", Ns::atom}};
    for (const auto& [name, ns] : kPrefixes)
        if (name == p) return ns;
    return Ns::other;
}

Ns Names::declared_default(std::string_view uri) const {
    // xmlns="" takes the element out of any namespace (Namespaces in XML 1.0, 6.2).
    return uri.empty() ? Ns::none : ns_of(uri);
}

std::string_view Names::uri_of(XmlNode n) {
    const std::string_view name = n.name();
    const auto colon = name.find(':');
    std::string attr_name = "xmlns";
    if (colon != std::string_view::npos) attr_name.append(":").append(name.substr(0, colon));
    for (auto e = n; e; e = e.parent())
        if (const auto a = e.attribute(attr_name)) return a.value();
    return {};
}

Ns Names::prefix_ns(XmlNode n, std::string_view prefix) {
    for (const auto& [p, ns] : cache_)
        if (same(p, prefix)) return ns;
    char attr_name[80] = "xmlns:";
    Ns found = Ns::other;
    bool declared = false;
    if (prefix.size() < sizeof attr_name - 7) {
        std::memcpy(attr_name + 6, prefix.data(), prefix.size());
        const std::string_view wanted(attr_name, 6 + prefix.size());
        for (auto e = n; e && !declared; e = e.parent()) {
            if (const auto a = e.attribute(wanted)) {
                found = ns_of(a.value());
                declared = true;
            }
        }
    }
    if (!declared) {
        found = ns_of_conventional_prefix(prefix);
        if (prefix != "xml") guessed_ = true;
    }
    cache_.emplace_back(prefix, found);
    return found;
}

Name Names::of(XmlNode n, Ns parent_default) {
    const std::string_view name = n.name();
    // Names are short: a plain loop beats a call of memchr.
    for (std::size_t colon = 0; colon < name.size(); ++colon)
        if (name[colon] == ':') return {prefix_ns(n, name.substr(0, colon)), name.substr(colon + 1)};
    return {default_ns(n, parent_default), name};
}

Name Names::of_attribute(XmlNode owner, XmlAttr a) {
    const std::string_view name = a.name();
    const auto colon = name.find(':');
    if (colon == std::string_view::npos) return {Ns::none, name};
    return {prefix_ns(owner, name.substr(0, colon)), name.substr(colon + 1)};
}

bool single_text(XmlNode n, std::string_view& out) {
    const auto c = n.first_child();
    if (!c) {
        out = {};
        return true;
    }
    if (c.next_sibling() || (c.type() != NodeType::pcdata && c.type() != NodeType::cdata)) return false;
    out = c.value();
    return true;
}

bool has_element_child(XmlNode n) {
    for (auto c = n.first_child(); c; c = c.next_sibling())
        if (c.type() == NodeType::element) return true;
    return false;
}

void append_text(XmlNode n, std::string& out) {
    for (auto c = n.first_child(); c; c = c.next_sibling())
        if (c.type() == NodeType::pcdata || c.type() == NodeType::cdata) out += c.value();
}

std::string_view attr(XmlNode n, std::string_view name) { return n.attribute(name).value(); }

}  // namespace ww::feed
