#pragma once

// Internal to the feed module: the general entities a DOCTYPE's internal subset declares
// (`<!DOCTYPE rss [<!ENTITY id "tag:example.com,">]>`), expanded before either XML builder
// reads the document, so that both read the same text. Neither builder processes DTDs.

#include <cstddef>
#include <string>
#include <string_view>

namespace ww::feed {

enum class EntityExpansion {
    none,      // no internal entity is declared or used: read the body as it is
    expanded,  // `out` holds the body with every declared internal entity replaced
    refused,   // over the limits (billion laughs), or a cycle: read the body as it is
};

struct ExpansionResult {
    EntityExpansion outcome = EntityExpansion::none;
    std::string reason;  // for the bozo reason when refused
};

// `prolog`: the bytes before the root element; `body`: from the root on. External entities
// (SYSTEM, PUBLIC) and parameter entities are never read: their references stay as written.
// An entity's replacement text may not exceed `max_bytes`, nor may the expansion grow the
// document by more than that, nor may entities nest more than a few levels.
ExpansionResult expand_internal_entities(std::string_view prolog, std::string_view body,
                                         std::size_t max_bytes, std::string& out);

}  // namespace ww::feed
