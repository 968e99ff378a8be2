#pragma once

#include <cstddef>
#include <string_view>

namespace ww::feed {

enum class Format { rss, rdf, atom, json, html, unknown };

struct Detected {
    Format format = Format::unknown;
    std::size_t root_offset = 0;  // where the document really starts (after junk, if any)
    bool junk = false;            // bytes that are not markup came before the root
};

// By content only, never by file name or Content-Type: the first element (or '{') decides.
Detected detect_format(std::string_view text);

// The format of an XML root element name ("rss", "rdf:RDF", "feed", ...), unknown otherwise.
Format format_of_root(std::string_view qualified_name);

}  // namespace ww::feed
