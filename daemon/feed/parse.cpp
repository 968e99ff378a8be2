#include "feed/parse.h"

#include <cstring>

#include "core/text.h"
#include "feed/dates.h"
#include "feed/detect.h"
#include "feed/encoding.h"
#include "feed/formats.h"
#include "feed/html_text.h"
#include "feed/identify.h"
#include "feed/url.h"

namespace ww::feed {

// ---- Context (shared by the XML readers) ----

std::optional<SysSeconds> Context::date(std::string_view text) {
    if (text.empty()) return std::nullopt;
    auto t = parse_date(text);
    if (!t) {
        bool blank = true;
        for (const char c : text) blank = blank && static_cast<unsigned char>(c) <= ' ';
        if (!blank) ++feed_.bad_dates;
    }
    return t;
}

std::string Context::base_of(pugi::xml_node n, const std::string& parent_base) const {
    const auto a = n.attribute("xml:base");
    if (!a) return parent_base;
    return resolve_url(parent_base, a.value());
}

std::string Context::html(std::string_view markup) const {
    auto text = html_to_text(markup);
    if (text.size() > options_.max_text_bytes) text.resize(utf8_prefix(text, options_.max_text_bytes).size());
    return text;
}

std::string Context::plain(std::string_view raw) const {
    auto text = fold_text(raw);
    if (text.size() > options_.max_text_bytes) text.resize(utf8_prefix(text, options_.max_text_bytes).size());
    return text;
}

namespace {

void add_reason(Feed& feed, std::string_view reason) {
    if (reason.empty()) return;
    feed.bozo = true;
    if (!feed.bozo_reason.empty()) feed.bozo_reason += "; ";
    feed.bozo_reason += reason;
}

struct MarkupShape {
    std::size_t elements = 0;
    std::size_t depth = 0;
};

// Element count and nesting depth, from the tags alone (CDATA and comments skipped), so that a
// hostile document is refused before pugixml builds a tree for it.
MarkupShape shape_of(std::string_view s) {
    MarkupShape shape;
    std::size_t depth = 0;
    const char* p = s.data();
    const char* end = p + s.size();
    while (p < end) {
        p = static_cast<const char*>(std::memchr(p, '<', static_cast<std::size_t>(end - p)));
        if (!p || p + 1 >= end) break;
        const char c = p[1];
        const std::string_view rest(p, static_cast<std::size_t>(end - p));
        if (c == '/') {
            if (depth > 0) --depth;
        } else if (c == '!') {
            const char* close = nullptr;
            if (rest.starts_with("<![CDATA[")) {
                const auto at = rest.find("]]>");
                close = at == rest.npos ? end : p + at + 3;
            } else if (rest.starts_with("<!--")) {
                const auto at = rest.find("-->");
                close = at == rest.npos ? end : p + at + 3;
            }
            if (close) {
                p = close;
                continue;
            }
        } else if (c != '?') {
            ++shape.elements;
            const auto* gt = static_cast<const char*>(std::memchr(p, '>', static_cast<std::size_t>(end - p)));
            if (!gt) break;
            if (gt[-1] != '/') shape.depth = std::max(shape.depth, ++depth);
            p = gt;
        }
        ++p;
    }
    return shape;
}

// The first entity reference XML does not define, or a bare '&', outside CDATA: pugixml keeps
// them as text (and html_to_text decodes the HTML ones), but the document was not well-formed.
std::string_view bad_reference(std::string_view s) {
    std::size_t cdata = s.find("<![CDATA[");
    for (std::size_t pos = 0;;) {
        const void* hit = std::memchr(s.data() + pos, '&', s.size() - pos);
        if (!hit) return {};
        pos = static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
        while (cdata != std::string_view::npos && cdata < pos) {
            const auto close = s.find("]]>", cdata);
            if (close == std::string_view::npos) return {};
            if (close > pos) {
                pos = close;
                break;
            }
            cdata = s.find("<![CDATA[", close);
        }
        if (s[pos] != '&') continue;
        std::size_t i = pos + 1;
        if (i < s.size() && s[i] == '#') {
            ++i;
            if (i < s.size() && (s[i] == 'x' || s[i] == 'X')) ++i;
            const auto start = i;
            while (i < s.size() && std::isxdigit(static_cast<unsigned char>(s[i]))) ++i;
            if (i == start || i >= s.size() || s[i] != ';') return "bare '&' in text";
        } else {
            const auto start = i;
            while (i < s.size() && i - start < 40 && std::isalnum(static_cast<unsigned char>(s[i]))) ++i;
            if (i >= s.size() || s[i] != ';' || i == start) return "bare '&' in text";
            const auto name = s.substr(start, i - start);
            if (name != "amp" && name != "lt" && name != "gt" && name != "quot" && name != "apos")
                return "undefined entity in text";
        }
        pos = i;
    }
}

std::string where(const ParseOptions& options) {
    return options.url.empty() ? std::string() : " url=" + std::string(options.url);
}

Result<Feed> read_xml(std::string& text, const Detected& detected, const ParseOptions& options) {
    Feed feed;
    if (detected.junk) add_reason(feed, "junk before the root element");
    const auto body = std::string_view(text).substr(detected.root_offset);
    const auto shape = shape_of(body);
    if (shape.elements > options.max_elements)
        return fail("parse", "feed: more than " + std::to_string(options.max_elements) + " elements" + where(options));
    if (shape.depth > options.max_depth)
        return fail("parse", "feed: nested deeper than " + std::to_string(options.max_depth) + where(options));
    if (const auto bad = bad_reference(body); !bad.empty()) add_reason(feed, bad);

    pugi::xml_document doc;
    // No DTD processing exists in pugixml: entity declarations are never expanded (billion
    // laughs stays a few bytes of text). Whitespace and line ends are folded later anyway.
    const auto result = doc.load_buffer_inplace(text.data() + detected.root_offset, body.size(),
                                                pugi::parse_cdata | pugi::parse_escapes,
                                                pugi::encoding_utf8);
    const auto root = doc.document_element();
    if (!result) {
        if (!root) return fail("parse", std::string("feed: ") + result.description() + where(options));
        // pugixml keeps the tree it built before the error: a truncated feed still has items.
        add_reason(feed, std::string("xml: ") + result.description() + " at offset " +
                             std::to_string(result.offset + static_cast<std::ptrdiff_t>(detected.root_offset)));
    }
    Context ctx(options, feed);
    switch (format_of_root(root.name())) {
        case Format::rss: read_rss(root, ctx); break;
        case Format::rdf: read_rdf(root, ctx); break;
        case Format::atom: read_atom(root, ctx); break;
        case Format::html:
            return fail("not_a_feed", "feed: an HTML page, not a feed" + where(options));
        case Format::json:
        case Format::unknown:
            return fail("not_a_feed", std::string("feed: unknown root element <") + root.name() + ">" + where(options));
    }
    if (ctx.names().guessed()) add_reason(feed, "namespace prefix used without a declaration");
    if (feed.hints.ttl_seconds == 0 && ctx.sy_period > 0)
        feed.hints.ttl_seconds = ctx.sy_period / std::max<std::int64_t>(1, ctx.sy_frequency);
    return feed;
}

}  // namespace

Result<Feed> parse(std::string_view body, const ParseOptions& options) {
    if (body.starts_with("\x1f\x8b"))
        return fail("not_a_feed", "feed: gzip-compressed bytes (undecoded Content-Encoding?)" + where(options));
    auto decoded = decode_to_utf8(body, options.content_type);
    const auto detected = detect_format(decoded.text);
    Result<Feed> feed = [&]() -> Result<Feed> {
        switch (detected.format) {
            case Format::json: return read_json_feed(std::string_view(decoded.text).substr(detected.root_offset), options);
            case Format::rss:
            case Format::rdf:
            case Format::atom: return read_xml(decoded.text, detected, options);
            case Format::html: return fail("not_a_feed", "feed: an HTML page, not a feed" + where(options));
            case Format::unknown: break;
        }
        if (decoded.text.find_first_not_of(" \t\r\n") == std::string::npos)
            return fail("not_a_feed", "feed: empty document" + where(options));
        return fail("not_a_feed", "feed: no RSS, Atom or JSON Feed root" + where(options));
    }();
    if (!feed) return feed;
    feed->encoding = decoded.encoding;
    if (!decoded.lenient.empty()) {
        // The charset story goes first: it explains any odd text that follows.
        const auto rest = std::move(feed->bozo_reason);
        feed->bozo_reason.clear();
        add_reason(*feed, "encoding: " + decoded.lenient);
        add_reason(*feed, rest);
    }
    assign_keys(feed->items);
    return feed;
}

}  // namespace ww::feed
