#include "app/pipeline.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/reload.h"
#include "core/time.h"

namespace ww::app {
namespace {

Feed two_items() {
    Feed f;
    f.title = "World";
    Item a;
    a.key = "k1";
    a.title = "Russia and China agree to deepen security co-operation";
    a.link = "https://news.example/1";
    a.summary = "Talks in Beijing.";
    a.content = "Long body that the envelope does not carry.";
    Item b;
    b.key = "k2";
    b.title = "Local team wins the cup";
    f.items = {a, b};
    return f;
}

TEST(BuildRecordRequest, MarksEveryItemAndAlertsOnlyMatches) {
    config::WatchlistConfig w;
    w.name = "china-russia-security";
    w.query = "China Russia security";
    const auto compiled = compile_watchlists({w}, {});
    ASSERT_TRUE(compiled.problems.empty());
    const FeedContext ctx{7, "World Desk", "World Desk", "http://feeds/world", "", 0};
    const auto now = *parse_rfc3339("2026-11-27T10:00:00Z");
    const auto req = build_record_request(ctx, two_items(), compiled.snapshot, now);

    EXPECT_EQ(req.feed_id, 7);
    ASSERT_EQ(req.items.size(), 2u);
    EXPECT_EQ(req.items[0].key, "k1");
    EXPECT_EQ(req.items[0].alerts.size(), 1u);
    EXPECT_TRUE(req.items[1].alerts.empty());
    EXPECT_NE(req.items[0].content_hash, req.items[1].content_hash);

    const auto& pending = req.items[0].alerts[0];
    EXPECT_EQ(pending.topic, "alert.china-russia-security");
    EXPECT_EQ(pending.alert_id, make_alert_id("china-russia-security", "http://feeds/world", "k1"));
    const auto envelope = nlohmann::json::parse(pending.render(12));
    EXPECT_EQ(envelope["seq"], 12);
    EXPECT_EQ(envelope["watchlist"]["query"], "China Russia security");
    EXPECT_EQ(envelope["feed"]["id"], 7);
    EXPECT_EQ(envelope["feed"]["title"], "World Desk");
    EXPECT_EQ(envelope["detected_at"], "2026-11-27T10:00:00Z");
    EXPECT_EQ(envelope["item"]["title"], two_items().items[0].title);
    EXPECT_FALSE(envelope["item"].contains("content"));
    EXPECT_FALSE(envelope["match"]["terms"].empty());
}

TEST(BuildRecordRequest, AFeedWithoutAConfiguredNameIsShownByItsOwnTitle) {
    config::WatchlistConfig w;
    w.name = "china-russia-security";
    w.query = "China Russia security";
    const auto compiled = compile_watchlists({w}, {});
    const FeedContext unnamed{7, "http://feeds/world", "", "http://feeds/world", "", 0};
    const auto req = build_record_request(unnamed, two_items(), compiled.snapshot, {});
    ASSERT_EQ(req.items[0].alerts.size(), 1u);
    EXPECT_EQ(nlohmann::json::parse(req.items[0].alerts[0].render(1))["feed"]["title"], "World");
}

TEST(BuildRecordRequest, ACatchUpThatAlertsNothingSkipsMatchingButMarksEveryItem) {
    config::WatchlistConfig w;
    w.name = "china-russia-security";
    w.query = "China Russia security";  // item k1 matches it
    const auto compiled = compile_watchlists({w}, {});
    ASSERT_TRUE(compiled.problems.empty());
    FeedContext ctx{7, "World Desk", "World Desk", "http://feeds/world", "", 0};
    ctx.match = false;
    const auto now = *parse_rfc3339("2026-11-27T10:00:00Z");
    const auto req = build_record_request(ctx, two_items(), compiled.snapshot, now);
    EXPECT_FALSE(req.matched);  // the store refuses it for a feed that is no longer new
    ASSERT_EQ(req.items.size(), 2u);
    EXPECT_EQ(req.items[0].key, "k1");
    EXPECT_TRUE(req.items[0].alerts.empty());  // it would match, but a catch-up never alerts
    EXPECT_EQ(req.items[0].content_hash, content_hash(two_items().items[0]));
}

TEST(ContentHash, ChangesWithTheTextOnly) {
    Item a;
    a.title = "T";
    a.summary = "S";
    Item b = a;
    b.link = "elsewhere";
    EXPECT_EQ(content_hash(a), content_hash(b));
    b.summary = "S2";
    EXPECT_NE(content_hash(a), content_hash(b));
    Item c;
    c.title = "TS";  // field boundaries count
    EXPECT_NE(content_hash(a), content_hash(c));
}

TEST(BuildRecordRequest, EnvelopesCarryTheSameExplanationsAsIndexMatch) {
    // The pipeline asks for hit numbers, then explains the hits: every envelope must carry what
    // Index::match (which explains as it goes) says, in the same watchlist order.
    std::vector<config::WatchlistConfig> lists;
    for (const auto& [name, query] : std::vector<std::pair<std::string, std::string>>{
             {"a", "China Russia security"}, {"b", "\"security co-operation\""}, {"c", "cup -football"},
             {"d", "Beijing OR Moscow"}, {"e", "title:russia NEAR/3 china"}, {"f", "tariffs"}}) {
        config::WatchlistConfig w;
        w.name = name;
        w.query = query;
        lists.push_back(w);
    }
    const auto compiled = compile_watchlists(lists, {});
    ASSERT_TRUE(compiled.problems.empty());
    const FeedContext ctx{7, "World Desk", "World Desk", "http://feeds/world", "", 0};
    const Feed feed = two_items();
    const auto req = build_record_request(ctx, feed, compiled.snapshot, {});
    ASSERT_EQ(req.items.size(), feed.items.size());
    std::size_t alerts = 0;
    for (std::size_t i = 0; i < feed.items.size(); ++i) {
        const Item& item = feed.items[i];
        const auto hits = compiled.snapshot.index->match(match::ItemView{.title = item.title,
                                                                          .summary = item.summary,
                                                                          .content = item.content,
                                                                          .link = item.link,
                                                                          .categories = item.categories,
                                                                          .authors = item.authors,
                                                                          .feed_name = ctx.name});
        ASSERT_EQ(req.items[i].alerts.size(), hits.size()) << "item " << i;
        for (std::size_t k = 0; k < hits.size(); ++k) {
            const auto envelope = nlohmann::json::parse(req.items[i].alerts[k].render(1));
            EXPECT_EQ(envelope["watchlist"]["name"], hits[k].watchlist);
            EXPECT_EQ(envelope["match"]["terms"], hits[k].explanation.terms) << hits[k].watchlist;
            EXPECT_EQ(envelope["match"]["fields"], hits[k].explanation.fields) << hits[k].watchlist;
            EXPECT_EQ(envelope["match"]["snippet"], hits[k].explanation.snippet) << hits[k].watchlist;
            EXPECT_FALSE(hits[k].explanation.terms.empty());
            ++alerts;
        }
    }
    EXPECT_EQ(alerts, 5u);  // a, b, d, e on the first item, c on the second
}

TEST(BuildPollRecord, DeferredExplanationsAreFilledForTheDeciderAndTheEnvelope) {
    std::vector<config::WatchlistConfig> lists;
    for (const auto& [name, query] : std::vector<std::pair<std::string, std::string>>{
             {"a", "China Russia security"}, {"b", "\"security co-operation\""}, {"c", "cup"}}) {
        config::WatchlistConfig w;
        w.name = name;
        w.query = query;
        lists.push_back(w);
    }
    const auto compiled = compile_watchlists(lists, {});
    FeedContext eager{7, "World Desk", "World Desk", "http://feeds/world", "en", 0};
    FeedContext lazy = eager;
    lazy.defer_explanations = true;
    const auto now = *parse_rfc3339("2026-11-27T10:00:00Z");
    const auto expected = build_poll_record(eager, two_items(), compiled.snapshot, now);
    auto poll = build_poll_record(lazy, two_items(), compiled.snapshot, now);
    ASSERT_EQ(poll.alerts.size(), 2u);
    ASSERT_EQ(poll.alerts[0].size(), 2u);
    ASSERT_EQ(poll.alerts[1].size(), 1u);
    // Nothing explained yet: an item the store already knows never costs an explanation.
    EXPECT_TRUE(poll.alerts[0][0]->match.terms.empty());
    EXPECT_TRUE(poll.alerts[1][0]->match.terms.empty());

    // The decider is told of item 0 only (fresh): it sees its explanations, not item 1's.
    std::vector<std::vector<std::string>> seen_terms;
    poll.request.decide = [&](const store::ItemSeen& seen) {
        for (const auto& alert : poll.alerts[seen.index]) seen_terms.push_back(alert->match.terms);
        return std::vector<store::PendingAlert>{};
    };
    explain_before_deciding(poll);
    poll.request.decide(store::ItemSeen{0, store::ItemStatus::fresh, {}, {}});
    ASSERT_EQ(seen_terms.size(), 2u);
    EXPECT_EQ(seen_terms[0], expected.alerts[0][0]->match.terms);
    EXPECT_EQ(seen_terms[1], expected.alerts[0][1]->match.terms);
    EXPECT_FALSE(seen_terms[0].empty());
    EXPECT_TRUE(poll.alerts[1][0]->match.terms.empty());

    // Rendering explains too (a caller without a decider), and the envelopes are the eager ones.
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t k = 0; k < poll.request.items[i].alerts.size(); ++k)
            EXPECT_EQ(poll.request.items[i].alerts[k].render(3), expected.request.items[i].alerts[k].render(3))
                << i << "/" << k;
}

}  // namespace
}  // namespace ww::app
