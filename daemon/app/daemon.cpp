#include "app/daemon.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <deque>
#include <fstream>
#include <list>
#include <random>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "app/error_hints.h"
#include "app/feed_report.h"
#include "app/notify.h"
#include "app/pipeline.h"
#include "app/policy_emit.h"
#include "app/poll_policy.h"
#include "app/reload.h"
#include "app/routes.h"
#include "app/sinks.h"
#include "app/websub.h"
#include "app/stories.h"
#include "app/backtest.h"
#include "core/duration.h"
#include "core/time.h"
#include "core/url.h"
#include "feed/discover.h"
#include "feed/parse.h"
#include "http/daemon_metrics.h"
#include "http/metrics.h"
#include "http/server.h"
#include "fetch/http_client.h"
#include "fetch/response_policy.h"
#include "publish/curve.h"
#include "publish/publisher.h"
#include "publish/replay_server.h"
#include "schedule/host_gate.h"
#include "schedule/jitter.h"
#include "schedule/network_health.h"
#include "schedule/policy.h"
#include "store/store.h"
#include "websub/lease.h"
#include "websub/link_header.h"

namespace ww::app {

namespace asio = boost::asio;
using std::chrono::seconds;

namespace {

std::string basic_auth_of(const config::FeedConfig& f);

bool is_store_error(std::string_view kind) { return kind.starts_with("store") || kind == "disk_full"; }

// One configured feed as the loop sees it. Touched only on the io thread; workers and the store
// thread get copies of what they need.
struct FeedRuntime {
    FeedRuntime(asio::io_context& io, config::FeedConfig c, store::FeedState s)
        : cfg(std::move(c)), state(std::move(s)), timer(io), basic_auth(basic_auth_of(cfg)) {}
    config::FeedConfig cfg;
    store::FeedState state;
    asio::steady_timer timer;
    FeedHints hints;    // ttl, skipHours/Days from the last parse: a 304 still honours them
    std::string basic_auth;  // "user:password", read once from password_file
    bool in_flight = false;
    bool waiting = false;  // queued for a poll slot
    bool removed = false;  // dropped by a reload while in flight: erased when the poll ends
};


// Replay reads the alert log through its own read-only connection, on the replay thread, so
// that a large replay never waits on (or delays) the writer.
publish::ReplaySource replay_source(std::filesystem::path state_dir,
                                   std::shared_ptr<std::atomic<std::uint64_t>> requests) {
    auto db = std::make_shared<std::optional<store::Store>>();
    return [db, state_dir = std::move(state_dir), requests](std::int64_t after, std::string_view prefix,
                                                            std::size_t limit) -> Result<publish::ReplaySlice> {
        requests->fetch_add(1, std::memory_order_relaxed);
        if (!*db) {
            auto opened = store::Store::open(state_dir, store::Mode::read_only);
            if (!opened) return std::unexpected(opened.error());
            db->emplace(std::move(*opened));
        }
        // One read snapshot: earliest, last and the page agree even while the writer commits.
        auto page = (**db).alert_page(after, prefix, limit);
        if (!page) return std::unexpected(page.error());
        publish::ReplaySlice slice{page->earliest_seq, page->last_seq, {}};
        slice.alerts.reserve(page->alerts.size());
        for (auto& a : page->alerts) slice.alerts.push_back({a.seq, std::move(a.topic), std::move(a.envelope)});
        return slice;
    };
}

// "user:password" for a feed with username and password_file; the file's first line is the
// password (a trailing newline is not part of it). An unreadable file is logged and the feed is
// fetched without credentials, so that the server's 401 shows up in its status.
std::string basic_auth_of(const config::FeedConfig& f) {
    if (f.username.empty()) return {};
    std::string password;
    if (!f.password_file.empty()) {
        std::ifstream in(f.password_file);
        if (!in || !std::getline(in, password)) {
            spdlog::error("config: cannot read password_file feed=\"{}\" file={}", feed_label(f), f.password_file.string());
            return {};
        }
        if (!password.empty() && password.back() == '\r') password.pop_back();
    }
    return f.username + ":" + password;
}

// What the loop keeps of a parsed feed once its items went to the store.
struct ParsedSummary {
    std::string format;
    std::string title;
    std::string bozo_reason;  // "" when parsed strictly
    std::size_t items = 0;
    std::vector<SysSeconds> dates;
    FeedHints hints;
};

// A web page configured as a feed: its error names the feeds the page links, so that the fix
// is in the log line (and in `wirewatch feeds`), not one more command away.
Error with_feed_links(Error e, const std::vector<feed::FeedLink>& links) {
    if (links.empty()) return e;
    e.message += "; the page links these feeds:";
    for (std::size_t i = 0; i < links.size() && i < 5; ++i) e.message += " " + redact_url(links[i].url);
    return e;
}

ParsedSummary summarise(const Feed& parsed) {
    ParsedSummary s{parsed.format, parsed.title, parsed.bozo ? parsed.bozo_reason : "",
                    parsed.items.size(), {}, parsed.hints};
    if (parsed.bozo && s.bozo_reason.empty()) s.bozo_reason = "lenient";
    for (const auto& item : parsed.items)
        if (const auto& t = item.published ? item.published : item.updated) s.dates.push_back(*t);
    return s;
}

fetch::ClientOptions client_options(const config::FetchSection& f) {
    fetch::ClientOptions o;
    o.user_agent = f.user_agent;
    o.connect_timeout = f.connect_timeout;
    o.timeout = f.timeout;
    o.max_body = f.max_body;
    o.max_in_flight = f.max_in_flight;
    o.per_host = f.per_host;
    o.allow_private_networks = f.allow_private_networks;
    o.proxy = f.proxy;
    return o;
}

}  // namespace

struct Daemon::Impl {
    Impl(config::Config c, RunOptions o, store::Store s, publish::Publisher p,
         publish::ReplayServer r, CompiledWatchlists m, std::unique_ptr<StoreCursorStore> cs,
         std::unique_ptr<sink::SinkHost> sh)
        : cfg(std::move(c)),
          options(o),
          workers(cfg.daemon.workers),
          store(std::move(s)),
          publisher(std::move(p)),
          replay(std::move(r)),
          cursor_store(std::move(cs)),
          sinks(std::move(sh)),
          http(io, client_options(cfg.fetch)),
          watchlists(std::make_shared<const MatchSnapshot>(std::move(m.snapshot))),
          watchlists_in_force(std::move(m.in_force)),
          signals(io, SIGINT, SIGTERM),
          reload_signal(io, SIGHUP),
          heartbeat(io),
          retention_timer(io),
          watchdog_timer(io),
          status_timer(io),
          metrics(registry, WW_VERSION),
          notifier(o.once ? Notifier::disabled() : Notifier::from_environment()),
          policy(policy_of(cfg.schedule)),
          max_polls(cfg.fetch.max_in_flight + 2 * cfg.daemon.workers) {}

