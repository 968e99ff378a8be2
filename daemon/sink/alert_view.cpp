#include "sink/alert_view.h"

#include "core/time.h"
#include "core/url.h"
#include "sink/render.h"

namespace ww::sink {

namespace {

std::vector<ww_str> views_of(const std::vector<std::string>& v) {
    std::vector<ww_str> out;
    out.reserve(v.size());
    for (const auto& s : v) out.push_back(to_ww_str(s));
    return out;
}

// Some plugins read fields directly (a link for a button, the feed URL in a footer), not only
// through render: they get them as safe as rendered text. The envelope stays as published.
void make_chat_safe(Alert& a) {
    a.item.link = safe_link(a.item.link);
    a.feed.url = redact_url(a.feed.url);
    a.feed.title = chat_text(a.feed.title);
    a.item.title = chat_text(a.item.title);
    a.item.summary = chat_text(a.item.summary);
    a.match.snippet = chat_text(a.match.snippet);
    for (auto* list : {&a.item.authors, &a.item.categories, &a.match.terms})
        for (auto& s : *list) s = chat_text(s);
}

}  // namespace

Result<std::unique_ptr<AlertView>> make_alert_view(const OfferedAlert& offered) {
    auto parsed = parse_envelope(offered.envelope);
    if (!parsed)
        return fail("envelope", "sink: alert seq=" + std::to_string(offered.seq) +
                                    " has an unreadable envelope: " + parsed.error().message);
    if (parsed->seq != offered.seq)
        return fail("envelope", "sink: alert seq=" + std::to_string(offered.seq) +
                                    " carries seq=" + std::to_string(parsed->seq) + " in its envelope");
    auto v = std::make_unique<AlertView>();
    v->alert = std::move(*parsed);
    make_chat_safe(v->alert);
    v->topic = offered.topic;
    v->envelope = offered.envelope;
    v->published = v->alert.item.published ? format_rfc3339(*v->alert.item.published) : "";
    v->detected_at = format_rfc3339(v->alert.detected_at);
    v->terms = views_of(v->alert.match.terms);
    v->categories = views_of(v->alert.item.categories);
    v->authors = views_of(v->alert.item.authors);
    const Alert& a = v->alert;
    ww_alert& c = v->c;
    c.struct_size = sizeof(ww_alert);
    c.seq = a.seq;
    c.topic = to_ww_str(v->topic);
    c.envelope = to_ww_str(v->envelope);
    c.alert_id = to_ww_str(a.alert_id);
    c.detected_at = to_ww_str(v->detected_at);
    c.watchlist = to_ww_str(a.watchlist);
    c.query = to_ww_str(a.query);
    c.feed_title = to_ww_str(a.feed.title);
    c.feed_url = to_ww_str(a.feed.url);
    c.title = to_ww_str(a.item.title);
    c.link = to_ww_str(a.item.link);
    c.published = to_ww_str(v->published);
    c.summary = to_ww_str(a.item.summary);
    c.language = to_ww_str(a.item.language);
    c.snippet = to_ww_str(a.match.snippet);
    c.terms = v->terms.data();
    c.terms_count = v->terms.size();
    c.categories = v->categories.data();
    c.categories_count = v->categories.size();
    c.authors = v->authors.data();
    c.authors_count = v->authors.size();
    return v;
}

}  // namespace ww::sink
