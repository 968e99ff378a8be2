#include "story/identity.h"

#include "core/text.h"
#include "story/link.h"

namespace ww::story {

std::uint64_t text_hash(std::string_view title, std::string_view text) {
    std::string canonical;
    canonical.reserve(title.size() + text.size() + 1);
    auto append = [&](std::string_view s) {
        bool space = false;
        for (const char c : s) {
            if (static_cast<unsigned char>(c) <= ' ') {
                space = true;
                continue;
            }
            if (space && !canonical.empty() && canonical.back() != '\x1f') canonical += ' ';
            space = false;
            canonical += c;
        }
    };
    append(title);
    canonical += '\x1f';  // the title/text boundary counts: "a b" + "" differs from "a" + "b"
    append(text);
    const auto h = fnv1a64(canonical);
    return h == 0 ? 1 : h;  // 0 is reserved for "unknown"
}

bool same_item(const ItemFacts& stored, const ItemFacts& fresh) {
    if (!stored.guid.empty() && stored.guid == fresh.guid) return true;
    const auto stored_link = link_key(stored.link);
    if (stored_link.empty() || stored_link != link_key(fresh.link)) return false;
    return stored.text_hash != 0 && stored.text_hash == fresh.text_hash;
}

bool is_edit(std::uint64_t stored_hash, std::uint64_t fresh_hash) {
    return stored_hash != 0 && fresh_hash != 0 && stored_hash != fresh_hash;
}

}  // namespace ww::story
