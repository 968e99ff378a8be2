#pragma once

#include <cstddef>
#include <string_view>

#include "core/error.h"
#include "core/item.h"

namespace ww::feed {

struct ParseOptions {
    std::string_view content_type;  // HTTP Content-Type, may be empty
    std::string_view url;           // the fetched (final) URL: the last base for relative links
    // HTTP Content-Location, may be empty: the document's own URL when the server names one,
    // resolved against `url`; it then replaces `url` as the base (RFC 9110 8.7, as feedparser).
    std::string_view content_location;
    std::size_t max_depth = 256;
    std::size_t max_elements = 2'000'000;
    std::size_t max_items = 10'000;
    std::size_t max_text_bytes = 1 << 20;  // per text field, after HTML is reduced
    // false: every XML document goes through pugixml's DOM, the path for lenient input, even
    // when it is well-formed (for comparing the two paths; the output must not differ).
    bool fast_xml = true;
};

// Bytes and HTTP headers -> Feed with plain-text fields and item keys assigned.
// Errors: kind "not_a_feed" (HTML page, empty, unknown root) or "parse" (nothing recoverable).
// A document read leniently comes back with bozo = true and a reason.
Result<Feed> parse(std::string_view body, const ParseOptions& options);

}  // namespace ww::feed
