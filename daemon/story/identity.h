#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ww::story {

// What the rules below need to know of a stored or a fresh item.
struct ItemFacts {
    std::string guid;          // as published; may be empty
    std::string link;          // canonical_link() of the item; may be empty
    std::uint64_t text_hash = 0;  // text_hash() of its title and text; 0 = unknown
};

// A hash of an item's visible text that ignores what publishers change without editing:
// runs of whitespace, leading and trailing space. Stable across releases (it is stored).
std::uint64_t text_hash(std::string_view title, std::string_view text);

// Whether a fresh item is a re-publication of a stored one. The same non-empty guid is the same
// item (whatever else changed: that is an edit). A changed guid with the same canonical link and
// the same text is the same item too: CMSs re-key items on migration or re-save (WordPress,
// Medium, DW) without touching the article.
bool same_item(const ItemFacts& stored, const ItemFacts& fresh);

// Whether a known item's text changed. Hash 0 means the stored row predates text hashes: not
// an edit, so an upgrade does not re-announce every item.
bool is_edit(std::uint64_t stored_hash, std::uint64_t fresh_hash);

}  // namespace ww::story
