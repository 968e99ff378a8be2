#pragma once

#include <span>
#include <string>

#include "core/item.h"

namespace ww::feed {

// How a feed's items are told apart (DESIGN.md section 1, "identify").
enum class IdentityMode {
    guid,  // guid/id first, then canonical link, then a content hash
    link,  // the feed's guids are broken (repeated, or all empty): link first, then hash
};

// Pure: link mode when any non-empty guid occurs twice, or when no item has a guid.
// Items whose own guid is missing in an otherwise healthy feed fall back item by item, so one
// sloppy item does not re-key (and re-alert) the whole feed.
IdentityMode identity_mode(std::span<const Item> items);

// The key of one item under a mode: "guid:<guid>", "link:<canonical link>" or
// "hash:<16 hex digits of title and content>". Guids longer than 512 bytes are hashed.
std::string item_key(const Item& item, IdentityMode mode);

// Fills Item::key for every item of a feed.
void assign_keys(std::span<Item> items);

}  // namespace ww::feed
