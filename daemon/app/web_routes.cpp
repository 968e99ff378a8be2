#include "app/web_routes.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/web_feeds.h"
#include "app/web_page.h"
#include "core/text.h"

namespace ww::app {

Result<store::Store*> AlertReader::open() {
    if (!store_) {
        auto opened = store::Store::open(state_dir_, store::Mode::read_only);
        if (!opened) return std::unexpected(opened.error());
        store_.emplace(std::move(*opened));
    }
    return &*store_;
}

Result<std::vector<store::RecordedAlert>> AlertReader::recent(const store::Store::RecentFilter& filter,
                                                              std::size_t limit) {
    auto db = open();
    if (!db) return std::unexpected(db.error());
    auto r = (*db)->recent_alerts(filter, limit);
    if (!r) store_.reset();  // a broken connection is not kept: the next request opens a new one
    return r;
}

Result<store::AlertPage> AlertReader::page(std::int64_t after, std::size_t limit) {
    auto db = open();
    if (!db) return std::unexpected(db.error());
    auto r = (*db)->alert_page(after, "", limit);
    if (!r) store_.reset();
    return r;
}

namespace {

using By = store::Store::RecentFilter::By;

// A feed shows alerts and the summaries and digests that stand for held alerts; story events
// are not alerts (docs/protocol.md). Two index walks, merged newest first.
Result<std::vector<store::RecordedAlert>> feed_alerts(const WebSources& s, const std::string& watchlist) {
    std::vector<store::RecordedAlert> out;
    for (const std::string kind : {"alert.", "digest."}) {
        auto part = watchlist.empty() ? s.recent({By::kind, kind}, s.feed_items)
                                      : s.recent({By::topic, kind + watchlist}, s.feed_items);
        if (!part) return std::unexpected(part.error());
        std::ranges::move(*part, std::back_inserter(out));
    }
    std::ranges::sort(out, std::ranges::greater{}, &store::RecordedAlert::seq);
    if (out.size() > s.feed_items) out.resize(s.feed_items);
    return out;
}

// "http://<Host>": the self link names the feed as the reader asked for it. A Host that is not
// a plain authority falls back to the listen address.
std::string base_url(const http::Request& request, const std::string& listen) {
    const auto host = request.header("Host");
    const bool plain = !host.empty() && host.find_first_of("/\\ \t\"<>@?#") == std::string_view::npos;
    return "http://" + std::string(plain ? host : std::string_view(listen));
}

std::string http_date(SysSeconds t) {
    const std::time_t tt = t.time_since_epoch().count();
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
}

// Feed readers poll: a strong ETag of the body lets them get a 304 instead.
http::Response cacheable(const http::Request& request, std::string body, std::string content_type,
                         const std::vector<store::RecordedAlert>& alerts) {
    const std::string etag = "\"" + hex64(fnv1a64(body)) + "\"";
    http::Response r;
    r.headers.emplace_back("ETag", etag);
    r.headers.emplace_back("Cache-Control", "no-cache");
    if (!alerts.empty())
        if (const auto at = detected_at(alerts.front()))
            r.headers.emplace_back("Last-Modified", http_date(*at));
    if (request.header("If-None-Match").find(etag) != std::string_view::npos) {
        r.status = 304;
        r.content_type.clear();
        return r;
    }
    r.content_type = std::move(content_type);
    r.body = std::move(body);
    return r;
}

http::Response feed_response(const WebSources& s, const http::Request& request) {
    const auto path = parse_feed_path(request.path);
    if (!path) return http::Response::text(404, "not found\n");
    if (!path->watchlist.empty() && !s.is_watchlist(path->watchlist))
        return http::Response::text(404, "web: no watchlist named \"" + path->watchlist + "\"\n");
    const auto alerts = feed_alerts(s, path->watchlist);
    if (!alerts) return http::Response::text(500, "web: cannot read the alert log: " + alerts.error().message + "\n");
    const auto meta = feed_meta(*path, base_url(request, s.listen), s.now());
    if (path->format == FeedFormat::atom)
        return cacheable(request, render_atom(*alerts, meta), "application/atom+xml; charset=utf-8", *alerts);
    return cacheable(request, render_json_feed(*alerts, meta), "application/feed+json; charset=utf-8", *alerts);
}

constexpr std::size_t kMaxPage = 500;

// {"earliest_seq", "last_seq", "alerts": [{"seq", "topic", "envelope"}]}, oldest first. The
// envelopes are the log's own JSON, copied as they are.
std::string alerts_json(const std::vector<store::RecordedAlert>& alerts, std::int64_t earliest, std::int64_t last) {
    std::string out = "{\"earliest_seq\":" + std::to_string(earliest) + ",\"last_seq\":" + std::to_string(last) +
                      ",\"alerts\":[";
    for (std::size_t i = 0; i < alerts.size(); ++i)
        out += std::string(i ? "," : "") + "{\"seq\":" + std::to_string(alerts[i].seq) + ",\"topic\":" +
               nlohmann::json(alerts[i].topic).dump() + ",\"envelope\":" + alerts[i].envelope + "}";
    return out + "]}";
}

// GET /api/alerts?after=SEQ&limit=N: the alerts after SEQ (a range of the primary key), or
// without `after` the newest N; every topic, so that a page can group story events.
http::Response api_alerts(const WebSources& s, const http::Request& request) {
    std::optional<std::int64_t> after;
    std::size_t limit = 100;
    for (const auto& [name, value] : parse_query_string(request.query)) {
        std::int64_t n = -1;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec != std::errc{} || end != value.data() + value.size() || n < 0 || (name != "after" && name != "limit"))
            return http::Response::json(R"({"error":"web: /api/alerts takes after=SEQ and limit=1..500"})", 400);
        if (name == "after") after = n;
        else limit = std::clamp<std::size_t>(std::size_t(n), 1, kMaxPage);
    }
    if (after) {
        auto page = s.page(*after, limit);
        if (!page) return http::Response::json(nlohmann::json{{"error", page.error().message}}.dump(), 500);
        return http::Response::json(alerts_json(page->alerts, page->earliest_seq, page->last_seq));
    }
    auto recent = s.recent({By::all, ""}, limit);
    if (!recent) return http::Response::json(nlohmann::json{{"error", recent.error().message}}.dump(), 500);
    std::ranges::reverse(*recent);
    const std::int64_t last = recent->empty() ? 0 : recent->back().seq;
    return http::Response::json(alerts_json(*recent, recent->empty() ? 1 : recent->front().seq, last));
}

http::Response page_response() {
    http::Response r = http::Response::text(200, std::string(web_page_html()));
    r.content_type = "text/html; charset=utf-8";
    // Everything the page needs is in it; it talks only to this listener, and what it shows
    // comes from feeds, so no script, frame or form may come from anywhere else.
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                           "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    return r;
}

}  // namespace

void add_web_routes(http::Router& router, WebSources sources) {
    auto s = std::make_shared<const WebSources>(std::move(sources));
    router.add_prefix("GET", "/feeds/", [s](const http::Request& request) { return feed_response(*s, request); });
    if (s->page) router.get("/api/alerts", [s](const http::Request& request) { return api_alerts(*s, request); });
    router.get("/", [](const http::Request&) { return page_response(); });
}

}  // namespace ww::app
