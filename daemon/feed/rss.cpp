#include <charconv>

#include "feed/formats.h"
#include "feed/url.h"

namespace ww::feed {
namespace {

bool main_ns(Ns ns, Ns main) { return ns == main || ns == Ns::none; }

void add_unique(std::vector<std::string>& list, std::string value) {
    if (value.empty()) return;
    for (const auto& v : list)
        if (v == value) return;
    list.push_back(std::move(value));
}

// The candidates of one item, resolved into an Item once every element has been seen, so that
// precedence does not depend on element order.
// Views into the document (or the Context's storage): nothing is copied until chosen.
struct ItemDraft {
    std::string_view title, dc_title, media_title;
    std::string_view link, atom_link, guid_link, origin_link;
    std::string_view guid;
    std::string_view description, content, itunes_summary, media_description, dc_description;
    std::string_view pub_date, dc_date, updated;
    std::string_view language;
    std::string link_base;  // the <link> element's own xml:base, when it has one
};

void read_media(XmlNode e, std::string_view local, ItemDraft& d, Item& item,
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
        d.media_description = attr(e, "type") == "html" ? ctx.markup(e) : ctx.text(e);
    } else if (local == "title" && d.media_title.empty()) {
        d.media_title = ctx.text(e);
    } else if (local == "category" || local == "keywords") {
        if (local == "category") add_unique(item.categories, std::string(trim(ctx.text(e))));
    } else if (local == "credit") {
        // Credits name photographers more often than writers: not authors.
    }
}

// The local name of an iTunes element in lower case. One of the names we read written in
// upper case (<itunes:Author>) makes the feed bozo; camelCase names such as episodeType are
// Apple's own spelling and are not flagged.
std::string_view itunes_local(std::string_view local, std::array<char, 32>& buf, Context& ctx) {
    // Upper case shows in the first letter (Author, AUTHOR): one test for the usual names.
    if (local.empty() || !(local[0] >= 'A' && local[0] <= 'Z')) return local;
    const auto l = ascii_lower(local, buf);
    if (l.data() != local.data() &&
        (l == "author" || l == "title" || l == "summary" || l == "subtitle" || l == "category"))
        ctx.flag("itunes: element names in upper case");
    return l;
}

// Dublin Core names a person in several ways; feeds use each of them for the author.
bool is_dc_author(std::string_view local) {
    return local == "creator" || local == "contributor" || local == "author";
}

// <itunes:category text="Technology"><itunes:category text="Podcasting"/></itunes:category>:
// every level is a category, outer ones first. A work list, not recursion: no input depth
// reaches the stack.
void read_itunes_category(XmlNode e, std::vector<std::string>& categories, Context& ctx) {
    std::vector<XmlNode> levels{e};
    for (std::size_t k = 0; k < levels.size(); ++k) {
        add_unique(categories, std::string(trim(attr(levels[k], "text"))));
        for (auto sub : levels[k].children()) {
            if (sub.type() != NodeType::element) continue;
            const auto n = ctx.names().of(sub, Ns::none);
            std::array<char, 32> buf;
            if (n.ns == Ns::itunes && itunes_local(n.local, buf, ctx) == "category") levels.push_back(sub);
        }
    }
}

}  // namespace

std::string author_name(std::string_view raw) {
    auto s = trim(raw);
    if (s.empty()) return {};
    const auto open = s.find('(');
    if (open != std::string_view::npos && s.back() == ')') {
        const auto before = trim(s.substr(0, open));
        const auto inside = trim(s.substr(open + 1, s.size() - open - 2));
        if (before.find('@') != s.npos && !inside.empty()) return std::string(inside);
        // "Jane Doe (jane@example.com)", as dc:author is often written.
        if (inside.find('@') != s.npos && !before.empty() && before.find('@') == s.npos)
            return std::string(before);
    }
    const auto lt = s.find('<');
    if (lt != std::string_view::npos && lt > 0 && s.back() == '>') {
        auto name = trim(s.substr(0, lt));
        if (!name.empty()) return std::string(name);
    }
    return std::string(s);
}