    config::Config cfg;
    RunOptions options;
    asio::io_context io;
    asio::thread_pool workers;
    asio::thread_pool store_thread{1};  // every SQLite write happens here, in order
    store::Store store;
    StoryDesk stories;  // store thread: open stories, decided inside record()'s transaction
    publish::Publisher publisher;
    publish::ReplayServer replay;
    std::unique_ptr<StoreCursorStore> cursor_store;  // before sinks: outlives them
    std::unique_ptr<sink::SinkHost> sinks;           // null when no [[sink]] is configured
    fetch::HttpClient http;
    std::atomic<std::shared_ptr<const MatchSnapshot>> watchlists;
    std::vector<config::WatchlistConfig> watchlists_in_force;  // io thread
    std::list<FeedRuntime> feeds;  // stable addresses: callbacks hold references
    asio::signal_set signals;
    asio::signal_set reload_signal;
    bool reloading = false;
    asio::steady_timer heartbeat;
    asio::steady_timer retention_timer;
    asio::steady_timer watchdog_timer;
    asio::steady_timer status_timer;
    http::Registry registry;
    http::DaemonMetrics metrics;
    // story.update and item.updated events sent instead of alerts (docs/stories.md), by watchlist.
    http::CounterFamily& story_events =
        registry.counter_family("wirewatch_story_events_total", "Story events (story.update, item.updated) "
                                "published instead of alerts, by watchlist.", {"watchlist"});
    Notifier notifier;
    std::optional<http::Server> http_server;
    AlertReader alert_reader{cfg.daemon.state_dir};  // io thread: the web routes' reads
    std::shared_ptr<std::atomic<std::uint64_t>> replay_requests;  // counted on the replay thread
    bool ready = false;
    bool store_healthy = true;
    std::string last_status;
    std::chrono::sys_days alerts_day{};
    std::uint64_t alerts_today = 0;
    schedule::Policy policy;
    schedule::HostGate host_gate;
    schedule::NetworkHealth network;
    schedule::Jitter jitter{std::random_device{}()};
    std::int64_t last_seq = 0;
    std::size_t polls_in_progress = 0;
    // Polls hold a body from its arrival until its commit; capping them bounds memory when
    // parsing falls behind fetching (10,000 feeds at once must not mean 10,000 bodies in RAM).
    std::size_t max_polls = 0;
    std::vector<store::FeedState> pending_states;
    bool flush_posted = false;
    std::deque<FeedRuntime*> waiting_polls;
    std::size_t once_remaining = 0;  // --once: polls still to finish
    std::size_t once_total = 0, once_fetched = 0;  // --once: feeds configured, feeds fetched
    bool stopping = false;
    int exit_status = 0;
    // Delivery policy: summaries and digests that fell due (docs/delivery-policy.md).
    asio::steady_timer policy_timer{io};
    std::unique_ptr<WebSub> websub;  // null unless [websub] callback_base; destroyed first
    BacktestRunner backtests{io, std::chrono::seconds(30)};  // POST /api/backtest, off the loop

