#include "app/policy.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/pipeline.h"
#include "app/reload.h"
#include "core/time.h"

namespace ww::app {
namespace {

using namespace std::chrono_literals;

SysSeconds at(const char* s) { return *parse_rfc3339(s); }

WatchlistPolicy cooldown(std::chrono::seconds d) { return {d, std::nullopt, nullptr, Priority::normal}; }
WatchlistPolicy digest(const char* spec) {
    auto d = parse_digest(spec);
    EXPECT_TRUE(d.has_value()) << spec;
    auto zone = load_zone(d->zone);
    return {std::nullopt, *d, zone ? *zone : nullptr, Priority::normal};
}
WatchlistPolicy high(WatchlistPolicy p) {
    p.priority = Priority::high;
    return p;
}

TEST(Decide, Table) {
    const auto now = at("2026-11-27T10:00:00Z");
    struct Case {
        const char* name;
        WatchlistPolicy policy;
        std::optional<SysSeconds> window;
        std::optional<SysSeconds> pending;  // a summary not out yet
        bool hold;
        std::string kind;
        std::optional<SysSeconds> due;
        std::optional<SysSeconds> opens;
    } cases[] = {
        {"no policy sends", {}, std::nullopt, std::nullopt, false, "", std::nullopt, std::nullopt},
        {"cooldown, no window: send and open", cooldown(10min), std::nullopt, std::nullopt, false, "", std::nullopt, now + 10min},
        {"cooldown, window over: send and reopen", cooldown(10min), now - 1s, std::nullopt, false, "", std::nullopt, now + 10min},
        {"cooldown, window ends now: send", cooldown(10min), now, std::nullopt, false, "", std::nullopt, now + 10min},
        {"cooldown, window open: hold to its end", cooldown(10min), now + 3min, std::nullopt, true, "cooldown", now + 3min, std::nullopt},
        {"cooldown, window over, summary not out: join it", cooldown(10min), now - 1s, now - 1s, true, "cooldown", now - 1s, std::nullopt},
        {"high bypasses cooldown, window untouched", high(cooldown(10min)), now + 3min, std::nullopt, false, "", std::nullopt, std::nullopt},
        {"hourly digest holds to the hour", digest("hourly"), std::nullopt, std::nullopt, true, "digest", at("2026-11-27T11:00:00Z"), std::nullopt},
        {"daily digest in Berlin", digest("daily 08:00 Europe/Berlin"), std::nullopt, std::nullopt, true, "digest",
         at("2026-11-28T07:00:00Z"), std::nullopt},
        {"high bypasses digest", high(digest("hourly")), std::nullopt, std::nullopt, false, "", std::nullopt, std::nullopt},
    };
    for (const auto& c : cases) {
        const auto d = decide(c.policy, c.window, now, c.pending);
        EXPECT_EQ(d.hold, c.hold) << c.name;
        EXPECT_EQ(d.kind, c.kind) << c.name;
        if (c.due) {
            EXPECT_EQ(d.due_at, *c.due) << c.name;
        }
        EXPECT_EQ(d.window_until, c.opens) << c.name;
    }
}

TEST(PlanSummary, TopicIdAndNextWindow) {
    const auto now = at("2026-11-27T10:10:05Z");
    const auto policy = cooldown(10min);
    DueGroup g{"tariffs", "cooldown", at("2026-11-27T10:10:00Z"), {}};
    const auto p = plan_summary(g, &policy, now);
    EXPECT_EQ(p.topic, "alert.tariffs");
    EXPECT_EQ(p.window_until, now + 10min);
    EXPECT_EQ(p.alert_id, plan_summary(g, &policy, now + 1h).alert_id) << "stable per group, not per emission";
    DueGroup later = g;
    later.due_at += 10min;
    EXPECT_NE(p.alert_id, plan_summary(later, &policy, now).alert_id);

    const auto d = digest("hourly");
    DueGroup dg{"tariffs", "digest", at("2026-11-27T11:00:00Z"), {}};
    const auto dp = plan_summary(dg, &d, now);
    EXPECT_EQ(dp.topic, "digest.tariffs");
    EXPECT_FALSE(dp.window_until.has_value());
    EXPECT_NE(dp.alert_id, p.alert_id);
    EXPECT_FALSE(plan_summary(g, nullptr, now).window_until.has_value()) << "a removed watchlist opens no window";
}

std::string match_envelope(const char* title, const char* link, const char* story_id = nullptr, int sources = 1) {
    nlohmann::json j = {{"v", 1}, {"seq", 0}, {"alert_id", std::string("id-") + title},
                        {"detected_at", "2026-11-27T10:01:00Z"},
                        {"feed", {{"id", 1}, {"title", "Wire"}, {"url", "http://x"}}},
                        {"item", {{"title", title}, {"link", link}}}};
    if (story_id) j["story"] = {{"id", story_id}, {"sources", sources}};
    return j.dump();
}

TEST(RenderSummary, CooldownListsEveryHeldMatch) {
    DueGroup g{"tariffs", "cooldown", at("2026-11-27T10:10:00Z"), {}};
    for (int i = 0; i < 7; ++i)
        g.entries.push_back({i + 1, match_envelope(("Title " + std::to_string(i)).c_str(), "http://l"), {}});
    const auto j = nlohmann::json::parse(render_summary(g, "tariff*", "sid", 42, at("2026-11-27T10:10:01Z")));
    EXPECT_EQ(j["v"], 1);
    EXPECT_EQ(j["seq"], 42);
    EXPECT_EQ(j["item"]["title"], "7 more matches for tariffs");
    EXPECT_EQ(j["watchlist"]["query"], "tariff*");
    EXPECT_EQ(j["summary"]["kind"], "cooldown");
    EXPECT_EQ(j["summary"]["count"], 7);
    ASSERT_EQ(j["summary"]["entries"].size(), 7u);
    EXPECT_EQ(j["summary"]["entries"][3]["title"], "Title 3");
    EXPECT_EQ(j["summary"]["entries"][3]["link"], "http://l");
    EXPECT_NE(j["item"]["summary"].get<std::string>().find("Title 6"), std::string::npos);
}

TEST(RenderSummary, DigestGroupsByStoryAndCountsSources) {
    DueGroup g{"china", "digest", at("2026-11-28T07:00:00Z"), {}};
    g.entries = {{1, match_envelope("Pact signed", "http://a", "s1", 1), {}},
                 {2, match_envelope("Unrelated", "http://b"), {}},
                 {3, match_envelope("Pact signed, says Reuters", "http://c", "s1", 3), {}},
                 {4, match_envelope("Another", "http://d"), {}}};
    const auto j = nlohmann::json::parse(render_summary(g, "q", "did", 9, at("2026-11-28T07:00:00Z")));
    EXPECT_EQ(j["item"]["title"], "Digest for china: 3 stories, 4 matches");
    EXPECT_EQ(j["summary"]["stories"], 3);
    const auto& e = j["summary"]["entries"];
    ASSERT_EQ(e.size(), 3u);
    EXPECT_EQ(e[0]["story_id"], "s1");
    EXPECT_EQ(e[0]["sources"], 3);  // the envelope's own count when it is the larger
    EXPECT_EQ(e[0]["items"].size(), 2u);
    EXPECT_TRUE(e[1]["story_id"].is_null());
    EXPECT_EQ(e[1]["sources"], 1);
    EXPECT_EQ(e[2]["title"], "Another");
}

TEST(RenderSummary, OneMatchIsSingular) {
    DueGroup g{"w", "cooldown", at("2026-11-27T10:10:00Z"), {{1, match_envelope("T", "http://l"), {}}}};
    const auto j = nlohmann::json::parse(render_summary(g, "", "x", 1, at("2026-11-27T10:10:00Z")));
    EXPECT_EQ(j["item"]["title"], "1 more match for w");
}

TEST(PolicyHook, OnlyWatchlistsWithAPolicyGetOne) {
    config::WatchlistConfig plain, cooled, urgent;
    plain.name = "plain";
    plain.query = "tariffs";
    cooled = plain;
    cooled.name = "cooled";
    cooled.cooldown = 10min;
    urgent = cooled;
    urgent.name = "urgent";
    urgent.priority = Priority::high;
    const auto compiled = compile_watchlists({plain, cooled, urgent}, {});
    ASSERT_TRUE(compiled.problems.empty());
    EXPECT_FALSE(policy_hook(compiled.snapshot, "plain"));
    EXPECT_FALSE(policy_hook(compiled.snapshot, "urgent")) << "high priority never touches the store";
    auto hook = policy_hook(compiled.snapshot, "cooled");
    ASSERT_TRUE(hook);
    const auto far = SysSeconds{} + std::chrono::hours(24 * 365 * 200);  // a window open past any clock
    const auto d = hook(store::PolicyState{far, std::nullopt});
    EXPECT_TRUE(d.hold);
    EXPECT_EQ(d.kind, "cooldown");
    EXPECT_EQ(d.due_at, far);
}

}  // namespace
}  // namespace ww::app
