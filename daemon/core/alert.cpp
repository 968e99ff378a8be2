#include "core/alert.h"

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "core/time.h"

namespace ww {

using nlohmann::json;

std::string alert_topic(std::string_view watchlist) { return "alert." + std::string(watchlist); }

std::string make_alert_id(std::string_view watchlist, std::string_view feed_url,
                          std::string_view item_key) {
    // Two independent 64-bit hashes give a 128-bit id: collisions would merge two alerts at a
    // receiver that deduplicates, so 64 bits alone are too few for a long-lived log.
    std::string joined;
    joined.reserve(watchlist.size() + feed_url.size() + item_key.size() + 2);
    joined.append(watchlist).push_back('\0');
    joined.append(feed_url).push_back('\0');
    joined.append(item_key);
    return hex64(fnv1a64(joined)) + hex64(fnv1a64(joined, 0x84222325cbf29ce4ull));
}

std::string to_envelope_json(const Alert& a) {
    json item = {
        {"key", a.item.key},
        {"title", a.item.title},
        {"link", a.item.link},
        {"published", a.item.published ? format_rfc3339(*a.item.published) : ""},
        {"authors", a.item.authors},
        {"categories", a.item.categories},
        {"summary", std::string(utf8_prefix(a.item.summary, kEnvelopeSummaryBytes))},
        {"language", a.item.language},
    };
    json envelope = {
        {"v", kEnvelopeVersion},
        {"seq", a.seq},
        {"alert_id", a.alert_id},
        {"detected_at", format_rfc3339(a.detected_at)},
        {"watchlist", {{"name", a.watchlist}, {"query", a.query}}},
        {"feed", {{"id", a.feed.id}, {"title", a.feed.title}, {"url", a.feed.url}}},
        {"item", std::move(item)},
        {"match",
         {{"terms", a.match.terms}, {"fields", a.match.fields}, {"snippet", a.match.snippet}}},
    };
    if (a.story) envelope["story"] = {{"id", a.story->id}, {"sources", a.story->sources}};
    // Replace, never throw, on text that is not UTF-8: a feed's bytes must not stop an alert.
    return envelope.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string story_topic(std::string_view watchlist) { return "story." + std::string(watchlist); }

std::string to_event_json(const StoryEvent& e) {
    json event = {
        {"v", kEnvelopeVersion},
        {"seq", e.seq},
        {"type", e.type},
        {"event_id", e.event_id},
        {"alert_id", e.alert_id},
        {"detected_at", format_rfc3339(e.detected_at)},
        {"watchlist", {{"name", e.watchlist}}},
        {"feed", {{"id", e.feed.id}, {"title", e.feed.title}, {"url", e.feed.url}}},
        {"item",
         {{"key", e.item.key},
          {"title", e.item.title},
          {"link", e.item.link},
          {"published", e.item.published ? format_rfc3339(*e.item.published) : ""}}},
    };
    event["story"] = {{"id", e.alert_id}};
    if (e.sources > 0) event["story"]["sources"] = e.sources;  // 0: the story is no longer open
    if (e.type == kItemUpdated) event["previous"] = {{"title", e.previous_title}};
    return event.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Alert> parse_envelope(std::string_view text) {
    const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return fail("envelope", "envelope: not a JSON object");
    try {
        Alert a;
        if (j.value("v", 0) != kEnvelopeVersion)
            return fail("envelope", "envelope: unsupported version " + j.value("v", json()).dump());
        a.seq = j.at("seq").get<std::int64_t>();
        a.alert_id = j.value("alert_id", "");
        if (auto t = parse_rfc3339(j.value("detected_at", ""))) a.detected_at = *t;
        const auto& w = j.at("watchlist");
        a.watchlist = w.value("name", "");
        a.query = w.value("query", "");
        const auto& f = j.at("feed");
        a.feed.id = f.value("id", std::int64_t{0});
        a.feed.title = f.value("title", "");
        a.feed.url = f.value("url", "");
        const auto& i = j.at("item");
        a.item.key = i.value("key", "");
        a.item.title = i.value("title", "");
        a.item.link = i.value("link", "");
        a.item.published = parse_rfc3339(i.value("published", ""));
        a.item.authors = i.value("authors", std::vector<std::string>{});
        a.item.categories = i.value("categories", std::vector<std::string>{});
        a.item.summary = i.value("summary", "");
        a.item.language = i.value("language", "");
        if (j.contains("match")) {
            const auto& m = j.at("match");
            a.match.terms = m.value("terms", std::vector<std::string>{});
            a.match.fields = m.value("fields", std::vector<std::string>{});
            a.match.snippet = m.value("snippet", "");
        }
        if (const auto s = j.find("story"); s != j.end() && s->is_object())
            a.story = AlertStory{s->value("id", ""), s->value("sources", std::uint32_t{1})};
        return a;
    } catch (const json::exception& e) {
        return fail("envelope", std::string("envelope: ") + e.what());
    }
}

}  // namespace ww