    void start();
    void emit_due_policy();
    void arm_policy_timer();
    void poll(FeedRuntime& f);
    void on_fetched(FeedRuntime& f, Result<fetch::Response> r);
    void process_body(FeedRuntime& f, fetch::Response response);
    fetch::Request request_of(const FeedRuntime& f) const;
    bool follow_page_feed(FeedRuntime& f, const std::vector<feed::FeedLink>& links);
    void on_recorded(FeedRuntime& f, const store::RecordResult& result, const ParsedSummary& parsed,
                     const fetch::Response& response, std::chrono::steady_clock::time_point detected);
    void on_not_modified(FeedRuntime& f, const fetch::Response& response);
    void on_failure(FeedRuntime& f, const Error& e, schedule::FetchResult outcome);
    void mark_success(FeedRuntime& f);
    void on_store_failure(FeedRuntime& f, const Error& e);
    void start_waiting_poll();
    void skip_gone(const FeedRuntime& f);
    int once_outcome();
    void finish_poll(FeedRuntime& f, std::optional<schedule::FetchResult> outcome);
    void decide_next_check(FeedRuntime& f, schedule::FetchResult outcome);
    void save_state(const FeedRuntime& f);
    void flush_states();
    void schedule_at(FeedRuntime& f, seconds delay);
    Result<store::RecordResult> record_with_stories(PollRecord& poll, const MatchSnapshot& snapshot);
    void publish(const std::vector<store::RecordedAlert>& alerts,
                 std::chrono::steady_clock::time_point detected);
    void arm_heartbeat();
    void apply_retention();
    Result<void> start_http();
    void arm_watchdog();
    void arm_status();
    std::string status_text();
    std::string watchlists_json() const;
    void sink_total(const std::string& sink, const std::string& result, std::uint64_t total) {
        auto& c = metrics.sink_deliveries.with({sink, result});
        if (total > c.value()) c.inc(total - c.value());
    }
    void count_fetch(const FeedRuntime& f, std::string_view result, const fetch::Response* response);
    void shutdown(std::string_view why);
    void await_reload_signal();
    void reload();
    void apply_reload(config::Config next, CompiledWatchlists compiled);
    void add_feed(config::FeedConfig f, store::FeedState state);
    // WebSub (app/websub.h): the subscriber, hub discovery after a fetch, and pushed bodies
    // through the same parse -> match -> record -> publish path as polled ones.
    Result<void> start_websub();
    void discover_hub(FeedRuntime& f, const fetch::Response& response);
    bool on_push(std::int64_t feed_id, std::string body, std::string content_type);
    void on_push_recorded(std::int64_t feed_id, const Result<store::RecordResult>& result, std::size_t items,
                          std::chrono::steady_clock::time_point detected);
    FeedRuntime* feed_by_id(std::int64_t feed_id);
};

void Daemon::Impl::start() {
    signals.async_wait([this](const boost::system::error_code& ec, int signo) {
        if (ec) return;
        shutdown(signo == SIGINT ? "SIGINT" : "SIGTERM");
    });
    await_reload_signal();
    arm_heartbeat();
    apply_retention();
    emit_due_policy();  // what fell due while the daemon was down goes out now, once
    const auto now = now_seconds();
    // Counted before the first poll: a poll that ended at once must not end the run early.
    once_total = feeds.size();
    once_remaining = static_cast<std::size_t>(
        std::ranges::count_if(feeds, [](const FeedRuntime& f) { return f.state.status != "gone"; }));
    for (auto& f : feeds) {
        // A restart resumes the schedule instead of polling everything at once.
        if (options.once && f.state.status == "gone")
            skip_gone(f);
        else if (options.once || !f.state.next_check_at || *f.state.next_check_at <= now)
            poll(f);
        else
            schedule_at(f, *f.state.next_check_at - now);
    }
    if (options.once && once_remaining == 0) return shutdown("--once: no feed to poll");
    // Store, sockets, HTTP listener and sinks were brought up in create(): say so now.
    ready = true;
    metrics.ready.set(1);
    metrics.start_time.set(static_cast<double>(now.time_since_epoch().count()));
    notifier.ready(status_text());
    arm_watchdog();
    arm_status();
}

void Daemon::Impl::poll(FeedRuntime& f) {
    if (stopping || f.in_flight || f.waiting || f.state.status == "gone") return;
    if (polls_in_progress >= max_polls) {
        f.waiting = true;
        waiting_polls.push_back(&f);
        return;
    }
    const auto now = now_seconds();
    // A host that asked us to wait (429/503 Retry-After) holds back all of its feeds.
    if (const auto until = host_gate.held_until(schedule::host_of(f.state.url), now)) {
        spdlog::debug("schedule: host held feed=\"{}\" host={} until={}", f.cfg.name,
                      schedule::host_of(f.state.url), format_rfc3339(*until));
        f.state.next_check_at = *until;
        return schedule_at(f, *until - now);
    }
    f.in_flight = true;
    ++polls_in_progress;
    f.state.last_attempt_at = now;
    http.get(request_of(f), [this, &f](Result<fetch::Response> r) { on_fetched(f, std::move(r)); });
}

fetch::Request Daemon::Impl::request_of(const FeedRuntime& f) const {
    fetch::Request request;
    request.url = f.state.url;
    request.etag = f.state.etag;
    request.last_modified = f.state.last_modified;
    request.headers.assign(f.cfg.headers.begin(), f.cfg.headers.end());
    request.user_agent = f.cfg.user_agent;
    request.proxy = f.cfg.proxy;
    request.allow_private_networks = f.cfg.allow_private_networks.value_or(false);
    request.basic_auth = f.basic_auth;
    return request;
}

// A [[feed]] url that is a web page linking its feed is polled through that feed, as a reader
// subscribes to a site's feed (the link adopted like a permanent redirect's target, and saved),
// with a warning that says what to put in the config. Only once, from the configured URL: a
// linked "feed" that is a page again is an error.
bool Daemon::Impl::follow_page_feed(FeedRuntime& f, const std::vector<feed::FeedLink>& links) {
    if (links.empty() || stopping || f.removed || f.state.url != f.cfg.url || links.front().url == f.state.url)
        return false;
    spdlog::warn("fetch: a web page, not a feed feed=\"{}\" url={} following={} hint=\"put the feed's own URL "
                 "in [[feed]] url\"",
                 feed_label(f.cfg), redact_url(f.state.url), redact_url(links.front().url));
    f.state.url = links.front().url;
    f.state.etag.clear();
    f.state.last_modified.clear();
    http.get(request_of(f), [this, &f](Result<fetch::Response> r) { on_fetched(f, std::move(r)); });
    return true;
}

void Daemon::Impl::on_fetched(FeedRuntime& f, Result<fetch::Response> r) {
    if (!r) {
        if (r.error().kind == "cancelled") return finish_poll(f, std::nullopt);
        return on_failure(f, r.error(), {});
    }
    if (!fetch::is_modified(*r)) return on_not_modified(f, *r);
    if (auto e = fetch::status_error(*r, feed_label(f.cfg))) {
        schedule::FetchResult result;
        result.retry_after = fetch::retry_after(*r, now_seconds());
        return on_failure(f, *e, std::move(result));
    }
    process_body(f, std::move(*r));
}

void Daemon::Impl::process_body(FeedRuntime& f, fetch::Response response) {
    // A feed configured without a name (its name defaults to its URL) is shown by its own title.
    const std::string title = f.cfg.name != f.cfg.url ? f.cfg.name : "";
    FeedContext ctx{f.state.id, feed_label(f.cfg), title, f.cfg.url, f.cfg.language, f.cfg.backfill};
    ctx.match = f.state.initialised || f.cfg.backfill > 0;  // the store re-checks (store_stale)
    ctx.defer_explanations = true;  // explained on the store thread, for new items only
    // Parse and match off the loop; record on the store thread; publish back on the loop.
    asio::post(workers, [this, &f, ctx = std::move(ctx), response = std::move(response),
                         snapshot = watchlists.load(),
                         detected = std::chrono::steady_clock::now()]() mutable {
        auto parsed = feed::parse(response.body, {.content_type = response.header("content-type"),
                                                  .url = response.effective_url,
                                                  .content_location = response.header("content-location")});
        if (!parsed) {
            auto links = parsed.error().kind == "not_a_feed"
                             ? feed::feed_links(response.body, response.effective_url)
                             : std::vector<feed::FeedLink>{};
            asio::post(io, [this, &f, e = with_feed_links(parsed.error(), links), links] {
                if (!follow_page_feed(f, links)) on_failure(f, e, {});
            });
            return;
        }
        auto poll = build_poll_record(ctx, *parsed, *snapshot, now_seconds());
        ParsedSummary summary = summarise(*parsed);
        asio::post(store_thread, [this, &f, poll = std::move(poll), summary = std::move(summary),
                                  response = std::move(response), detected, snapshot]() mutable {
            auto result = record_with_stories(poll, *snapshot);
            asio::post(io, [this, &f, result = std::move(result), summary = std::move(summary),
                            response = std::move(response), detected] {
                if (!result) return on_failure(f, result.error(), {});
                on_recorded(f, *result, summary, response, detected);
            });
        });
    });
}

// Story assignment happens inside the record transaction (docs/stories.md). When the
// transaction fails, the stories decided in it were never committed: the board is rebuilt from
// the store, which holds the truth.
Result<store::RecordResult> Daemon::Impl::record_with_stories(PollRecord& poll, const MatchSnapshot& snapshot) {
    stories.attach(poll.request, poll.alerts, snapshot.stories, *snapshot.stemming);
    explain_before_deciding(poll);  // stories read the hits' terms
    poll.request.keep_texts = cfg.store.keep_items.count() > 0;
    auto result = store.record(poll.request);
    if (!result)
        if (auto r = stories.load(store, snapshot.stories, now_seconds()); !r)
            spdlog::error("store: cannot reload stories error=\"{}\"", r.error().message);
    return result;
}

void Daemon::Impl::on_recorded(FeedRuntime& f, const store::RecordResult& result,
                               const ParsedSummary& parsed, const fetch::Response& response,
                               std::chrono::steady_clock::time_point detected) {
    publish(result.alerts, detected);
    count_fetch(f, "ok", &response);
    metrics.items_parsed.inc(parsed.items);
    metrics.items_new.inc(result.first_fetch ? 0 : result.new_items);
    const auto v = fetch::validators_of(response);
    f.state.etag = v.etag;
    f.state.last_modified = v.last_modified;
    if (!response.permanent_url.empty() && response.permanent_url != f.state.url) {
        spdlog::warn("fetch: moved permanently feed=\"{}\" from={} to={}", feed_label(f.cfg), redact_url(f.state.url),
                     redact_url(response.permanent_url));
        f.state.url = response.permanent_url;
    }
    f.hints = parsed.hints;
    discover_hub(f, response);
    mark_success(f);
    f.state.initialised = true;
    f.state.items_seen += static_cast<std::int64_t>(result.new_items);
    spdlog::info("fetch: ok feed=\"{}\" status={} format={} items={} new={} alerts={}{}{} ms={}",
                 feed_label(f.cfg), response.status, parsed.format, parsed.items, result.new_items,
                 result.alerts.size(), result.first_fetch ? " first_fetch=true" : "",
                 parsed.bozo_reason.empty() ? std::string() : " bozo=\"" + parsed.bozo_reason + "\"",
                 response.elapsed.count());
    schedule::FetchResult outcome;
    outcome.items = parsed.items;
    outcome.new_items = result.first_fetch ? 0 : result.new_items;
    outcome.item_dates = parsed.dates;
    outcome.freshness = fetch::freshness_of(response, now_seconds());
    outcome.hints = parsed.hints;
    finish_poll(f, std::move(outcome));
}

void Daemon::Impl::on_not_modified(FeedRuntime& f, const fetch::Response& response) {
    mark_success(f);
    count_fetch(f, "not_modified", &response);
    spdlog::debug("fetch: not-modified feed=\"{}\" ms={}", feed_label(f.cfg), response.elapsed.count());
    schedule::FetchResult outcome;
    outcome.outcome = schedule::Outcome::not_modified;
    outcome.freshness = fetch::freshness_of(response, now_seconds());
    outcome.hints = f.hints;
    discover_hub(f, response);
    finish_poll(f, std::move(outcome));
}

// The feed was fine; our database was not (a full disk, a read-only directory, a lock). Nothing
// of this poll was recorded, so its items are still new: retry soon, without counting it against
// the feed, and keep the validators so that the next fetch gets the whole document again.
void Daemon::Impl::on_store_failure(FeedRuntime& f, const Error& e) {
    f.state.last_error = e.message;
    f.state.last_error_kind = e.kind;
    f.state.status = "error";
    const auto retry = std::chrono::seconds(f.cfg.interval ? std::min<long long>(f.cfg.interval->count(), 30) : 30);
    f.state.next_check_at = now_seconds() + retry;
    spdlog::error("store: cannot record feed=\"{}\" kind={} next={} error=\"{}\"", feed_label(f.cfg), e.kind,
                  format_rfc3339(*f.state.next_check_at), e.message);
    finish_poll(f, std::nullopt);
}

void Daemon::Impl::mark_success(FeedRuntime& f) {
    f.state.last_success_at = now_seconds();
    f.state.last_error.clear();
    f.state.last_error_kind.clear();
    f.state.status = "ok";
}

void Daemon::Impl::on_failure(FeedRuntime& f, const Error& e, schedule::FetchResult outcome) {
    count_fetch(f, e.kind, nullptr);
    if (is_store_error(e.kind)) return on_store_failure(f, e);
    if (e.message.starts_with("feed:")) metrics.parse_errors.inc();
    f.state.last_error = e.message;
    f.state.last_error_kind = e.kind;
    f.state.status = e.kind == "gone" ? "gone" : "error";
    outcome.outcome = schedule::Outcome::failed;
    outcome.error_kind = e.kind;
    outcome.hints = f.hints;
    finish_poll(f, std::move(outcome));
}

void Daemon::Impl::finish_poll(FeedRuntime& f, std::optional<schedule::FetchResult> outcome) {
    f.in_flight = false;
    --polls_in_progress;
    start_waiting_poll();
    if (f.removed) {
        feeds.remove_if([&](const FeedRuntime& x) { return &x == &f; });
        if (stopping && polls_in_progress == 0) io.stop();
        return;
    }
    // Fetched = the feed answered with a document or 304; a failure or a store error is not.
    const bool fetched = outcome && outcome->outcome != schedule::Outcome::failed;
    if (outcome) decide_next_check(f, std::move(*outcome));
    save_state(f);
    if (options.once) {
        once_fetched += fetched ? 1 : 0;
        --once_remaining;
    }
    if (stopping) {
        if (polls_in_progress == 0) io.stop();
        return;
    }
    if (options.once) {
        if (once_remaining == 0) shutdown("--once: every feed polled");
        return;
    }
    if (f.state.next_check_at) schedule_at(f, *f.state.next_check_at - now_seconds());
}

// A feed that answered 410 is never polled again (docs/fetching.md), --once included: it is
// counted as not fetched, and said so, since nothing else in this run will mention it.
void Daemon::Impl::skip_gone(const FeedRuntime& f) {
    spdlog::warn("fetch: skipped feed=\"{}\" url={} status=gone reason=\"it answered 410 Gone: remove it "
                 "from the config or give its new URL\"", f.cfg.name, f.state.url);
}

// --once's exit status (README, docs/architecture.md): 0 when at least one feed was fetched,
// 1 when none could be; each failure was logged where it happened, this line sums them up.
int Daemon::Impl::once_outcome() {
    if (once_total > 0 && once_fetched == 0) {
        spdlog::error("once: no feed could be fetched feeds={}", once_total);
        return 1;
    }
    spdlog::info("once: {} of {} feeds fetched", once_fetched, once_total);
    return 0;
}

void Daemon::Impl::start_waiting_poll() {
    if (waiting_polls.empty() || stopping) return;
    FeedRuntime* next = waiting_polls.front();
    waiting_polls.pop_front();
    next->waiting = false;
    poll(*next);
}

// One scheduling decision per poll, by the pure policy; logged once for failures, where the
// reason and the next attempt are known.
void Daemon::Impl::decide_next_check(FeedRuntime& f, schedule::FetchResult outcome) {
    const auto now = now_seconds();
    const auto host = schedule::host_of(f.state.url);
    const bool failed = outcome.outcome == schedule::Outcome::failed;
    network.record(host, failed ? outcome.error_kind : "", now);
    schedule::Input in{.now = now,
                       .interval = f.cfg.interval,
                       .state = schedule_state_of(f.state),
                       .result = std::move(outcome),
                       .network_down = network.down(now),
                       .jitter = jitter.next()};
    const auto d = schedule::next_check(policy, in);
    apply_decision(d, f.state);
    // With a WebSub lease in force, polling is the safety net only.
    if (!failed && f.state.next_check_at && websub && websub->push_active(f.state.id))
        f.state.next_check_at =
            now + websub::poll_delay(*f.state.next_check_at - now, cfg.schedule.max_interval, true);
    if (d.host_hold_until) host_gate.hold(host, *d.host_hold_until);
    if (d.gap)
        spdlog::warn("schedule: gap feed=\"{}\" items={} every item was new: some were probably missed, "
                     "polling sooner", feed_label(f.cfg), in.result.items);
    const auto next = d.next_check ? format_rfc3339(*d.next_check) : std::string("never");
    if (failed)
        spdlog::warn("fetch: error feed=\"{}\" url={} kind={} streak={} counted={} next={} reason={} error=\"{}\" "
                     "hint=\"{}\"",
                     feed_label(f.cfg), redact_url(f.state.url), in.result.error_kind, f.state.error_streak,
                     d.counted_error, next, d.reason, f.state.last_error, hint_for(in.result.error_kind));
    else
        spdlog::debug("schedule: next feed=\"{}\" at={} reason={}", feed_label(f.cfg), next, d.reason);
}

// Feed states are written in batches: every poll that ends in the same turn of the loop shares
// one transaction (one sync) instead of paying one each.
void Daemon::Impl::save_state(const FeedRuntime& f) {
    pending_states.push_back(f.state);
    if (flush_posted) return;
    flush_posted = true;
    asio::post(io, [this] { flush_states(); });
}

void Daemon::Impl::flush_states() {
    flush_posted = false;
    if (pending_states.empty()) return;
    asio::post(store_thread, [this, batch = std::move(pending_states)] {
        if (auto r = store.save_feed_states(batch); !r)
            spdlog::error("store: cannot save feed states feeds={} error=\"{}\"", batch.size(), r.error().message);
    });
    pending_states.clear();
}

void Daemon::Impl::schedule_at(FeedRuntime& f, seconds delay) {
    f.timer.expires_after(delay);
    f.timer.async_wait([this, &f](const boost::system::error_code& ec) {
        if (!ec) poll(f);
    });
}

void Daemon::Impl::publish(const std::vector<store::RecordedAlert>& alerts,
                           std::chrono::steady_clock::time_point detected) {
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    if (today != alerts_day) {
        alerts_day = today;
        alerts_today = 0;
    }
    for (const auto& a : alerts) {
        if (sinks && for_sinks(a.topic)) sinks->offer({a.seq, a.topic, a.envelope});
        if (auto r = publisher.send(a.topic, a.envelope); !r) {
            spdlog::error("publish: send failed seq={} error=\"{}\"", a.seq, r.error().message);
        } else {
            spdlog::info("publish: alert seq={} topic={}", a.seq, a.topic);
            metrics.alerts_published.inc();
        }
        if (a.topic.starts_with("story."))
            story_events.with({a.topic.substr(6)}).inc();
        else
            metrics.matches.with({a.topic.substr(a.topic.find('.') + 1)}).inc();
        last_seq = std::max(last_seq, a.seq);
        ++alerts_today;
    }
    metrics.last_seq.set(static_cast<double>(last_seq));
    if (!alerts.empty())
        metrics.alert_latency.observe(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - detected).count());
}

