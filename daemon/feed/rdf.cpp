#include "feed/formats.h"

namespace ww::feed {

void read_rdf(XmlNode root, Context& ctx) {
    Feed& feed = ctx.feed();
    feed.format = "rdf";
    const Ns dflt = ctx.names().default_ns(root, Ns::none);
    const std::string base = ctx.base_of(root, ctx.document_url());
    // RSS 0.90 and 1.0 differ by namespace only; the channel tells which one this is.
    Ns main = Ns::rss10;
    XmlNode channel;
    for (auto e = root.first_child(); e; e = e.next_sibling()) {
        if (e.type() != NodeType::element) continue;
        const auto n = ctx.names().of(e, dflt);
        if (n.local == "channel") {
            channel = e;
            if (n.ns == Ns::rss090) main = Ns::rss090;
            break;
        }
    }
    feed.version = main == Ns::rss090 ? "0.90" : "1.0";
    const std::string channel_base = ctx.base_of(channel, base);
    const Ns channel_dflt = ctx.names().default_ns(channel, dflt);
    for (auto e = channel.first_child(); e; e = e.next_sibling())
        if (e.type() == NodeType::element)
            read_rss_channel_element(e, ctx.names().of(e, channel_dflt), main, ctx, channel_base);
    const std::string item_base = base.empty() ? feed.link : base;
    for (auto e = root.first_child(); e; e = e.next_sibling()) {
        if (e.type() != NodeType::element) continue;
        const auto n = ctx.names().of(e, dflt);
        if (n.local != "item" || (n.ns != main && n.ns != Ns::none)) continue;
        if (!ctx.room_for_item()) break;
        auto item = read_rss_item(e, main, ctx, item_base);
        // rdf:about names the item; it is the closest thing RSS 1.0 has to a guid.
        if (item.guid.empty()) item.guid = attr(e, "rdf:about");
        feed.items.push_back(std::move(item));
    }
}

}  // namespace ww::feed
