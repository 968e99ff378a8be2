#include "app/web_routes.h"

#include <algorithm>
#include <ctime>

#include "app/web_feeds.h"
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

}  // namespace

void add_web_routes(http::Router& router, WebSources sources) {
    router.add_prefix("GET", "/feeds/",
                      [s = std::move(sources)](const http::Request& request) { return feed_response(s, request); });
}

}  // namespace ww::app
