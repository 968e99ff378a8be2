#include "app/policy.h"

#include <map>

#include <nlohmann/json.hpp>

#include "core/alert.h"
#include "core/text.h"
#include "core/time.h"

namespace ww::app {

using nlohmann::json;

Disposition decide(const WatchlistPolicy& policy, std::optional<SysSeconds> window_until, SysSeconds now,
                   std::optional<SysSeconds> pending_summary_due) {
    if (policy.immediate()) return {};
    if (policy.digest) {
        const ZoneRules utc = utc_zone();
        const ZoneRules& zone = policy.digest_zone ? *policy.digest_zone : utc;
        return {true, std::string(kHoldDigest), next_digest_at(*policy.digest, zone, now), std::nullopt};
    }
    if (window_until && *window_until > now) return {true, std::string(kHoldCooldown), *window_until, std::nullopt};
    if (pending_summary_due) return {true, std::string(kHoldCooldown), *pending_summary_due, std::nullopt};
    return {false, {}, {}, now + *policy.cooldown};
}

SummaryPlan plan_summary(const DueGroup& group, const WatchlistPolicy* policy, SysSeconds now) {
    SummaryPlan plan;
    const bool digest = group.kind == kHoldDigest;
    plan.topic = (digest ? "digest." : "alert.") + group.watchlist;
    // Keyed by the group, never by the time of emission: the same group emitted twice (a retry
    // after a failed commit) collides on the alerts table's unique alert_id.
    plan.alert_id = make_alert_id(group.watchlist, "wirewatch:" + group.kind,
                                  std::to_string(group.due_at.time_since_epoch().count()));
    // The summary is the period's one alert for its successor: a cooldown restarts with it, so
    // that a steady stream of matches becomes one summary per period.
    if (!digest && policy && policy->cooldown && policy->priority != Priority::high)
        plan.window_until = now + *policy->cooldown;
    return plan;
}

namespace {

struct EntryView {
    std::string title, link, feed, alert_id, detected_at;
    std::optional<std::string> story_id;
    std::int64_t story_sources = 0;
};

EntryView view_of(const HeldEntry& e) {
    EntryView v;
    const json j = json::parse(e.envelope, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return v;
    auto text = [](const json& o, const char* key) {
        return o.is_object() && o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : std::string();
    };
    const json& item = j.contains("item") ? j["item"] : json();
    v.title = text(item, "title");
    v.link = text(item, "link");
    v.feed = text(j.contains("feed") ? j["feed"] : json(), "title");
    v.alert_id = text(j, "alert_id");
    v.detected_at = text(j, "detected_at");
    // `story: {id, sources}` comes from story clustering when it is wired in; an id may be a
    // number or a string.
    if (j.contains("story") && j["story"].is_object()) {
        const json& s = j["story"];
        if (s.contains("id") && (s["id"].is_string() || s["id"].is_number()))
            v.story_id = s["id"].is_string() ? s["id"].get<std::string>() : s["id"].dump();
        if (s.contains("sources") && s["sources"].is_number_integer()) v.story_sources = s["sources"].get<std::int64_t>();
    }
    return v;
}

json item_json(const EntryView& v) {
    return {{"title", v.title}, {"link", v.link}, {"feed", v.feed}, {"alert_id", v.alert_id},
            {"detected_at", v.detected_at}};
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

std::string render_summary(const DueGroup& group, std::string_view query, std::string_view alert_id,
                           std::int64_t seq, SysSeconds now) {
    const bool digest = group.kind == kHoldDigest;
    std::vector<EntryView> views;
    views.reserve(group.entries.size());
    for (const auto& e : group.entries) views.push_back(view_of(e));

    json entries = json::array();
    std::string lines;
    std::size_t stories = 0;
    if (digest) {
        // One entry per story, in the order stories first matched; a match without a story id
        // is its own story with one source.
        std::map<std::string, std::size_t> by_story;
        for (const auto& v : views) {
            std::size_t index = entries.size();
            if (v.story_id) {
                const auto [it, fresh] = by_story.emplace(*v.story_id, entries.size());
                index = it->second;
                if (!fresh) {
                    auto& entry = entries[index];
                    entry["items"].push_back(item_json(v));
                    entry["sources"] = std::max<std::int64_t>({entry["sources"].get<std::int64_t>(),
                                                               std::int64_t(entry["items"].size()), v.story_sources});
                    continue;
                }
            }
            entries.push_back({{"story_id", v.story_id ? json(*v.story_id) : json(nullptr)},
                               {"title", v.title},
                               {"link", v.link},
                               {"sources", std::max<std::int64_t>(1, v.story_sources)},
                               {"items", json::array({item_json(v)})}});
        }
        stories = entries.size();
        for (const auto& e : entries)
            lines += "- " + e["title"].get<std::string>() + " (" +
                     plural(std::size_t(e["sources"].get<std::int64_t>()), "source", "sources") + ") " +
                     e["link"].get<std::string>() + "\n";
    } else {
        for (const auto& v : views) {
            entries.push_back(item_json(v));
            if (v.story_id) entries.back()["story"] = {{"id", *v.story_id}, {"sources", v.story_sources}};
            lines += "- " + v.title + " " + v.link + "\n";
        }
    }
    const std::string title =
        digest ? "Digest for " + group.watchlist + ": " + plural(stories, "story", "stories") + ", " +
                     plural(views.size(), "match", "matches")
               : plural(views.size(), "more match", "more matches") + " for " + group.watchlist;
    json summary = {{"kind", group.kind},
                    {"count", views.size()},
                    {"due_at", format_rfc3339(group.due_at)},
                    {"entries", std::move(entries)}};
    if (digest) summary["stories"] = stories;
    json envelope = {
        {"v", kEnvelopeVersion},
        {"seq", seq},
        {"alert_id", alert_id},
        {"detected_at", format_rfc3339(now)},
        {"watchlist", {{"name", group.watchlist}, {"query", query}}},
        {"feed", {{"id", 0}, {"title", "wirewatch"}, {"url", ""}}},
        {"item",
         {{"key", std::string(group.kind) + ":" + std::to_string(group.due_at.time_since_epoch().count())},
          {"title", title},
          {"link", views.empty() ? std::string() : views.front().link},
          {"published", ""},
          {"authors", json::array()},
          {"categories", json::array()},
          {"summary", std::string(utf8_prefix(lines, kEnvelopeSummaryBytes))},
          {"language", ""}}},
        {"match", {{"terms", json::array()}, {"fields", json::array()}, {"snippet", ""}}},
        {"summary", std::move(summary)},
    };
    return envelope.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace ww::app
