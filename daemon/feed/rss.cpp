#include <charconv>

#include "feed/formats.h"
#include "feed/url.h"

namespace ww::feed {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
    while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
    return s;
}

std::uint64_t to_u64(std::string_view s) {
    s = trim(s);
    std::uint64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

bool main_ns(Ns ns, Ns main) { return ns == main || ns == Ns::none; }

void add_unique(std::vector<std::string>& list, std::string value) {
    if (value.empty()) return;
    for (const auto& v : list)
        if (v == value) return;
    list.push_back(std::move(value));
}

// The candidates of one item, resolved into an Item once every element has been seen, so that
// precedence does not depend on element order.
struct ItemDraft {
    std::string title, dc_title, media_title;
    std::string link, atom_link, guid_link;
    std::string guid;
    std::string description, content, itunes_summary, media_description, dc_description;
    std::string pub_date, dc_date, updated;
    std::string language;
};

void read_media(pugi::xml_node e, std::string_view local, ItemDraft& d, Item& item,
                Context& ctx, const std::string& base) {
    if (local == "content") {
        const auto url = attr(e, "url");
        if (!url.empty())
            item.enclosures.push_back({resolve_url(base, url), std::string(attr(e, "type")),
                                       to_u64(attr(e, "fileSize"))});
        // media:content may carry its own title and description.
        for (auto c : e.children()) {
            const auto n = ctx.names().of(c, Ns::none);
            if (n.ns == Ns::media && n.local != "content") read_media(c, n.local, d, item, ctx, base);
        }
    } else if (local == "group") {
        for (auto c : e.children()) {
            const auto n = ctx.names().of(c, Ns::none);
            if (n.ns == Ns::media && n.local != "group") read_media(c, n.local, d, item, ctx, base);
        }
    } else if (local == "description" && d.media_description.empty()) {
        d.media_description = attr(e, "type") == "html" ? markup_of(e) : text_of(e);
    } else if (local == "title" && d.media_title.empty()) {
        d.media_title = text_of(e);
    } else if (local == "category" || local == "keywords") {
        if (local == "category") add_unique(item.categories, std::string(trim(text_of(e))));
    } else if (local == "credit") {
        // Credits name photographers more often than writers: not authors.
    }
}

}  // namespace

std::string author_name(std::string_view raw) {
    auto s = trim(raw);
    if (s.empty()) return {};
    const auto open = s.find('(');
    if (open != std::string_view::npos && s.back() == ')' && s.substr(0, open).find('@') != s.npos) {
        auto name = trim(s.substr(open + 1, s.size() - open - 2));
        if (!name.empty()) return std::string(name);
    }
    const auto lt = s.find('<');
    if (lt != std::string_view::npos && lt > 0 && s.back() == '>') {
        auto name = trim(s.substr(0, lt));
        if (!name.empty()) return std::string(name);
    }
    return std::string(s);
}

