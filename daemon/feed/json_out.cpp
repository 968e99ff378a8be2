#include "feed/json_out.h"

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace ww::feed {
namespace {

using Json = nlohmann::ordered_json;

void put(Json& j, const char* key, const std::string& value) {
    if (!value.empty()) j[key] = value;
}

void put(Json& j, const char* key, const std::vector<std::string>& values) {
    if (!values.empty()) j[key] = values;
}

void put(Json& j, const char* key, const std::optional<SysSeconds>& t) {
    if (t) j[key] = format_rfc3339(*t);
}

}  // namespace

std::string feed_to_json(const Feed& feed, int indent) {
    Json j;
    j["format"] = feed.format;
    j["version"] = feed.version;
    j["bozo"] = feed.bozo;
    j["bozo_reason"] = feed.bozo_reason;
    j["encoding"] = feed.encoding;
    j["title"] = feed.title;
    j["link"] = feed.link;
    j["description"] = feed.description;
    j["language"] = feed.language;
    j["updated"] = feed.updated ? format_rfc3339(*feed.updated) : std::string();
    j["ttl_seconds"] = feed.hints.ttl_seconds;
    Json items = Json::array();
    for (const auto& item : feed.items) {
        Json i;
        i["key"] = item.key;
        put(i, "guid", item.guid);
        put(i, "title", item.title);
        put(i, "link", item.link);
        put(i, "published", item.published);
        put(i, "updated", item.updated);
        put(i, "authors", item.authors);
        put(i, "categories", item.categories);
        put(i, "summary", item.summary);
        put(i, "content", item.content);
        if (!item.enclosures.empty()) {
            Json list = Json::array();
            for (const auto& e : item.enclosures) {
                Json je;
                je["url"] = e.url;
                if (!e.type.empty()) je["type"] = e.type;
                if (e.length) je["length"] = e.length;
                list.push_back(std::move(je));
            }
            i["enclosures"] = std::move(list);
        }
        put(i, "language", item.language);
        items.push_back(std::move(i));
    }
    j["items"] = std::move(items);
    // Text is valid UTF-8 by construction; "replace" keeps a stray byte from throwing anyway.
    return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace ww::feed
