#pragma once

// Internal to the feed module: what the format readers share about XML (namespaces, text of an
// element) over the XmlTree they read.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "feed/xml_tree.h"

namespace ww::feed {

// The namespaces that carry news. Neither tree builder is namespace-aware, so prefixes are
// resolved here.
enum class Ns : std::uint8_t {
    none, atom, atom03, content, dc, dcterms, media, itunes, sy, rdf, rss10, rss090, xhtml,
    feedburner, slash, georss, other
};

Ns ns_of_uri(std::string_view uri);
// What a prefix conventionally means, for feeds that use it without declaring it.
Ns ns_of_conventional_prefix(std::string_view prefix);

struct Name {
    Ns ns;
    std::string_view local;
};

// Resolves element names to (namespace, local name). A prefix is looked up on the element's
// ancestors the first time it is met and cached: feeds declare prefixes once, at the top.
class Names {
public:
    // The default namespace in force inside n, given its parent's.
    Ns default_ns(XmlNode n, Ns parent_default) {
        const auto a = n.attribute("xmlns");
        return a ? declared_default(a.value()) : parent_default;  // inline: every element asks
    }
    Name of(XmlNode n, Ns parent_default);
    Name of_attribute(XmlNode owner, XmlAttr a);
    // A prefix was used without a declaration (the reader guessed from convention).
    bool guessed() const { return guessed_; }
    // Names in namespace `uri` resolve to `ns` from now on: a feed whose root sits in a
    // namespace we do not know (Userland's RSS, an old Atom draft) is read by local name.
    // The URI keeps its identity: other unknown namespaces still resolve to Ns::other.
    void read_as(std::string_view uri, Ns ns) {
        alias_uri_ = uri;
        alias_ns_ = ns;
    }
    // The URI of n's own namespace (its prefix's declaration, or the default in scope).
    static std::string_view uri_of(XmlNode n);

private:
    Ns prefix_ns(XmlNode n, std::string_view prefix);
    Ns declared_default(std::string_view uri) const;
    Ns ns_of(std::string_view uri) const {
        return !alias_uri_.empty() && uri == alias_uri_ ? alias_ns_ : ns_of_uri(uri);
    }
    std::string alias_uri_;
    Ns alias_ns_ = Ns::none;
    // Owned prefixes: documents parsed for salvage_items die before this cache does.
    std::vector<std::pair<std::string, Ns>> cache_;
    bool guessed_ = false;
};

// The character data directly inside n (text and CDATA pieces joined), appended to out.
void append_text(XmlNode n, std::string& out);
// The value of n's only child when it is one text or CDATA piece (no copy needed).
bool single_text(XmlNode n, std::string_view& out);
bool has_element_child(XmlNode n);
std::string_view attr(XmlNode n, std::string_view name);

}  // namespace ww::feed