Item read_rss_item(pugi::xml_node node, Ns main, Context& ctx, const std::string& parent_base) {
    Item item;
    ItemDraft d;
    const auto base = ctx.base_of(node, parent_base);
    const Ns dflt = ctx.names().default_ns(node, main);
    if (const auto lang = node.attribute("xml:lang")) d.language = lang.value();
    for (auto e = node.first_child(); e; e = e.next_sibling()) {
        if (e.type() != pugi::node_element) continue;
        const auto n = ctx.names().of(e, dflt);
        const auto l = n.local;
        if (main_ns(n.ns, main)) {
            if (l == "title") d.title = markup_of(e);
            else if (l == "link") {
                if (d.link.empty()) d.link = trim(text_of(e));
                if (d.link.empty() && !attr(e, "href").empty()) d.link = trim(attr(e, "href"));
            } else if (l == "description") d.description = markup_of(e);
            else if (l == "guid") {
                d.guid = trim(markup_of(e));
                const auto perma = attr(e, "isPermaLink");
                if (perma != "false" && (d.guid.starts_with("http://") || d.guid.starts_with("https://")))
                    d.guid_link = d.guid;
            } else if (l == "pubDate") d.pub_date = text_of(e);
            else if (l == "author") add_unique(item.authors, author_name(text_of(e)));
            else if (l == "category") add_unique(item.categories, std::string(trim(text_of(e))));
            else if (l == "enclosure") {
                const auto url = attr(e, "url");
                if (!url.empty())
                    item.enclosures.push_back({resolve_url(base, url), std::string(attr(e, "type")),
                                               to_u64(attr(e, "length"))});
            }
        } else switch (n.ns) {
            case Ns::content:
                if (l == "encoded") d.content = markup_of(e);
                break;
            case Ns::dc:
                if (l == "creator" || l == "contributor") add_unique(item.authors, author_name(text_of(e)));
                else if (l == "date") d.dc_date = text_of(e);
                else if (l == "subject") add_unique(item.categories, std::string(trim(text_of(e))));
                else if (l == "title") d.dc_title = text_of(e);
                else if (l == "description") d.dc_description = markup_of(e);
                else if (l == "language" && d.language.empty()) d.language = trim(text_of(e));
                break;
            case Ns::dcterms:
                if (l == "modified") d.updated = text_of(e);
                else if ((l == "created" || l == "issued") && d.dc_date.empty()) d.dc_date = text_of(e);
                break;
            case Ns::atom:
                if (l == "link") {
                    const auto rel = attr(e, "rel");
                    if (rel.empty() || rel == "alternate") {
                        if (d.atom_link.empty()) d.atom_link = trim(attr(e, "href"));
                    } else if (rel == "enclosure") {
                        item.enclosures.push_back({resolve_url(base, attr(e, "href")),
                                                   std::string(attr(e, "type")),
                                                   to_u64(attr(e, "length"))});
                    }
                } else if (l == "updated") d.updated = text_of(e);
                else if (l == "published" && d.dc_date.empty()) d.dc_date = text_of(e);
                else if (l == "author") {
                    auto name = e.child("atom:name") ? text_of(e.child("atom:name")) : text_of(e);
                    add_unique(item.authors, author_name(name));
                }
                break;
            case Ns::media:
                read_media(e, l, d, item, ctx, base);
                break;
            case Ns::itunes:
                if (l == "author") add_unique(item.authors, author_name(text_of(e)));
                else if (l == "title" && d.media_title.empty()) d.media_title = text_of(e);
                else if ((l == "summary" || l == "subtitle") && d.itunes_summary.empty())
                    d.itunes_summary = markup_of(e);
                break;
            default:
                break;
        }
    }

    item.guid = std::move(d.guid);
    const std::string& title = !d.title.empty() ? d.title : !d.dc_title.empty() ? d.dc_title : d.media_title;
    item.title = ctx.html(title);
    const std::string& link = !d.link.empty() ? d.link : !d.atom_link.empty() ? d.atom_link : d.guid_link;
    item.link = resolve_url(base, link);
    const std::string& summary = !d.description.empty()       ? d.description
                                 : !d.dc_description.empty()  ? d.dc_description
                                 : !d.itunes_summary.empty()  ? d.itunes_summary
                                                              : d.media_description;
    item.summary = ctx.html(summary);
    item.content = ctx.html(d.content);
    item.published = ctx.date(!d.pub_date.empty() ? d.pub_date : d.dc_date);
    item.updated = ctx.date(d.updated);
    item.language = !d.language.empty() ? std::move(d.language) : ctx.feed().language;
    return item;
}

