#include "feed/identify.h"

#include <string_view>
#include <unordered_set>

#include "core/text.h"
#include "feed/url.h"

namespace ww::feed {

IdentityMode identity_mode(std::span<const Item> items) {
    std::unordered_set<std::string_view> seen;
    seen.reserve(items.size());
    bool any = false;
    for (const auto& item : items) {
        if (item.guid.empty()) continue;
        any = true;
        if (!seen.insert(item.guid).second) return IdentityMode::link;
    }
    return any || items.empty() ? IdentityMode::guid : IdentityMode::link;
}

std::string item_key(const Item& item, IdentityMode mode) {
    if (mode == IdentityMode::guid && !item.guid.empty()) {
        if (item.guid.size() > 512) return "guid#" + hex64(fnv1a64(item.guid));
        return "guid:" + item.guid;
    }
    if (!item.link.empty()) {
        auto link = canonical_url(item.link);
        if (link.size() > 512) return "link#" + hex64(fnv1a64(link));
        return "link:" + link;
    }
    // Separator byte 0x1F keeps ("ab","c") and ("a","bc") apart.
    std::uint64_t h = fnv1a64(item.title);
    h = fnv1a64("\x1f", h);
    h = fnv1a64(item.content.empty() ? item.summary : item.content, h);
    return "hash:" + hex64(h);
}

void assign_keys(std::span<Item> items) {
    const auto mode = identity_mode(items);
    for (auto& item : items) item.key = item_key(item, mode);
}

}  // namespace ww::feed
