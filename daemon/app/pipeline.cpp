#include "app/pipeline.h"

#include <memory>
#include <mutex>

#include "core/alert.h"
#include "core/text.h"
#include "core/time.h"

namespace ww::app {

std::string content_hash(const Item& item) {
    std::uint64_t h = fnv1a64(item.title);
    h = fnv1a64("\x1f", h);
    h = fnv1a64(item.summary, h);
    h = fnv1a64("\x1f", h);
    h = fnv1a64(item.content, h);
    return hex64(h);
}

match::ItemView view_of(const store::KeptText& t, std::string_view feed_name) {
    return match::ItemView{
        .title = t.title,
        .summary = t.summary,
        .content = t.content,
        .link = t.link,
        .language = t.language,
        .categories = t.categories,
        .authors = t.authors,
        .feed_name = feed_name,
    };
}

// The hits of one item, explained on first need: the item is matched again (on the thread
// that needs them, against the same index, so the same hits) and each hit explained.
struct PendingExplanations {
    std::shared_ptr<const match::Index> index;
    std::shared_ptr<const store::KeptText> text;  // the item as matched (language resolved)
    std::string feed_name;
    std::vector<std::pair<std::uint32_t, std::shared_ptr<Alert>>> hits;
    std::once_flag once;

    void fill() {
        std::call_once(once, [this] {
            match::MatchStats stats;
            index->match_ids(view_of(*text, feed_name), stats);
            for (auto& [id, alert] : hits) alert->match = index->explain_last(id);
        });
    }
};

namespace {

match::ItemView view_of(const Item& item, const FeedContext& feed, std::string_view language) {
    return match::ItemView{
        .title = item.title,
        .summary = item.summary,
        .content = item.content,
        .link = item.link,
        .language = language,
        .categories = item.categories,
        .authors = item.authors,
        .feed_name = feed.name,
    };
}

store::PendingAlert pending_alert(const std::shared_ptr<Alert>& alert, const FeedContext& feed,
                                  std::string_view feed_title, const Item& item, std::string_view query,
                                  std::string_view watchlist, MatchExplanation explanation, SysSeconds now,
                                  std::shared_ptr<PendingExplanations> deferred) {
    // The alert is rendered later, on the store thread, once its seq is known: keep one shared
    // copy of everything it needs rather than references into the parsed feed.
    alert->alert_id = make_alert_id(watchlist, feed.url, item.key);
    alert->detected_at = now;
    alert->watchlist = std::string(watchlist);
    alert->query = std::string(query);
    alert->feed = {feed.feed_id, std::string(feed_title), feed.url};
    alert->item = item;
    alert->item.content.clear();  // not part of the envelope
    alert->item.enclosures.clear();
    alert->match = std::move(explanation);
    store::PendingAlert pending;
    pending.watchlist = alert->watchlist;
    pending.topic = alert_topic(alert->watchlist);
    pending.alert_id = alert->alert_id;
    pending.render = [alert, deferred = std::move(deferred)](std::int64_t seq) {
        if (deferred) deferred->fill();
        alert->seq = seq;
        return to_envelope_json(*alert);
    };
    return pending;
}

std::shared_ptr<const store::KeptText> kept_text(const Item& item, std::string_view feed_title,
                                                 std::string_view language) {
    auto k = std::make_shared<store::KeptText>();
    k->feed_title = std::string(feed_title);
    k->title = item.title;
    k->link = item.link;
    k->origin_link = item.origin_link;
    k->summary = item.summary;
    k->content = item.content;
    k->language = std::string(language);
    k->categories = item.categories;
    k->authors = item.authors;
    k->published = item.published ? item.published : item.updated;
    return k;
}

}  // namespace

std::function<store::PolicyDecision(const store::PolicyState&)> policy_hook(const MatchSnapshot& watchlists,
                                                                           const std::string& watchlist) {
    const auto p = watchlists.policies.find(watchlist);
    if (p == watchlists.policies.end() || p->second.immediate()) return {};
    return [policy = p->second](const store::PolicyState& state) {
        auto d = decide(policy, state.window_until, policy_now(), state.pending_summary_due);
        return store::PolicyDecision{d.hold, std::move(d.kind), d.due_at, d.window_until};
    };
}

store::RecordRequest build_record_request(const FeedContext& feed, const Feed& parsed,
                                          const MatchSnapshot& watchlists, SysSeconds now) {
    return build_poll_record(feed, parsed, watchlists, now).request;
}

PollRecord build_poll_record(const FeedContext& feed, const Feed& parsed, const MatchSnapshot& watchlists,
                             SysSeconds now) {
    PollRecord poll;
    poll.alerts.reserve(parsed.items.size());
    store::RecordRequest& request = poll.request;
    request.feed_id = feed.feed_id;
    request.backfill = feed.backfill;
    request.now = now;
    request.matched = feed.match;
    request.items.reserve(parsed.items.size());
    const std::string_view feed_language = !feed.language.empty() ? std::string_view(feed.language)
                                                                  : std::string_view(parsed.language);
    const std::string_view feed_title = !feed.title.empty() ? std::string_view(feed.title)
                                                             : std::string_view(parsed.title);
    for (const auto& item : parsed.items) {
        store::ItemRecord record;
        record.key = item.key;
        record.content_hash = content_hash(item);
        record.published = item.published ? item.published : item.updated;
        const std::string_view language = !item.language.empty() ? std::string_view(item.language) : feed_language;
        auto& shared = poll.alerts.emplace_back();
        // Kept also on a first fetch, whose catch-up alerts nothing: a new watchlist can then be
        // tried (`wirewatch backtest`) against what the feeds hold today, right after the start.
        record.kept = kept_text(item, feed_title, language);
        if (!feed.match) {
            request.items.push_back(std::move(record));
            continue;
        }
        // The hot path of the benchmarks (match_ids), then an explanation for each hit only:
        // the same hits and explanations as Index::match, without its vector of copies.
        match::MatchStats stats;
        const auto& index = *watchlists.index;
        const auto ids = index.match_ids(view_of(item, feed, language), stats);
        std::shared_ptr<PendingExplanations> deferred;
        if (feed.defer_explanations && !ids.empty()) {
            deferred = std::make_shared<PendingExplanations>();
            deferred->index = watchlists.index;
            deferred->text = record.kept;
            deferred->feed_name = feed.name;
        }
        for (const auto id : ids) {
            const std::string& watchlist = index.watchlist_name(id);
            const auto q = watchlists.queries.find(watchlist);
            const std::string_view query = q == watchlists.queries.end() ? "" : std::string_view(q->second);
            auto alert = std::make_shared<Alert>();
            if (deferred) deferred->hits.emplace_back(id, alert);
            record.alerts.push_back(pending_alert(alert, feed, feed_title, item, query, watchlist,
                                                  deferred ? MatchExplanation{} : index.explain_last(id), now,
                                                  deferred));
            record.alerts.back().policy = policy_hook(watchlists, record.alerts.back().watchlist);
            shared.push_back(std::move(alert));
        }
        request.items.push_back(std::move(record));
        if (deferred) {
            poll.explanations.resize(request.items.size());
            poll.explanations.back() = std::move(deferred);
        }
    }
    if (!poll.explanations.empty()) poll.explanations.resize(request.items.size());
    return poll;
}

void explain_before_deciding(PollRecord& poll) {
    if (!poll.request.decide || poll.explanations.empty()) return;
    poll.request.decide = [inner = std::move(poll.request.decide),
                           pending = poll.explanations](const store::ItemSeen& seen) {
        if (seen.index < pending.size() && pending[seen.index]) pending[seen.index]->fill();
        return inner(seen);
    };
}

}  // namespace ww::app