Item read_rss_item(XmlNode node, Ns main, Context& ctx, const std::string& parent_base) {
    Item item;
    ItemDraft d;
    const auto base = ctx.base_of(node, parent_base);
    const Ns dflt = ctx.names().default_ns(node, main);
    if (const auto lang = node.attribute("xml:lang")) d.language = lang.value();
    for (auto e = node.first_child(); e; e = e.next_sibling()) {
        if (e.type() != NodeType::element) continue;
        const auto n = ctx.names().of(e, dflt);
        const auto l = n.local;
        if (main_ns(n.ns, main)) {
            if (l == "title") d.title = ctx.markup(e);
            else if (l == "link") {
                if (d.link.empty()) d.link = trim(ctx.text(e));
                if (d.link.empty() && !attr(e, "href").empty()) d.link = trim(attr(e, "href"));
                if (d.link_base.empty() && e.attribute("xml:base")) d.link_base = ctx.base_of(e, base);
            } else if (l == "description") d.description = ctx.markup(e);
            else if (l == "guid") {
                d.guid = trim(ctx.markup(e));
                const auto perma = attr(e, "isPermaLink");
                if (perma != "false" && (d.guid.starts_with("http://") || d.guid.starts_with("https://")))
                    d.guid_link = d.guid;
            } else if (l == "pubDate") d.pub_date = ctx.text(e);
            else if (l == "author") add_unique(item.authors, author_name(ctx.text(e)));
            else if (l == "category") add_unique(item.categories, std::string(trim(ctx.text(e))));
            else if (l == "enclosure") {
                const auto url = attr(e, "url");
                // Its own xml:base, rarely present: no copy of the item's base otherwise.
                const auto own = e.attribute("xml:base") ? ctx.base_of(e, base) : std::string();
                if (!url.empty())
                    item.enclosures.push_back({resolve_url(own.empty() ? base : own, url),
                                               std::string(attr(e, "type")), to_u64(attr(e, "length"))});
            }
        } else switch (n.ns) {
            case Ns::content:
                if (l == "encoded") d.content = ctx.markup(e);
                break;
            case Ns::dc:
                if (is_dc_author(l)) add_unique(item.authors, author_name(ctx.text(e)));
                else if (l == "date") d.dc_date = ctx.text(e);
                else if (l == "subject") add_unique(item.categories, std::string(trim(ctx.text(e))));
                else if (l == "title") d.dc_title = ctx.text(e);
                else if (l == "description") d.dc_description = ctx.markup(e);
                else if (l == "language" && d.language.empty()) d.language = trim(ctx.text(e));
                break;
            case Ns::dcterms:
                if (is_dc_author(l)) add_unique(item.authors, author_name(ctx.text(e)));
                else if (l == "modified") d.updated = ctx.text(e);
                else if ((l == "created" || l == "issued") && d.dc_date.empty()) d.dc_date = ctx.text(e);
                break;
            case Ns::atom:
                if (l == "link") {
                    const auto rel = attr(e, "rel");
                    if (rel.empty() || rel == "alternate") {
                        if (d.atom_link.empty()) d.atom_link = trim(attr(e, "href"));
                    } else if (rel == "canonical") {
                        if (d.origin_link.empty()) d.origin_link = trim(attr(e, "href"));
                    } else if (rel == "enclosure") {
                        item.enclosures.push_back({resolve_url(base, attr(e, "href")),
                                                   std::string(attr(e, "type")),
                                                   to_u64(attr(e, "length"))});
                    }
                } else if (l == "updated") d.updated = ctx.text(e);
                else if (l == "published" && d.dc_date.empty()) d.dc_date = ctx.text(e);
                else if (l == "author") {
                    auto name = e.child("atom:name") ? ctx.text(e.child("atom:name")) : ctx.text(e);
                    add_unique(item.authors, author_name(name));
                }
                break;
            case Ns::media:
                read_media(e, l, d, item, ctx, base);
                break;
            case Ns::feedburner:
                // FeedBurner rewrites <link> to its click tracker and keeps the article here.
                if (l == "origLink") d.origin_link = trim(ctx.text(e));
                break;
            case Ns::itunes: {
                std::array<char, 32> buf;
                const auto l = itunes_local(n.local, buf, ctx);
                if (l == "author") add_unique(item.authors, author_name(ctx.text(e)));
                else if (l == "title" && d.media_title.empty()) d.media_title = ctx.text(e);
                else if ((l == "summary" || l == "subtitle") && d.itunes_summary.empty())
                    d.itunes_summary = ctx.markup(e);
                else if (l == "category") read_itunes_category(e, item.categories, ctx);
                break;
            }
            case Ns::xhtml:
                // <body xmlns="http://www.w3.org/1999/xhtml">: the full text, as content.
                if (l == "body" && d.content.empty()) d.content = ctx.markup(e);
                break;
            default:
                break;
        }
    }

    item.guid = d.guid;
    const std::string_view title = !d.title.empty() ? d.title : !d.dc_title.empty() ? d.dc_title : d.media_title;
    item.title = ctx.html(title);
    const std::string_view link = !d.link.empty() ? d.link : !d.atom_link.empty() ? d.atom_link : d.guid_link;
    // xml:base in scope: the <link> element's own, else the item's (and so on up).
    item.link = resolve_url(link.data() == d.link.data() && !d.link_base.empty() ? d.link_base : base, link);
    if (!d.origin_link.empty()) item.origin_link = resolve_url(base, d.origin_link);
    const std::string_view summary = !d.description.empty()       ? d.description
                                 : !d.dc_description.empty()  ? d.dc_description
                                 : !d.itunes_summary.empty()  ? d.itunes_summary
                                                              : d.media_description;
    item.summary = ctx.html(summary);
    // Many feeds repeat the full text in description and content:encoded: reduce it once.
    item.content = d.content == summary ? item.summary : ctx.html(d.content);
    item.published = ctx.date(!d.pub_date.empty() ? d.pub_date : d.dc_date);
    item.updated = ctx.date(d.updated);
    item.language = !d.language.empty() ? std::string(d.language) : ctx.feed().language;
    return item;
}

