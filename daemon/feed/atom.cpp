#include <charconv>

#include "core/text.h"
#include "feed/formats.h"
#include "feed/url.h"

namespace ww::feed {
namespace {

// Ns::none too: feeds that forget xmlns on <feed> are still Atom to every reader.
bool is_atom(Ns ns) { return ns == Ns::atom || ns == Ns::atom03 || ns == Ns::none; }

std::string base64_decode(std::string_view in) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (const char c : in) {
        const int v = value(c);
        if (v < 0) continue;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return utf8_sanitize(out);
}

// An Atom text construct (1.0 type text|html|xhtml, 0.3 type=MIME plus mode) -> plain text.
std::string text_construct(XmlNode e, Context& ctx) {
    const auto type = trim(attr(e, "type"));
    const auto mode = trim(attr(e, "mode"));
    if (mode == "base64") return ctx.html(base64_decode(ctx.text(e)));
    if (type == "xhtml" || mode == "xml" || type == "application/xhtml+xml")
        return ctx.html(ctx.markup(e));
    if (type == "html" || type == "text/html" || mode == "escaped") return ctx.html(ctx.markup(e));
    if (type.empty() || type == "text" || type.starts_with("text/")) {
        // Plain text by definition, but markup inside is still markup to a reader.
        bool elements = false;
        for (auto c = e.first_child(); c && !elements; c = c.next_sibling())
            elements = c.type() == NodeType::element;
        return elements ? ctx.html(ctx.markup(e)) : ctx.plain(ctx.text(e));
    }
    if (type.ends_with("+xml") || type.ends_with("/xml")) return ctx.html(ctx.markup(e));
    // RFC 4287 3.1.1.3: any other media type is base64; a custom label over plain text is
    // more common in practice than real binary, so only octet-stream is decoded.
    if (type == "application/octet-stream") return ctx.html(base64_decode(ctx.text(e)));
    return ctx.plain(ctx.text(e));
}

struct Link {
    std::string_view rel, href, type;
};

Link link_of(XmlNode e, Context& ctx) {
    Link l{trim(attr(e, "rel")), trim(attr(e, "href")), trim(attr(e, "type"))};
    if (l.rel.empty()) l.rel = "alternate";
    if (l.href.empty()) l.href = trim(ctx.text(e));  // Atom 0.3 drafts and sloppy feeds
    return l;
}

void read_person(XmlNode e, Context& ctx, Ns dflt, std::vector<std::string>& out) {
    std::string name;
    for (auto c : e.children()) {
        if (c.type() != NodeType::element) continue;
        const auto n = ctx.names().of(c, dflt);
        if (n.local == "name") name = trim(ctx.text(c));
        else if (n.local == "email" && name.empty()) name = trim(ctx.text(c));
    }
    if (name.empty()) name = trim(ctx.text(e));
    if (name.empty()) return;
    for (const auto& v : out)
        if (v == name) return;
    out.push_back(std::move(name));
}

}  // namespace

Item read_atom_entry(XmlNode node, Ns parent_dflt, Context& ctx, const std::string& parent_base,
                const std::vector<std::string>& feed_authors) {
    Item item;
    const auto base = ctx.base_of(node, parent_base);
    const Ns dflt = ctx.names().default_ns(node, parent_dflt);
    if (const auto lang = node.attribute("xml:lang")) item.language = lang.value();
    std::string published, issued, updated, modified, created, alternate, first_link;
    bool have_summary = false;
    for (auto e = node.first_child(); e; e = e.next_sibling()) {
        if (e.type() != NodeType::element) continue;
        const auto n = ctx.names().of(e, dflt);
        const auto l = n.local;
        if (is_atom(n.ns)) {
            if (l == "id") item.guid = trim(ctx.text(e));
            else if (l == "title") item.title = text_construct(e, ctx);
            else if (l == "link") {
                const auto link = link_of(e, ctx);
                const auto href = resolve_url(ctx.base_of(e, base), link.href);
                if (link.rel == "alternate") {
                    // Several alternates: the HTML one is the article.
                    if (alternate.empty() || link.type == "text/html") alternate = href;
                } else if (link.rel == "enclosure") {
                    item.enclosures.push_back({href, std::string(link.type), to_u64(attr(e, "length"))});
                } else if (link.rel == "canonical") {
                    if (item.origin_link.empty()) item.origin_link = href;
                }
                if (first_link.empty()) first_link = href;
            } else if (l == "published") published = ctx.text(e);
            else if (l == "issued") issued = ctx.text(e);
            else if (l == "updated") updated = ctx.text(e);
            else if (l == "modified") modified = ctx.text(e);
            else if (l == "created") created = ctx.text(e);
            else if (l == "author") read_person(e, ctx, dflt, item.authors);
            else if (l == "category") {
                auto term = std::string(trim(attr(e, "term")));
                if (term.empty()) term = trim(attr(e, "label"));
                if (term.empty()) term = trim(ctx.text(e));
                if (!term.empty()) item.categories.push_back(std::move(term));
            } else if (l == "summary") {
                item.summary = text_construct(e, ctx);
                have_summary = true;
            } else if (l == "content") {
                if (attr(e, "src").empty()) item.content = text_construct(e, ctx);
            }
        } else if (n.ns == Ns::media) {
            if (l == "group" || l == "description") {
                // YouTube-style entries keep their text in media:group/media:description.
                auto d = l == "description" ? e : e.child("media:description");
                if (d && !have_summary) item.summary = ctx.plain(ctx.text(d));
            }
        } else if (n.ns == Ns::feedburner && l == "origLink") {
            // FeedBurner rewrites the alternate link to its click tracker and keeps the article here.
            if (item.origin_link.empty()) item.origin_link = resolve_url(base, trim(ctx.text(e)));
        } else if ((n.ns == Ns::dc || n.ns == Ns::dcterms) &&
                   (l == "creator" || l == "author" || l == "contributor")) {
            // Dublin Core's ways of naming a person, as in RSS (issue 20).
            auto name = author_name(ctx.text(e));
            if (!name.empty()) item.authors.push_back(std::move(name));
        } else if (n.ns == Ns::dc && l == "subject") {
            auto s = std::string(trim(ctx.text(e)));
            if (!s.empty()) item.categories.push_back(std::move(s));
        }
    }
    item.link = !alternate.empty() ? alternate : first_link;
    item.updated = ctx.date(!updated.empty() ? updated : modified);
    item.published = ctx.date(!published.empty() ? published : !issued.empty() ? issued : created);
    // An entry with only <updated> was published then as far as any reader can tell
    // (gofeed, Miniflux and rss-parser agree).
    if (!item.published) item.published = item.updated;
    if (item.authors.empty()) item.authors = feed_authors;  // RFC 4287 4.2.1: inherited
    if (item.language.empty()) item.language = ctx.feed().language;
    return item;
}

void read_atom(XmlNode root, Context& ctx) {
    Feed& feed = ctx.feed();
    feed.format = "atom";
    // An Atom draft's namespace or an unknown one: the root says Atom, so its namespace is
    // read as Atom's (by local name); other unknown namespaces inside stay foreign.
    if (const auto uri = Names::uri_of(root); !uri.empty() && ns_of_uri(uri) == Ns::other) {
        ctx.names().read_as(uri, Ns::atom);
        ctx.flag("atom: root element in namespace " + std::string(uri) + ", read as Atom");
    }
    const Ns dflt = ctx.names().default_ns(root, Ns::none);
    const auto root_ns = ctx.names().of(root, Ns::none).ns;
    const auto version = trim(attr(root, "version"));
    feed.version = root_ns == Ns::atom03 || version == "0.3" ? "0.3" : "1.0";
    const std::string base = ctx.base_of(root, ctx.document_url());
    if (const auto lang = root.attribute("xml:lang")) feed.language = lang.value();
    std::vector<std::string> authors;
    if (ctx.names().of(root, Ns::none).local == "entry") {
        feed.items.push_back(read_atom_entry(root, dflt, ctx, base, authors));
        return;
    }
    std::string alternate, first_link;
    for (auto e = root.first_child(); e; e = e.next_sibling()) {
        if (e.type() != NodeType::element) continue;
        const auto n = ctx.names().of(e, dflt);
        if (!is_atom(n.ns)) continue;
        const auto l = n.local;
        if (l == "title") feed.title = text_construct(e, ctx);
        else if (l == "subtitle" || l == "tagline") feed.description = text_construct(e, ctx);
        else if (l == "updated" || (l == "modified" && !feed.updated)) feed.updated = ctx.date(ctx.text(e));
        else if (l == "author") read_person(e, ctx, dflt, authors);
        else if (l == "link") {
            const auto link = link_of(e, ctx);
            const auto href = resolve_url(ctx.base_of(e, base), link.href);
            if (link.rel == "self") feed.hints.self_url = href;
            else if (link.rel == "hub") feed.hints.hubs.push_back(href);
            else if (link.rel == "alternate" && (alternate.empty() || link.type == "text/html"))
                alternate = href;
            if (first_link.empty() && link.rel != "self" && link.rel != "hub") first_link = href;
        }
    }
    feed.link = !alternate.empty() ? alternate : first_link;
    for (auto e = root.first_child(); e; e = e.next_sibling()) {
        if (e.type() != NodeType::element) continue;
        const auto n = ctx.names().of(e, dflt);
        if (!is_atom(n.ns) || n.local != "entry") continue;
        if (!ctx.room_for_item()) break;
        feed.items.push_back(read_atom_entry(e, dflt, ctx, base, authors));
    }
}

}  // namespace ww::feed