void Daemon::Impl::arm_heartbeat() {
    heartbeat.expires_after(cfg.publish.heartbeat);
    heartbeat.async_wait([this](const boost::system::error_code& ec) {
        if (ec || stopping) return;
        (void)publisher.heartbeat(last_seq);
        arm_heartbeat();
    });
}

void Daemon::Impl::count_fetch(const FeedRuntime& f, std::string_view result,
                               const fetch::Response* response) {
    metrics.fetches.with({std::string(result)}).inc();
    if (response) {
        metrics.http_responses.with({std::to_string(response->status)}).inc();
        metrics.fetch_bytes.inc(response->body.size());
        metrics.fetch_duration.observe(std::chrono::duration<double>(response->elapsed).count());
    }
    if (f.state.last_success_at)
        metrics.feed_last_success.with({feed_label(f.cfg)})
            .set(static_cast<double>(f.state.last_success_at->time_since_epoch().count()));
}

std::string Daemon::Impl::status_text() {
    StatusSummary summary{.feeds = feeds.size(), .alerts_today = alerts_today, .last_seq = last_seq};
    for (const auto& f : feeds)
        if (f.state.status == "error" || f.state.status == "gone") ++summary.failing;
    return status_line(summary);
}

std::string Daemon::Impl::watchlists_json() const {
    auto out = nlohmann::json::array();
    for (const auto& w : watchlists_in_force)
        out.push_back({{"name", w.name}, {"query", w.query}, {"feeds", w.feeds}, {"enabled", w.enabled},
                       {"topic", alert_topic(w.name)}, {"story_topic", story_topic(w.name)},
                       {"story_window_s", w.story_window.count()}, {"story_threshold", w.story_threshold},
                       {"alert_on_update", w.alert_on_update}});
    // Delivery policy, when set (docs/delivery-policy.md).
    for (std::size_t i = 0; i < watchlists_in_force.size(); ++i) {
        const auto& w = watchlists_in_force[i];
        if (w.cooldown) out[i]["cooldown"] = format_duration(*w.cooldown);
        if (w.digest) out[i]["digest_topic"] = "digest." + w.name;
        if (w.priority == Priority::high) out[i]["priority"] = "high";
    }
    return out.dump(2);
}

