#include "app/backtest.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "app/pipeline.h"
#include "app/reload.h"
#include "app/stories.h"
#include "core/duration.h"
#include "core/text.h"
#include "core/time.h"
#include "match/matcher.h"
#include "match/stemmer.h"

namespace ww::app {
namespace {

// The configured watchlist, or one made of the query alone.
Result<config::WatchlistConfig> watchlist_for(const config::Config& config, const BacktestRequest& request) {
    config::WatchlistConfig w;
    if (!request.watchlist.empty()) {
        const auto it = std::ranges::find(config.watchlists, request.watchlist, &config::WatchlistConfig::name);
        if (it == config.watchlists.end())
            return fail("backtest", "backtest: no watchlist \"" + request.watchlist + "\" in " + config.file.string());
        w = *it;
    } else {
        w.name = "backtest";
    }
    if (!request.query.empty()) w.query = request.query;
    if (w.query.empty()) return fail("backtest", "backtest: give a --watchlist or a --query");
    w.enabled = true;
    return w;
}

nlohmann::json source_json(const BacktestSource& s) {
    return {
        {"alert_id", s.alert_id},
        {"first_seen", format_rfc3339(s.first_seen)},
        {"feed", {{"id", s.feed.id}, {"title", s.feed.title}, {"url", s.feed.url}}},
        {"item",
         {{"key", s.key},
          {"title", s.title},
          {"link", s.link},
          {"published", s.published ? format_rfc3339(*s.published) : ""}}},
        {"match", {{"terms", s.match.terms}, {"fields", s.match.fields}, {"snippet", s.match.snippet}}},
        {"similarity", s.similarity},
    };
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

}  // namespace

Result<BacktestRequest> parse_backtest_query(std::string_view query_string) {
    BacktestRequest request;
    for (const auto& [name, value] : parse_query_string(query_string)) {
        if (name == "watchlist") {
            request.watchlist = value;
        } else if (name == "query") {
            request.query = value;
        } else if (name == "since") {
            auto d = parse_duration(value);
            if (!d) return fail("backtest", "backtest: since: " + d.error().message);
            request.since = *d;
        } else if (!name.empty()) {
            return fail("backtest", "backtest: unknown parameter \"" + name + "\" (watchlist, query, since)");
        }
    }
    if (request.watchlist.empty() && request.query.empty())
        return fail("backtest", "backtest: give a watchlist or a query");
    return request;
}

Result<BacktestResult> backtest(const config::Config& config, const BacktestRequest& request,
                                std::span<const store::KeptItem> items, SysSeconds since, const BacktestCut& cut) {
    auto watchlist = watchlist_for(config, request);
    if (!watchlist) return std::unexpected(watchlist.error());
    auto stems = stem_overrides_for(config);
    if (!stems) return std::unexpected(stems.error());
    auto lexicon = lexicon_for(config);
    if (!lexicon) return std::unexpected(lexicon.error());
    // The same compilation as the daemon's, so that the same items match the same way.
    auto compiled = compile_watchlists({*watchlist}, {}, *stems, nullptr, *lexicon);
    if (!compiled.problems.empty()) return fail("backtest", "backtest: " + compiled.problems.front());
    const auto& snapshot = compiled.snapshot;
    const auto settings = story_settings_of(*watchlist);

    std::unordered_map<std::string, std::string> feed_names;  // configured URL -> name
    for (const auto& f : config.feeds) feed_names.emplace(f.url, f.name);

    BacktestResult result;
    result.watchlist = watchlist->name;
    result.query = watchlist->query;
    result.since = since;
    result.items = items.size();
    StoryBoard board;
    std::unordered_map<std::string, std::size_t> story_at;  // story id -> index in result.stories
    for (const auto& kept : items) {
        if (cut.stop.stop_requested() || std::chrono::steady_clock::now() >= cut.deadline) {
            result.partial = true;
            result.cut_reason = cut.stop.stop_requested() ? "stopping" : "time budget";
            break;
        }
        ++result.items_read;
        const auto& t = kept.text;
        const auto name = feed_names.find(kept.feed_url);
        // The view the live pipeline matched (app/pipeline.h), so both agree by construction.
        const auto view = view_of(t, name != feed_names.end() ? std::string_view(name->second)
                                                               : std::string_view(kept.feed_url));
        auto hits = snapshot.index->match(view);
        if (hits.empty()) continue;
        ++result.matches;
        BacktestSource source{make_alert_id(watchlist->name, kept.feed_url, kept.item_key),
                              kept.first_seen,
                              {kept.feed_id, t.feed_title, kept.feed_url},
                              kept.item_key,
                              t.title,
                              t.link,
                              t.published,
                              std::move(hits.front().explanation),
                              0.0};
        const auto fp = for_watchlist(
            fingerprint_of(t.title, t.summary, t.content, t.link, t.origin_link, t.language, *snapshot.stemming),
            source.match.terms, t.language, *snapshot.stemming);
        const auto placed = board.place(watchlist->name, settings, fp, source.alert_id, kept.feed_id, kept.first_seen);
        source.similarity = placed.similarity;
        if (placed.verdict == StoryVerdict::alert) {
            ++result.alerts;
            story_at[placed.story_id] = result.stories.size();
            result.stories.push_back({placed.story_id, {std::move(source)}});
        } else if (placed.verdict == StoryVerdict::story_update) {
            ++result.story_updates;
            const auto at = story_at.find(placed.story_id);
            if (at != story_at.end()) result.stories[at->second].sources.push_back(std::move(source));
        }
    }
    return result;
}

Result<BacktestResult> run_backtest(const config::Config& config, const BacktestRequest& request, SysSeconds now,
                                    const BacktestCut& cut) {
    auto db = store::Store::open(config.daemon.state_dir, store::Mode::read_only);
    if (!db) return std::unexpected(db.error());
    const auto since = now - request.since;
    auto items = db->kept_items(since);
    if (!items && items.error().message.find("no such table") != std::string::npos)
        return fail("backtest", "backtest: " + db->path().string() +
                                    " keeps no items yet: start this version of the daemon once to upgrade it");
    if (!items) return std::unexpected(items.error());
    return backtest(config, request, *items, since, cut);
}

BacktestRunner::~BacktestRunner() {
    if (worker_.joinable()) {
        worker_.request_stop();
        worker_.join();
    }
}

bool BacktestRunner::start(config::Config config, BacktestRequest request, Done done) {
    if (busy_.exchange(true)) {
        spdlog::warn("app: backtest refused, one is running watchlist=\"{}\" query=\"{}\"", request.watchlist,
                     request.query);
        return false;
    }
    spdlog::info("app: backtest started watchlist=\"{}\" query=\"{}\" budget_s={}", request.watchlist, request.query,
                 budget_.count());
    // The previous run has finished (busy_ was false): assigning joins its thread at once.
    worker_ = std::jthread([this, config = std::move(config), request = std::move(request),
                            done = std::move(done)](std::stop_token stop) mutable {
        const auto t0 = std::chrono::steady_clock::now();
        auto result = run_backtest(config, request, now_seconds(), BacktestCut{t0 + budget_, stop});
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
        if (result)
            spdlog::info("app: backtest done items={} read={} matches={} alerts={} partial={} ms={}", result->items,
                         result->items_read, result->matches, result->alerts, result->partial, ms.count());
        else
            spdlog::warn("app: backtest failed error=\"{}\" ms={}", result.error().message, ms.count());
        Result<std::string> json = result ? Result<std::string>(backtest_json(*result))
                                          : Result<std::string>(std::unexpected(result.error()));
        busy_ = false;
        boost::asio::post(io_, [done = std::move(done), json = std::move(json)]() mutable { done(std::move(json)); });
    });
    return true;
}

std::string backtest_json(const BacktestResult& r) {
    auto stories = nlohmann::json::array();
    for (const auto& s : r.stories) {
        auto updates = nlohmann::json::array();
        for (std::size_t i = 1; i < s.sources.size(); ++i) updates.push_back(source_json(s.sources[i]));
        stories.push_back({{"id", s.id},
                           {"sources", s.sources.size()},
                           {"alert", source_json(s.sources.front())},
                           {"updates", std::move(updates)}});
    }
    nlohmann::json out = {
        {"watchlist", r.watchlist}, {"query", r.query},        {"since", format_rfc3339(r.since)},
        {"items", r.items},         {"matches", r.matches},    {"alerts", r.alerts},
        {"story_updates", r.story_updates}, {"stories", std::move(stories)},
        {"partial", r.partial},     {"items_read", r.items_read},
    };
    if (r.partial) out["cut"] = r.cut_reason;
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string backtest_text(const BacktestResult& r) {
    std::string out = "watchlist=" + r.watchlist + " query=\"" + r.query + "\" since=" + format_rfc3339(r.since) +
                      " items=" + std::to_string(r.items) + " matches=" + std::to_string(r.matches) +
                      " alerts=" + std::to_string(r.alerts) + " story_updates=" + std::to_string(r.story_updates) +
                      (r.partial ? " partial=" + std::to_string(r.items_read) + " cut=\"" + r.cut_reason + "\"" : "") +
                      "\n";
    for (const auto& s : r.stories) {
        out += "\nstory " + s.id + " sources=" + std::to_string(s.sources.size()) + "\n";
        for (std::size_t i = 0; i < s.sources.size(); ++i) {
            const auto& src = s.sources[i];
            char similarity[32] = "";
            if (i > 0) std::snprintf(similarity, sizeof similarity, " similarity=%.2f", src.similarity);
            out += std::string(i == 0 ? "  alert  " : "  update ") + format_rfc3339(src.first_seen) + " [" +
                   src.feed.title + "] " + src.title + " <" + src.link + ">" + similarity + "\n";
            out += "         terms=" + joined(src.match.terms) + " fields=" + joined(src.match.fields) +
                   " snippet=\"" + src.match.snippet + "\"\n";
        }
    }
    return out;
}

}  // namespace ww::app