bool read_rss_channel_element(pugi::xml_node e, Name n, Ns main, Context& ctx, const std::string& base) {
    Feed& feed = ctx.feed();
    const auto l = n.local;
    if (main_ns(n.ns, main)) {
        if (l == "title") feed.title = ctx.html(markup_of(e));
        else if (l == "link") {
            if (feed.link.empty()) feed.link = resolve_url(base, text_of(e));
        } else if (l == "description") feed.description = ctx.html(markup_of(e));
        else if (l == "language") feed.language = trim(text_of(e));
        else if (l == "lastBuildDate") feed.updated = ctx.date(text_of(e));
        else if (l == "pubDate") {
            if (!feed.updated) feed.updated = ctx.date(text_of(e));
        } else if (l == "ttl") {
            feed.hints.ttl_seconds = static_cast<std::int64_t>(to_u64(text_of(e))) * 60;
        } else if (l == "skipHours") {
            for (auto h : e.children()) {
                const auto v = to_u64(text_of(h));
                if (v <= 24) feed.hints.skip_hours.push_back(static_cast<int>(v % 24));
            }
        } else if (l == "skipDays") {
            for (auto d : e.children()) {
                auto day = std::string(trim(text_of(d)));
                if (!day.empty()) feed.hints.skip_days.push_back(std::move(day));
            }
        } else {
            return false;
        }
        return true;
    }
    switch (n.ns) {
        case Ns::atom:
            if (l == "link") {
                const auto rel = attr(e, "rel");
                const auto href = resolve_url(base, attr(e, "href"));
                if (rel == "self") feed.hints.self_url = href;
                else if (rel == "hub") feed.hints.hubs.push_back(href);
                else if ((rel.empty() || rel == "alternate") && feed.link.empty()) feed.link = href;
                return true;
            }
            return false;
        case Ns::dc:
            if (l == "language" && feed.language.empty()) feed.language = trim(text_of(e));
            else if (l == "date" && !feed.updated) feed.updated = ctx.date(text_of(e));
            else if (l == "title" && feed.title.empty()) feed.title = ctx.html(text_of(e));
            else return false;
            return true;
        case Ns::sy: {
            // sy:updatePeriod / sy:updateFrequency: the period divided by the frequency.
            static constexpr std::pair<std::string_view, std::int64_t> kPeriods[] = {
                {"hourly", 3600}, {"daily", 86400}, {"weekly", 604800},
                {"monthly", 2592000}, {"yearly", 31536000}};
            if (l == "updatePeriod") {
                const auto p = trim(text_of(e));
                for (const auto& [name, secs] : kPeriods)
                    if (p == name) ctx.sy_period = secs;
            } else if (l == "updateFrequency") {
                ctx.sy_frequency = static_cast<std::int64_t>(to_u64(text_of(e)));
            } else {
                return false;
            }
            return true;
        }
        case Ns::itunes:
            if (l == "summary" && feed.description.empty()) feed.description = ctx.html(markup_of(e));
            else return false;
            return true;
        default:
            return false;
    }
}

void read_rss(pugi::xml_node root, Context& ctx) {
    Feed& feed = ctx.feed();
    feed.format = "rss";
    const auto version = trim(attr(root, "version"));
    feed.version = version.empty() ? "2.0" : std::string(version);
    const bool bare_channel = std::string_view(root.name()) == "channel";
    const auto channel = bare_channel ? root : root.child("channel");
    const std::string root_base = ctx.base_of(root, std::string(ctx.options().url));
    const std::string base = ctx.base_of(channel, root_base);
    const Ns dflt = ctx.names().default_ns(root, Ns::none);
    // First the channel's own elements, so that items can inherit the feed language and the
    // channel link can serve as a base when there is no other.
    for (auto e = channel.first_child(); e; e = e.next_sibling())
        if (e.type() == pugi::node_element && std::string_view(e.name()) != "item")
            read_rss_channel_element(e, ctx.names().of(e, dflt), Ns::none, ctx, base);
    const std::string item_base = base.empty() ? feed.link : base;
    // Items belong in the channel, but RSS 0.9x-style feeds sometimes put them beside it.
    for (auto parent : {channel, bare_channel ? pugi::xml_node() : root}) {
        for (auto e = parent.child("item"); e; e = e.next_sibling("item")) {
            if (!ctx.room_for_item()) break;
            feed.items.push_back(read_rss_item(e, Ns::none, ctx, item_base));
        }
    }
}

}  // namespace ww::feed
