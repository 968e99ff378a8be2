#include <nlohmann/json.hpp>

#include "core/text.h"
#include "feed/dates.h"
#include "feed/formats.h"
#include "feed/html_text.h"
#include "feed/url.h"

namespace ww::feed {
namespace {

using nlohmann::json;

std::string str(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    if (it->is_number()) return it->dump();
    return {};
}

// Deepest nesting of [ and { outside strings; nlohmann's parser would follow any depth.
std::size_t nesting(std::string_view s) {
    std::size_t depth = 0, max = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            max = std::max(max, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return max;
}

std::string cap(std::string s, std::size_t max) {
    if (s.size() > max) s.resize(utf8_prefix(s, max).size());
    return s;
}

void add_people(const json& j, std::vector<std::string>& out) {
    auto add = [&](const json& a) {
        if (!a.is_object()) return;
        auto name = str(a, "name");
        if (name.empty()) name = str(a, "url");
        if (!name.empty()) out.push_back(std::move(name));
    };
    if (const auto it = j.find("authors"); it != j.end() && it->is_array())
        for (const auto& a : *it) add(a);
    if (const auto it = j.find("author"); out.empty() && it != j.end()) add(*it);
}

}  // namespace

Result<Feed> read_json_feed(std::string_view text, const ParseOptions& options) {
    if (nesting(text) > options.max_depth)
        return fail("parse", "feed: JSON nested deeper than " + std::to_string(options.max_depth));
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail("parse", "feed: invalid JSON Feed");
    const auto version = str(j, "version");
    const bool versioned = version.starts_with("https://jsonfeed.org/version/") ||
                           version.starts_with("http://jsonfeed.org/version/");
    const auto items = j.find("items");
    const bool has_items = items != j.end() && items->is_array();
    if (!versioned && !has_items)
        return fail("not_a_feed", "feed: JSON that is not a JSON Feed (no version, no items)");
    Feed feed;
    feed.format = "json";
    feed.version = versioned ? version.substr(version.rfind('/') + 1) : version;
    if (!versioned) {
        feed.bozo = true;
        feed.bozo_reason = "JSON Feed without a jsonfeed.org version";
    }
    const auto max = options.max_text_bytes;
    feed.title = cap(fold_text(str(j, "title")), max);
    const std::string base = document_url(options);
    feed.link = resolve_url(base, str(j, "home_page_url"));
    feed.hints.self_url = resolve_url(base, str(j, "feed_url"));
    feed.description = cap(fold_text(str(j, "description")), max);
    feed.language = str(j, "language");
    if (const auto hubs = j.find("hubs"); hubs != j.end() && hubs->is_array())
        for (const auto& h : *hubs)
            if (h.is_object() && !str(h, "url").empty()) feed.hints.hubs.push_back(str(h, "url"));
    std::vector<std::string> feed_authors;
    add_people(j, feed_authors);
    if (!has_items) return feed;
    const std::string item_base = base.empty() ? feed.link : base;
    for (const auto& it : *items) {
        if (!it.is_object()) continue;
        if (feed.items.size() >= options.max_items) break;
        Item item;
        item.guid = str(it, "id");
        item.title = cap(fold_text(str(it, "title")), max);
        auto url = str(it, "url");
        if (url.empty()) url = str(it, "external_url");
        item.link = resolve_url(item_base, url);
        const auto html = str(it, "content_html");
        item.content = cap(html.empty() ? fold_text(str(it, "content_text")) : html_to_text(html), max);
        item.summary = cap(fold_text(str(it, "summary")), max);
        for (const auto* key : {"date_published", "date_modified"}) {
            const auto raw = str(it, key);
            auto& slot = key[5] == 'p' ? item.published : item.updated;
            if (raw.empty()) continue;
            slot = parse_date(raw);
            if (!slot) ++feed.bad_dates;
        }
        add_people(it, item.authors);
        if (item.authors.empty()) item.authors = feed_authors;
        if (const auto tags = it.find("tags"); tags != it.end() && tags->is_array())
            for (const auto& t : *tags)
                if (t.is_string()) item.categories.push_back(t.get<std::string>());
        if (const auto att = it.find("attachments"); att != it.end() && att->is_array()) {
            for (const auto& a : *att) {
                if (!a.is_object() || str(a, "url").empty()) continue;
                std::uint64_t size = 0;
                if (const auto s = a.find("size_in_bytes"); s != a.end() && s->is_number_unsigned())
                    size = s->get<std::uint64_t>();
                item.enclosures.push_back({resolve_url(item_base, str(a, "url")), str(a, "mime_type"), size});
            }
        }
        item.language = str(it, "language");
        if (item.language.empty()) item.language = feed.language;
        feed.items.push_back(std::move(item));
    }
    return feed;
}

}  // namespace ww::feed