// WATCHDOG=1 only after a real health check: the loop ran this timer, and the store thread
// answered a read of the database and posted the answer back to the loop.
void Daemon::Impl::arm_watchdog() {
    const auto period = notifier.watchdog_period();
    if (!period) return;
    watchdog_timer.expires_after(*period);
    watchdog_timer.async_wait([this](const boost::system::error_code& ec) {
        if (ec || stopping) return;
        asio::post(store_thread, [this] {
            auto seq = store.last_seq();
            asio::post(io, [this, ok = seq.has_value(), why = seq ? std::string() : seq.error().message] {
                store_healthy = ok;
                if (ok)
                    notifier.watchdog();
                else
                    spdlog::error("app: health check failed, no watchdog ping error=\"{}\"", why);
                arm_watchdog();
            });
        });
    });
}

void Daemon::Impl::arm_status() {
    status_timer.expires_after(std::chrono::seconds(5));
    status_timer.async_wait([this](const boost::system::error_code& ec) {
        if (ec || stopping) return;
        if (auto text = status_text(); text != last_status) {
            notifier.status(text);
            last_status = std::move(text);
        }
        arm_status();
    });
}

Result<void> Daemon::Impl::start_http() {
    if (cfg.http.listen.empty()) return {};
    registry.add_collector([this] {
        std::map<std::string, double> by_status{{"new", 0}, {"ok", 0}, {"error", 0}, {"gone", 0}};
        for (const auto& f : feeds) {
            by_status[f.state.status] += 1;
            metrics.feed_error_streak.with({feed_label(f.cfg)}).set(f.state.error_streak);
        }
        for (const auto& [status, n] : by_status) metrics.feeds.with({status}).set(n);
        metrics.queue_depth.with({"polls"}).set(static_cast<double>(polls_in_progress));
        metrics.queue_depth.with({"fetch_queue"}).set(static_cast<double>(http.queued()));
        if (websub) {
            std::map<std::string, double> by_state{{"subscribing", 0}, {"active", 0}, {"unsubscribing", 0},
                                                   {"denied", 0}, {"failed", 0}, {"expired", 0}};
            for (const auto& s : websub->subscriptions()) by_state[push_state(s, now_seconds())] += 1;
            for (const auto& [state, n] : by_state) metrics.websub_subscriptions.with({state}).set(n);
        }
        if (const auto n = replay_requests->load(); n > metrics.replay_requests.value())
            metrics.replay_requests.inc(n - metrics.replay_requests.value());
        if (sinks) {
            for (const auto& st : sinks->status()) {
                metrics.queue_depth.with({"sink:" + st.name}).set(static_cast<double>(st.counters.queued));
                // Counters live in the sink host; the families are set to its totals at scrape time.
                sink_total(st.name, "ok", st.counters.delivered);
                sink_total(st.name, "retry", st.counters.retries);
                sink_total(st.name, "failed", st.counters.failed);
            }
        }
    });
    RouteSources sources{
        .metrics = [this] { return registry.render(); },
        .healthy = [this] { return store_healthy && !stopping; },
        .ready = [this] { return ready && !stopping; },
        .web = {.recent = [this](const auto& filter, std::size_t n) { return alert_reader.recent(filter, n); },
                .page = [this](std::int64_t after, std::size_t n) { return alert_reader.page(after, n); },
                .is_watchlist = [this](std::string_view name) {
                    return std::ranges::any_of(watchlists_in_force, [&](const auto& w) { return w.name == name; });
                },
                .feed_items = cfg.http.feed_items,
                .listen = cfg.http.listen},
        .feeds_json = [this] {
            std::vector<store::FeedState> states;
            for (const auto& f : feeds) states.push_back(f.state);
            return feeds_json(states, websub ? websub->subscriptions() : std::vector<store::Subscription>{}, cfg.feeds);
        },
        .watchlists_json = [this] { return watchlists_json(); },
        .backtest = [this](std::string_view params, RouteSources::BacktestDone done) {
            auto request = parse_backtest_query(params);
            if (!request) {
                done(std::unexpected(request.error()));
                return true;
            }
            return backtests.start(cfg, std::move(*request), std::move(done));
        },
    };
    http::ServerOptions http_options{.listen = cfg.http.listen,
                                     .on_error = [](std::string_view m) { spdlog::warn("http: {}", m); },
                                     .check_host = true,
                                     .allowed_hosts = cfg.http.allowed_hosts};
    http_options.limits.max_connections = cfg.http.max_connections;
    http_options.limits.max_per_peer = cfg.http.max_connections_per_peer;
    auto server = http::Server::start(io, std::move(http_options), make_routes(std::move(sources)));
    if (!server) return std::unexpected(server.error());
    http_server.emplace(std::move(*server));
    return {};
}