bool read_rss_channel_element(XmlNode e, Name n, Ns main, Context& ctx, const std::string& base) {
    Feed& feed = ctx.feed();
    const auto l = n.local;
    if (main_ns(n.ns, main)) {
        if (l == "title") feed.title = ctx.html(ctx.markup(e));
        else if (l == "link") {
            // WebSub discovery in RSS without the Atom namespace: <link rel="hub" href="..."/>.
            const auto rel = attr(e, "rel");
            if (rel == "hub" && !attr(e, "href").empty()) feed.hints.hubs.push_back(resolve_url(base, attr(e, "href")));
            else if (rel == "self" && !attr(e, "href").empty()) feed.hints.self_url = resolve_url(base, attr(e, "href"));
            else if (feed.link.empty()) feed.link = resolve_url(base, ctx.text(e));
        } else if (l == "description") feed.description = ctx.html(ctx.markup(e));
        else if (l == "language") feed.language = trim(ctx.text(e));
        else if (l == "lastBuildDate") feed.updated = ctx.date(ctx.text(e));
        else if (l == "pubDate") {
            if (!feed.updated) feed.updated = ctx.date(ctx.text(e));
        } else if (l == "ttl") {
            feed.hints.ttl_seconds = static_cast<std::int64_t>(to_u64(ctx.text(e))) * 60;
        } else if (l == "skipHours") {
            for (auto h : e.children()) {
                const auto v = to_u64(ctx.text(h));
                if (v <= 24) feed.hints.skip_hours.push_back(static_cast<int>(v % 24));
            }
        } else if (l == "skipDays") {
            for (auto d : e.children()) {
                auto day = std::string(trim(ctx.text(d)));
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
            if (l == "language" && feed.language.empty()) feed.language = trim(ctx.text(e));
            else if (l == "date" && !feed.updated) feed.updated = ctx.date(ctx.text(e));
            else if (l == "title" && feed.title.empty()) feed.title = ctx.html(ctx.text(e));
            else return false;
            return true;
        case Ns::sy: {
            // sy:updatePeriod / sy:updateFrequency: the period divided by the frequency.
            static constexpr std::pair<std::string_view, std::int64_t> kPeriods[] = {
                {"hourly", 3600}, {"daily", 86400}, {"weekly", 604800},
                {"monthly", 2592000}, {"yearly", 31536000}};
            if (l == "updatePeriod") {
                const auto p = trim(ctx.text(e));
                for (const auto& [name, secs] : kPeriods)
                    if (p == name) ctx.sy_period = secs;
            } else if (l == "updateFrequency") {
                ctx.sy_frequency = static_cast<std::int64_t>(to_u64(ctx.text(e)));
            } else {
                return false;
            }
            return true;
        }
        case Ns::itunes: {
            // Summary and subtitle stand in for a missing <description>, whichever comes first.
            std::array<char, 32> buf;
            const auto li = itunes_local(l, buf, ctx);
            if ((li == "summary" || li == "subtitle") && feed.description.empty())
                feed.description = ctx.html(ctx.markup(e));
            else return false;
            return true;
        }
        case Ns::dcterms:
            if (l == "modified" && !feed.updated) feed.updated = ctx.date(ctx.text(e));
            else return false;
            return true;
        default:
            return false;
    }
}

void read_rss(XmlNode root, Context& ctx) {
    Feed& feed = ctx.feed();
    feed.format = "rss";
    const auto version = trim(attr(root, "version"));
    feed.version = version.empty() ? "2.0" : std::string(version);
    const bool bare_channel = std::string_view(root.name()) == "channel";
    const auto channel = bare_channel ? root : root.child("channel");
    // A root in a namespace (Userland's http://backend.userland.com/rss2, an RSS 0.9x URI) puts
    // every unprefixed element in it: RSS's own elements, read by local name as feedparser does.
    if (const auto uri = Names::uri_of(root); !uri.empty()) {
        ctx.names().read_as(uri, Ns::none);
        ctx.flag("rss: root element in namespace " + std::string(uri) + ", read by local name");
    }
    const std::string root_base = ctx.base_of(root, ctx.document_url());
    const std::string base = ctx.base_of(channel, root_base);
    const Ns dflt = ctx.names().default_ns(root, Ns::none);
    // First the channel's own elements, so that items can inherit the feed language and the
    // channel link can serve as a base when there is no other.
    for (auto e = channel.first_child(); e; e = e.next_sibling())
        if (e.type() == NodeType::element && std::string_view(e.name()) != "item")
            read_rss_channel_element(e, ctx.names().of(e, dflt), Ns::none, ctx, base);
    const std::string item_base = base.empty() ? feed.link : base;
    // Items belong in the channel, but RSS 0.9x-style feeds sometimes put them beside it.
    for (auto parent : {channel, bare_channel ? XmlNode() : root}) {
        for (auto e = parent.child("item"); e; e = e.next_sibling("item")) {
            if (!ctx.room_for_item()) break;
            feed.items.push_back(read_rss_item(e, Ns::none, ctx, item_base));
        }
    }
}

}  // namespace ww::feed
