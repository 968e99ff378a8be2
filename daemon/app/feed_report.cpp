#include "app/feed_report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/error_hints.h"
#include "app/websub.h"
#include "core/duration.h"
#include "core/text.h"
#include "core/time.h"
#include "core/url.h"

namespace ww::app {
namespace {

std::string when(const std::optional<SysSeconds>& t) { return t ? format_rfc3339(*t) : ""; }

const store::Subscription* subscription_of(const std::vector<store::Subscription>& subs, std::int64_t feed_id) {
    for (const auto& s : subs)
        if (s.feed_id == feed_id) return &s;
    return nullptr;
}

const config::FeedConfig* configured_of(const std::vector<config::FeedConfig>& configured,
                                       const store::FeedState& f) {
    for (const auto& c : configured)
        if (c.url == f.config_url) return &c;
    return nullptr;
}

std::string configured_interval(const config::FeedConfig& c) {
    return c.interval ? format_duration(*c.interval) : std::string("auto");
}

}  // namespace

std::string feed_label(const config::FeedConfig& feed) {
    return feed.name != feed.url ? feed.name : redact_url(feed.url);
}

std::string feeds_json(const std::vector<store::FeedState>& feeds) { return feeds_json(feeds, {}); }

std::string feeds_table(const std::vector<store::FeedState>& feeds) { return feeds_table(feeds, {}); }

std::string feeds_json(const std::vector<store::FeedState>& feeds, const std::vector<store::Subscription>& subs,
                       const std::vector<config::FeedConfig>& configured) {
    auto out = nlohmann::json::array();
    for (const auto& f : feeds) {
        out.push_back({
            {"id", f.id},
            {"config_url", redact_url(f.config_url)},
            {"url", redact_url(f.url)},
            {"status", f.status},
            {"last_success", when(f.last_success_at)},
            {"last_attempt", when(f.last_attempt_at)},
            {"last_error", redact_urls_in(f.last_error)},
            {"last_error_kind", f.last_error_kind},
            {"error_streak", f.error_streak},
            {"next_check", when(f.next_check_at)},
            {"learned_interval_s", f.learned_interval_s},
            {"items_seen", f.items_seen},
        });
        if (!f.last_error_kind.empty()) out.back()["last_error_hint"] = std::string(hint_for(f.last_error_kind));
        if (const auto* c = configured_of(configured, f)) {
            out.back()["name"] = feed_label(*c);
            out.back()["interval"] = configured_interval(*c);
        }
        // The secret stays in the database: it signs pushes and is nobody's business here.
        if (const auto* sub = subscription_of(subs, f.id))
            out.back()["push"] = {{"state", push_state(*sub, now_seconds())}, {"hub", redact_url(sub->hub)},
                                  {"topic", redact_url(sub->topic)}, {"expires", when(sub->expires_at)},
                                  {"last_error", redact_urls_in(sub->last_error)}};
        else
            out.back()["push"] = nullptr;
    }
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string feeds_table(const std::vector<store::FeedState>& feeds, const std::vector<store::Subscription>& subs,
                        const std::vector<config::FeedConfig>& configured) {
    // The PUSH column appears only with WebSub in use, so that the table stays as it was without.
    const bool push = !subs.empty();
    const auto push_of = [&](const store::FeedState& f) -> std::string {
        if (!push) return "";
        const auto* sub = subscription_of(subs, f.id);
        return fmt::format("{:<13} ", sub ? push_state(*sub, now_seconds()) : "-");
    };
    // With the config: a NAME column, and INTERVAL as configured/learned ("auto/12m", "10m/-").
    const bool named = !configured.empty();
    const std::string indent(75 + (push ? 14 : 0) + (named ? 32 : 0), ' ');
    std::string out = fmt::format("{}{:<6} {:<20} {:<20} {:>6} {:>{}} {:>8}  {}{}\n", named ? fmt::format("{:<24} ", "NAME") : "",
                                  "STATUS", "LAST SUCCESS", "NEXT CHECK", "ERRORS", "INTERVAL", named ? 15 : 8, "SEEN",
                                  push ? "PUSH          " : "", "URL / LAST ERROR");
    for (const auto& f : feeds) {
        auto interval = f.learned_interval_s > 0 ? format_duration(std::chrono::seconds(f.learned_interval_s))
                                                 : std::string("-");
        std::string name;
        if (named) {
            const auto* c = configured_of(configured, f);
            if (c) interval = configured_interval(*c) + "/" + interval;
            name = fmt::format("{:<24} ", c ? utf8_prefix(feed_label(*c), 24) : "-");
        }
        out += fmt::format("{}{:<6} {:<20} {:<20} {:>6} {:>{}} {:>8}  {}{}\n", name, f.status,
                           when(f.last_success_at), when(f.next_check_at), f.error_streak, interval, named ? 15 : 8,
                           f.items_seen, push_of(f), redact_url(f.url));
        if (f.url != f.config_url)
            out += fmt::format("{}  (configured as {})\n", indent, redact_url(f.config_url));
        if (!f.last_error.empty()) {
            out += fmt::format("{}  {}: {}\n", indent, f.last_error_kind, redact_urls_in(f.last_error));
            if (const auto hint = hint_for(f.last_error_kind); !hint.empty())
                out += fmt::format("{}  hint: {}\n", indent, hint);
        }
        if (const auto* sub = push ? subscription_of(subs, f.id) : nullptr; sub && !sub->last_error.empty())
            out += fmt::format("{}  push: {}\n", indent, redact_urls_in(sub->last_error));
    }
    return out;
}

}  // namespace ww::app