// Alerts past [publish] retention and seen-marks past [store] seen_retention are pruned on the
// store thread, at start and then hourly, so that the database stays bounded.
void Daemon::Impl::apply_retention() {
    asio::post(store_thread, [this, alerts_before = now_seconds() - cfg.publish.retention,
                              seen_before = now_seconds() - cfg.store.seen_retention,
                              items_before = now_seconds() - cfg.store.keep_items] {
        auto earliest = store.prune_alerts(alerts_before);
        auto forgotten = store.prune_seen(seen_before);
        // Kept texts go after [store] keep_items, story sources with their alerts.
        if (auto kept = store.prune_kept(items_before, alerts_before); !kept)
            spdlog::error("store: retention of kept items failed error=\"{}\"", kept.error().message);
        stories.board().expire(now_seconds());
        if (!earliest || !forgotten)
            spdlog::error("store: retention failed error=\"{}\"",
                          !earliest ? earliest.error().message : forgotten.error().message);
        else
            spdlog::debug("store: retention earliest_seq={} seen_forgotten={}", *earliest, *forgotten);
    });
    retention_timer.expires_after(std::chrono::hours(1));
    retention_timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec && !stopping) apply_retention();
    });
}

// Held matches whose summary or digest is due become alerts on the store thread, in the same
// seq order as every other alert, and are published back here. Asked every second rather than
// timed to the next due instant: the policy clock (core/time.h) may be steered by a test.
void Daemon::Impl::emit_due_policy() {
    asio::post(store_thread, [this, snapshot = watchlists.load()] {
        auto emitted = emit_due(store, *snapshot, policy_now());
        asio::post(io, [this, emitted = std::move(emitted)] {
            if (!emitted)
                spdlog::error("policy: cannot emit due summaries error=\"{}\"", emitted.error().message);
            else if (!emitted->empty())
                publish(*emitted, std::chrono::steady_clock::now());
            arm_policy_timer();
        });
    });
}

void Daemon::Impl::arm_policy_timer() {
    if (stopping) return;
    policy_timer.expires_after(std::chrono::seconds(1));
    policy_timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec && !stopping) emit_due_policy();
    });
}

void Daemon::Impl::shutdown(std::string_view why) {
    if (stopping) return;
    stopping = true;
    spdlog::info("app: stopping reason=\"{}\" polls_in_progress={}", why, polls_in_progress);
    notifier.stopping();
    ready = false;
    metrics.ready.set(0);
    watchdog_timer.cancel();
    status_timer.cancel();
    if (http_server) http_server->stop();
    if (websub) websub->stop();
    signals.cancel();
    reload_signal.cancel();
    heartbeat.cancel();
    retention_timer.cancel();
    policy_timer.cancel();
    for (auto& f : feeds) f.timer.cancel();
    // Transfers are aborted; bodies already being parsed or recorded finish and publish.
    http.cancel_all();
    if (polls_in_progress == 0) io.stop();
}

void Daemon::Impl::await_reload_signal() {
    reload_signal.async_wait([this](const boost::system::error_code& ec, int) {
        if (ec) return;
        reload();
        await_reload_signal();
    });
}

// The index anchors by rarity measured on the kept texts of the last two days (at most
// [store] keep_items); none kept yet = the length guess. Off the loop, like the build.
static std::shared_ptr<const match::TermFrequencies> frequencies_for(
    const config::Config& config, const std::filesystem::path& state_dir,
    std::shared_ptr<const match::StemOverrides> stems) {
    const auto window = std::min<std::chrono::seconds>(config.store.keep_items, std::chrono::hours(48));
    return recent_term_frequencies(state_dir, window, now_seconds(), std::move(stems));
}

// SIGHUP: the config is read and the watchlists compiled off the loop; the loop then applies the
// difference. Sockets, state and in-flight polls are untouched; items already being matched
// finish on the snapshot they started with.
void Daemon::Impl::reload() {
    if (reloading || stopping) return;
    reloading = true;
    notifier.reloading();
    spdlog::info("app: reloading config={}", cfg.file.string());
    asio::post(workers, [this, file = cfg.file, state_dir = cfg.daemon.state_dir,
                         previous = watchlists_in_force] {
        auto next = config::load(file);
        if (!next) {
            asio::post(io, [this, problems = std::move(next.error())] {
                for (const auto& p : problems) spdlog::error("config: {}", to_string(p));
                spdlog::error("app: reload rejected, the running config stays problems={}", problems.size());
                reloading = false;
                metrics.reloads.with({"invalid"}).inc();
                notifier.ready(status_text());
            });
            return;
        }
        next->daemon.state_dir = state_dir;  // a running daemon keeps its state
        auto stems = stem_overrides_for(*next);
        auto lexicon = lexicon_for(*next);
        if (!stems || !lexicon) {
            asio::post(io, [this, e = !stems ? stems.error() : lexicon.error()] {
                spdlog::error("app: reload rejected, the running config stays error=\"{}\"", e.message);
                reloading = false;
                metrics.reloads.with({"invalid"}).inc();
                notifier.ready(status_text());
            });
            return;
        }
        auto compiled = compile_watchlists(next->watchlists, previous, *stems,
                                           frequencies_for(*next, state_dir, *stems), *lexicon);
        asio::post(io, [this, next = std::move(*next), compiled = std::move(compiled)]() mutable {
            apply_reload(std::move(next), std::move(compiled));
        });
    });
}

