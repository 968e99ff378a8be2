#pragma once

// Internal to the feed module: pugixml stays behind this header and the format readers.

#include <pugixml.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ww::feed {

// The namespaces that carry news. pugixml is not namespace-aware, so prefixes are resolved here.
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
    Ns default_ns(pugi::xml_node n, Ns parent_default);
    Name of(pugi::xml_node n, Ns parent_default);
    Name of_attribute(pugi::xml_node owner, pugi::xml_attribute a);
    // A prefix was used without a declaration (the reader guessed from convention).
    bool guessed() const { return guessed_; }

private:
    Ns prefix_ns(pugi::xml_node n, std::string_view prefix);
    // Owned prefixes: documents parsed for salvage_items die before this cache does.
    std::vector<std::pair<std::string, Ns>> cache_;
    bool guessed_ = false;
};

// The character data directly inside n (text and CDATA pieces joined), appended to out.
void append_text(pugi::xml_node n, std::string& out);
// n's children serialised back to markup, appended to out.
void append_markup(pugi::xml_node n, std::string& out);
// The value of n's only child when it is one text or CDATA piece (no copy needed).
bool single_text(pugi::xml_node n, std::string_view& out);
bool has_element_child(pugi::xml_node n);
std::string_view attr(pugi::xml_node n, const char* name);

}  // namespace ww::feed
