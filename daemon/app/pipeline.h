#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "app/stories.h"
#include "app/policy.h"
#include "core/item.h"
#include "match/matcher.h"
#include "store/store.h"

namespace ww::app {

// What the pipeline knows about the feed a body came from.
struct FeedContext {
    std::int64_t feed_id = 0;
    std::string name;   // configured name (watchlists restrict by it)
    std::string title;  // shown to subscribers: the configured name; "" = the feed's own title
    std::string url;    // the configured URL: part of every alert id
    std::string language;  // configured override, else the feed's own
    std::size_t backfill = 0;
    // false on a catch-up that alerts nothing (first fetch, no backfill): matching every item
    // would be thrown away, and it is most of the CPU of a cold start.
    bool match = true;
    // true: the hits' explanations (terms, fields, snippet) are computed only for the items the
    // store finds fresh or edited, when it renders them or asks RecordRequest::decide (wrapped
    // by explain_before_deciding); a poll mostly sees items it already knows, and at 100,000
    // watchlists explaining every hit costs as much as matching. false: explained at once.
    bool defer_explanations = false;
};

// The watchlists in force: the compiled index and each watchlist's query text, swapped whole
// on reload so that in-flight items finish on the snapshot they started with.
struct MatchSnapshot {
    std::shared_ptr<const match::Index> index;
    std::unordered_map<std::string, std::string> queries;  // watchlist name -> query text
    StorySettingsMap stories;  // watchlist name -> story settings (docs/stories.md)
    std::shared_ptr<const match::Stemming> stemming;  // the analyzer's stemming, for story sketches
    // Delivery policies of the watchlists that have one (cooldown, digest, priority).
    std::unordered_map<std::string, WatchlistPolicy> policies;
};

// The store's hook for one watchlist's policy: asked inside record()'s transaction, at the
// policy clock's time (core/time.h policy_now()). Null when every match is sent now.
std::function<store::PolicyDecision(const store::PolicyState&)> policy_hook(const MatchSnapshot& watchlists,
                                                                           const std::string& watchlist);

// What the matcher sees of a kept text (backtests, measured term frequencies).
match::ItemView view_of(const store::KeptText& kept, std::string_view feed_name = {});

// A hash of what a reader sees of an item; a change means the item was edited.
std::string content_hash(const Item& item);

// Matches every item of a parsed feed and prepares one store transaction: the seen-marks and,
// for each hit, an alert whose envelope is rendered once the store assigns its seq. Pure but for
// the index lookup; runs on a worker thread.
store::RecordRequest build_record_request(const FeedContext& feed, const Feed& parsed,
                                          const MatchSnapshot& watchlists, SysSeconds now);

// The same, with what story clustering needs beside it: the shared Alert of each would-be alert
// (by item, in the order of ItemRecord::alerts). Every item's text is attached for backtests.
struct PendingExplanations;
struct PollRecord {
    store::RecordRequest request;
    ItemAlerts alerts;
    // Per item, with defer_explanations: what explains its hits when first needed (null when it
    // has none or they were explained at once).
    std::vector<std::shared_ptr<PendingExplanations>> explanations = {};
};
PollRecord build_poll_record(const FeedContext& feed, const Feed& parsed, const MatchSnapshot& watchlists,
                             SysSeconds now);

// Wraps poll.request.decide (set it first, e.g. StoryDesk::attach) so that the hits of an item
// are explained before the decider reads them: it is told only of fresh and edited items.
void explain_before_deciding(PollRecord& poll);

}  // namespace ww::app