void Daemon::Impl::apply_reload(config::Config next, CompiledWatchlists compiled) {
    reloading = false;
    if (stopping) return;
    for (const auto& p : compiled.problems) spdlog::error("config: {}", p);
    for (const auto& n : compiled.notices) spdlog::info("match: {}", n);
    watchlists.store(std::make_shared<const MatchSnapshot>(std::move(compiled.snapshot)));
    watchlists_in_force = std::move(compiled.in_force);

    const auto diff = diff_feeds(cfg.feeds, next.feeds);
    for (const auto& url : diff.removed) {
        for (auto it = feeds.begin(); it != feeds.end();) {
            if (it->cfg.url != url) { ++it; continue; }
            it->timer.cancel();
            if (websub) websub->forget(it->state.id);
            std::erase(waiting_polls, &*it);
            if (it->in_flight) {
                it->removed = true;
                ++it;
            } else {
                it = feeds.erase(it);
            }
        }
    }
    for (const auto& changed : diff.changed)
        for (auto& f : feeds)
            if (f.cfg.url == changed.url && !f.removed) {
                const bool interval_changed = f.cfg.interval != changed.interval;
                f.cfg = changed;
                f.basic_auth = basic_auth_of(f.cfg);
                if (interval_changed && !f.in_flight) {
                    f.timer.cancel();
                    poll(f);
                }
            }
    for (const auto& added : diff.added) {
        // ensure_feed is a write: it goes through the store thread like every other.
        asio::post(store_thread, [this, added] {
            auto state = store.ensure_feed(added.url);
            asio::post(io, [this, added, state = std::move(state)]() mutable {
                if (!state) {
                    spdlog::error("store: cannot add feed url={} error=\"{}\"", redact_url(added.url), state.error().message);
                    return;
                }
                add_feed(added, std::move(*state));
            });
        });
    }
    const auto old_publish = cfg.publish.endpoint;
    cfg.feeds = std::move(next.feeds);
    cfg.watchlists = std::move(next.watchlists);
    cfg.schedule = next.schedule;
    policy = policy_of(cfg.schedule);
    if (next.publish.endpoint != old_publish)
        spdlog::warn("app: [publish] endpoint changes take effect at the next restart");
    if (next.websub.callback_base != cfg.websub.callback_base || next.websub.listen != cfg.websub.listen ||
        next.websub.lease != cfg.websub.lease)
        spdlog::warn("app: [websub] changes take effect at the next restart");
    // A watchlist that kept its previous query (its new text is invalid) makes the reload
    // partial: applied, but not as written, which an alert rule must be able to see.
    metrics.reloads.with({compiled.problems.empty() ? "ok" : "partial"}).inc();
    metrics.last_reload.set(static_cast<double>(now_seconds().time_since_epoch().count()));
    for (const auto& url : diff.removed)
        for (const auto& f : cfg.feeds)
            if (f.url == url) metrics.forget_feed(feed_label(f));
    notifier.ready(status_text());
    spdlog::info("app: reloaded feeds_added={} feeds_removed={} feeds_changed={} watchlists={} problems={}",
                 diff.added.size(), diff.removed.size(), diff.changed.size(),
                 watchlists_in_force.size(), compiled.problems.size());
}

void Daemon::Impl::add_feed(config::FeedConfig f, store::FeedState state) {
    if (stopping) return;
    if (std::ranges::any_of(feeds, [&](const FeedRuntime& x) { return x.cfg.url == f.url && !x.removed; }))
        return;
    auto& runtime = feeds.emplace_back(io, std::move(f), std::move(state));
    poll(runtime);
}

Result<void> Daemon::Impl::start_websub() {
    if (options.once) return {};  // one sweep and out: nobody would be there to receive a push
    std::vector<std::int64_t> ids;
    for (const auto& f : feeds) ids.push_back(f.state.id);
    WebSubHooks hooks{
        .on_push = [this](std::int64_t id, std::string body, std::string type) {
            return on_push(id, std::move(body), std::move(type));
        },
        .feed_name = [this](std::int64_t id) {
            const auto* f = feed_by_id(id);
            return f ? feed_label(f->cfg) : std::string();
        },
        .allow_private = [this](std::int64_t id) {
            const auto* f = feed_by_id(id);
            return f && f->cfg.allow_private_networks.value_or(false);
        },
        .allow_insecure_secret = [this](std::int64_t id) {
            const auto* f = feed_by_id(id);
            return f && f->cfg.websub_allow_insecure_secret;
        },
        .count_push = [this](std::string_view result) { metrics.websub_pushes.with({std::string(result)}).inc(); },
    };
    auto started = WebSub::start(io, store_thread, store, cfg, ids, std::move(hooks));
    if (!started) return std::unexpected(started.error());
    websub = std::move(*started);
    return {};
}

FeedRuntime* Daemon::Impl::feed_by_id(std::int64_t feed_id) {
    for (auto& f : feeds)
        if (f.state.id == feed_id && !f.removed) return &f;
    return nullptr;
}

void Daemon::Impl::discover_hub(FeedRuntime& f, const fetch::Response& response) {
    if (!websub) return;
    std::vector<std::string> links;
    for (const auto& [name, value] : response.headers)
        if (name == "link") links.push_back(value);
    websub->discovered(f.state.id, websub::discover(links, f.hints, f.state.url));
}

// A verified push: parsed and matched on a worker, recorded on the store thread (the same
// seen-marks deduplicate it against polls), published on the loop. Counted with the polls so
// that shutdown waits for it and memory stays bounded.
bool Daemon::Impl::on_push(std::int64_t feed_id, std::string body, std::string content_type) {
    const auto* f = feed_by_id(feed_id);
    if (!f || stopping) return true;  // nothing to do with it: acknowledged all the same
    if (polls_in_progress >= max_polls) return false;
    const std::string title = f->cfg.name != f->cfg.url ? f->cfg.name : "";
    FeedContext ctx{f->state.id, feed_label(f->cfg), title, f->cfg.url, f->cfg.language, f->cfg.backfill};
    ctx.defer_explanations = true;  // explained on the store thread, for new items only
    ++polls_in_progress;
    asio::post(workers, [this, ctx = std::move(ctx), body = std::move(body), type = std::move(content_type),
                         url = f->state.url, snapshot = watchlists.load(),
                         detected = std::chrono::steady_clock::now()] {
        auto parsed = feed::parse(body, {.content_type = type, .url = url});
        if (!parsed) {
            asio::post(io, [this, id = ctx.feed_id, e = parsed.error()] { on_push_recorded(id, Result<store::RecordResult>(std::unexpected(e)), 0, {}); });
            return;
        }
        // The same path as a poll's body: stories, delivery policy and explanations included.
        auto poll = build_poll_record(ctx, *parsed, *snapshot, now_seconds());
        asio::post(store_thread, [this, id = ctx.feed_id, poll = std::move(poll), items = parsed->items.size(),
                                  detected, snapshot]() mutable {
            auto result = record_with_stories(poll, *snapshot);
            asio::post(io, [this, id, result = std::move(result), items, detected] {
                on_push_recorded(id, result, items, detected);
            });
        });
    });
    return true;
}

void Daemon::Impl::on_push_recorded(std::int64_t feed_id, const Result<store::RecordResult>& result,
                                    std::size_t items, std::chrono::steady_clock::time_point detected) {
    --polls_in_progress;
    start_waiting_poll();
    auto* f = feed_by_id(feed_id);
    const std::string name = f ? feed_label(f->cfg) : "#" + std::to_string(feed_id);
    if (!result) {
        spdlog::error("websub: push not recorded feed=\"{}\" kind={} error=\"{}\"", name, result.error().kind,
                      result.error().message);
    } else {
        publish(result->alerts, detected);
        metrics.items_parsed.inc(items);
        metrics.items_new.inc(result->new_items);
        if (f) f->state.items_seen += static_cast<std::int64_t>(result->new_items);
        spdlog::info("websub: recorded feed=\"{}\" items={} new={} alerts={}", name, items, result->new_items,
                     result->alerts.size());
    }
    if (stopping && polls_in_progress == 0) io.stop();
}

Result<std::unique_ptr<Daemon>> Daemon::create(config::Config cfg, RunOptions options) {
    // Store::open creates the state directory, private (0700), whatever the umask.
    auto store = store::Store::open(cfg.daemon.state_dir);
    if (!store) return std::unexpected(store.error());
    auto stems = stem_overrides_for(cfg);
    if (!stems) return std::unexpected(stems.error());
    auto lexicon = lexicon_for(cfg);
    if (!lexicon) return std::unexpected(lexicon.error());
    auto watchlists =
        compile_watchlists(cfg.watchlists, {}, *stems, frequencies_for(cfg, cfg.daemon.state_dir, *stems), *lexicon);
    for (const auto& n : watchlists.notices) spdlog::info("match: {}", n);
    if (!watchlists.problems.empty()) {
        std::string message;
        for (const auto& p : watchlists.problems) message += (message.empty() ? "" : "; ") + p;
        return fail("config", message);
    }
    std::vector<std::string> urls;
    for (const auto& f : cfg.feeds) urls.push_back(f.url);
    auto ensured = store->ensure_feeds(urls);  // one transaction: one sync, not one per feed
    if (!ensured) return std::unexpected(ensured.error());
    std::vector<store::FeedState> states = std::move(*ensured);
    auto last_seq = store->last_seq();
    if (!last_seq) return std::unexpected(last_seq.error());
    std::unique_ptr<StoreCursorStore> cursor_store;
    std::unique_ptr<sink::SinkHost> sinks;
    if (!cfg.sinks.empty()) {
        auto cs = StoreCursorStore::open(cfg.daemon.state_dir);
        if (!cs) return std::unexpected(cs.error());
        auto host = start_sinks(cfg, *store, **cs);
        if (!host) return std::unexpected(host.error());
        cursor_store = std::move(*cs);
        sinks = std::move(*host);
    }
    auto replay_requests = std::make_shared<std::atomic<std::uint64_t>>(0);
    auto curve = publish::curve_server_from(cfg.publish.curve_secret_key_file, cfg.publish.curve_allowed_clients);
    if (!curve) return std::unexpected(curve.error());
    // Bound before the first fetch, so that a subscriber can connect before any alert exists.
    auto publisher = publish::Publisher::bind({.endpoint = cfg.publish.endpoint,
                                               .send_hwm = cfg.publish.send_hwm,
                                               .curve = *curve,
                                               .allow_insecure = cfg.publish.allow_insecure});
    if (!publisher) return std::unexpected(publisher.error());
    auto replay = publish::ReplayServer::start({.endpoint = cfg.publish.replay_endpoint,
                                                .max_batch = cfg.publish.max_batch,
                                                .curve = *curve,
                                                .allow_insecure = cfg.publish.allow_insecure},
                                               replay_source(cfg.daemon.state_dir, replay_requests));
    if (!replay) return std::unexpected(replay.error());

    auto impl = std::make_unique<Impl>(std::move(cfg), options, std::move(*store),
                                       std::move(*publisher), std::move(*replay), std::move(watchlists),
                                       std::move(cursor_store), std::move(sinks));
    impl->last_seq = *last_seq;
    if (auto loaded = impl->stories.load(impl->store, impl->watchlists.load()->stories, now_seconds()); !loaded)
        return std::unexpected(loaded.error());
    impl->replay_requests = std::move(replay_requests);
    if (auto up = impl->start_http(); !up) return std::unexpected(up.error());
    for (std::size_t i = 0; i < states.size(); ++i)
        impl->feeds.emplace_back(impl->io, impl->cfg.feeds[i], std::move(states[i]));
    if (auto up = impl->start_websub(); !up) return std::unexpected(up.error());
    spdlog::info("app: started feeds={} watchlists={} publish={} replay={} http={} curve={} state_dir={} last_seq={}",
                 impl->feeds.size(), impl->cfg.watchlists.size(), impl->publisher.endpoint(),
                 impl->replay.endpoint(), impl->http_server ? impl->http_server->address() : "off",
                 curve->enabled() ? "on" : "off",
                 impl->cfg.daemon.state_dir.string(), impl->last_seq);
    return std::unique_ptr<Daemon>(new Daemon(std::move(impl)));
}

Daemon::Daemon(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Daemon::~Daemon() = default;

int Daemon::run() {
    impl_->start();
    impl_->io.run();
    impl_->flush_states();  // states of the last polls, if the loop stopped before their flush
    // The loop is done: let parsing and the last state writes finish before the store closes.
    impl_->workers.join();
    impl_->store_thread.join();
    // A summary committed while the loop was stopping was not published live; the last heartbeat
    // still announces it, so that subscribers replay it.
    if (auto seq = impl_->store.last_seq()) impl_->last_seq = std::max(impl_->last_seq, *seq);
    // A last heartbeat after every alert: a subscriber that sees it knows it has them all. The
    // loop thread is gone, so this thread is now the socket's only user.
    (void)impl_->publisher.heartbeat(impl_->last_seq);
    // Sinks finish the delivery in flight; what is still queued stays owed (the cursor says so)
    // and is offered again at the next start.
    if (impl_->sinks) impl_->sinks->stop();
    spdlog::info("app: stopped last_seq={}", impl_->last_seq);
    if (impl_->options.once && impl_->exit_status == 0) return impl_->once_outcome();
    return impl_->exit_status;
}

}  // namespace ww::app
