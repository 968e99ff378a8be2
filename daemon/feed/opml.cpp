#include "feed/opml.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "feed/encoding.h"

namespace ww::feed {
namespace {

// Folders deeper than this add no tags: a tag list is read by people, and the bound keeps
// write_opml's recursion shallow whatever a hostile file nests.
constexpr std::size_t max_tags = 16;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::ranges::equal(a, b, [](char x, char y) { return lower(x) == lower(y); });
}

// Readers still export the `feed:` pseudo-scheme (feed://host/rss, feed:https://host/rss); the
// scheme is lower-cased because the config accepts only "http://" and "https://" as written.
std::string normalize_url(std::string_view raw) {
    std::string_view u = raw;
    // A loop, not recursion: a hostile file may repeat "feed:" a million times.
    while (u.size() > 5 && iequals(u.substr(0, 5), "feed:") && !iequals(u.substr(0, 7), "feed://"))
        u.remove_prefix(5);
    std::string url = trim(u);
    const auto colon = url.find("://");
    if (colon != std::string::npos &&
        std::all_of(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(colon),
                    [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); })) {
        for (std::size_t i = 0; i < colon; ++i) url[i] = lower(url[i]);
    }
    if (url.starts_with("feed://")) return "http://" + url.substr(7);
    return url;
}

std::string_view attr_of(pugi::xml_node n, const char* name) { return n.attribute(name).as_string(); }

bool has_outline_child(pugi::xml_node n) {
    for (auto c : n.children())
        if (c.type() == pugi::node_element && iequals(c.name(), "outline")) return true;
    return false;
}

void add_tag(std::vector<std::string>& tags, std::string tag) {
    if (tag.empty() || tags.size() >= max_tags) return;
    if (std::ranges::find(tags, tag) == tags.end()) tags.push_back(std::move(tag));
}

// OPML 2.0's `category`: comma-separated, slash-delimited paths ("/Tech/Linux,/News").
void add_categories(std::vector<std::string>& tags, std::string_view category) {
    while (!category.empty()) {
        const auto comma = category.find(',');
        std::string_view path = category.substr(0, comma);
        category = comma == std::string_view::npos ? std::string_view{} : category.substr(comma + 1);
        while (!path.empty()) {
            const auto slash = path.find('/');
            add_tag(tags, trim(path.substr(0, slash)));
            path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
        }
    }
}

class LineIndex {
public:
    explicit LineIndex(std::string_view text) {
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n') newlines_.push_back(i);
    }
    int line_of(std::ptrdiff_t offset) const {
        if (offset < 0) return 0;
        const auto it = std::ranges::lower_bound(newlines_, static_cast<std::size_t>(offset));
        return static_cast<int>(it - newlines_.begin()) + 1;
    }

private:
    std::vector<std::size_t> newlines_;
};

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 when it is not well-formed
// (overlong forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = b(0);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (b(1) < lo || b(1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (b(k) < 0x80 || b(k) > 0xBF) return 0;
    return n;
}

// pugixml turns character references to surrogates (&#xD800;) into bytes that are not UTF-8;
// they become U+FFFD here, before names are made unique, not later in the TOML writer (where
// two such names could collapse into one).
std::string valid_utf8(std::string s) {
    if (std::ranges::all_of(s, [](char c) { return static_cast<unsigned char>(c) < 0x80; })) return s;
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto n = utf8_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s, i, n);
            i += n;
        }
    }
    return out;
}

OpmlFeed feed_of(pugi::xml_node n, const std::vector<std::string>& folder_tags, const LineIndex& lines) {
    OpmlFeed f;
    f.type = trim(attr_of(n, "type"));
    std::string_view url = attr_of(n, "xmlUrl");
    if (trim(url).empty()) url = attr_of(n, "xmlurl");  // some hand-written files lower-case it
    // newsboat reads `url` when xmlUrl is missing; OPML's type="link"/"include" also use `url`,
    // but for a web page or another OPML file, which problem_of() rejects by type.
    if (trim(url).empty()) url = attr_of(n, "url");
    f.url = valid_utf8(normalize_url(url));
    f.title = trim(attr_of(n, "title"));
    if (f.title.empty()) f.title = trim(attr_of(n, "text"));
    f.title = valid_utf8(std::move(f.title));
    f.tags = folder_tags;
    add_categories(f.tags, valid_utf8(std::string(attr_of(n, "category"))));
    f.line = lines.line_of(n.offset_debug());
    return f;
}

// Walks <body> without recursion (a hostile file may nest outlines a million deep). The tags
// of the folders above the current node are kept as one list (capped, so copying it into each
// feed stays cheap however deep the nesting) with, per open folder, the list's size before it.
std::vector<OpmlFeed> collect(pugi::xml_node body, const LineIndex& lines) {
    std::vector<OpmlFeed> out;
    std::vector<std::string> folder_tags;
    std::vector<std::size_t> marks;
    pugi::xml_node n = body.first_child();
    while (n) {
        const bool outline = n.type() == pugi::node_element && iequals(n.name(), "outline");
        const bool has_url = outline && (!trim(attr_of(n, "xmlUrl")).empty() ||
                                         !trim(attr_of(n, "xmlurl")).empty() ||
                                         !trim(attr_of(n, "url")).empty());
        if (outline && !has_url && has_outline_child(n)) {
            std::string name = trim(attr_of(n, "text"));
            if (name.empty()) name = trim(attr_of(n, "title"));
            marks.push_back(folder_tags.size());
            add_tag(folder_tags, valid_utf8(std::move(name)));
            n = n.first_child();
            continue;
        }
        if (outline) out.push_back(feed_of(n, folder_tags, lines));
        while (n && !n.next_sibling()) {
            n = n.parent();
            if (n == body) return out;
            folder_tags.resize(marks.back());
            marks.pop_back();
        }
        n = n.next_sibling();
    }
    return out;
}

void append_xml_escaped(std::string& out, std::string_view s) {
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            // Written as references so that attribute-value normalisation keeps them.
            case '\n': out += "&#10;"; break;
            case '\r': out += "&#13;"; break;
            case '\t': out += "&#9;"; break;
            default:
                // XML 1.0 cannot carry the other C0 controls at all, not even as references.
                if (static_cast<unsigned char>(c) >= 0x20) out += c;
        }
    }
}

struct Folder {
    std::string name;
    std::vector<const OpmlFeed*> feeds;
    std::vector<Folder> children;
};

Folder& child(Folder& parent, const std::string& name) {
    for (auto& c : parent.children)
        if (c.name == name) return c;
    parent.children.push_back({name, {}, {}});
    return parent.children.back();
}

void write_folder(std::string& out, const Folder& f, int depth) {
    const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
    for (const auto* feed : f.feeds) {
        const std::string& text = feed->title.empty() ? feed->url : feed->title;
        out += indent + "<outline type=\"rss\" text=\"";
        append_xml_escaped(out, text);
        out += "\" title=\"";
        append_xml_escaped(out, text);
        out += "\" xmlUrl=\"";
        append_xml_escaped(out, feed->url);
        out += "\"/>\n";
    }
    for (const auto& c : f.children) {
        out += indent + "<outline text=\"";
        append_xml_escaped(out, c.name);
        out += "\" title=\"";
        append_xml_escaped(out, c.name);
        out += "\">\n";
        write_folder(out, c, depth + 1);
        out += indent + "</outline>\n";
    }
}

}  // namespace

Result<std::vector<OpmlFeed>> read_opml(std::string_view xml) {
    // The feed module's decoder follows BOM, then the XML declaration, then UTF-8, and turns
    // invalid bytes into U+FFFD; pugixml then reads UTF-8 only and never guesses again.
    const Decoded decoded = decode_to_utf8(xml, "");
    const std::string& text = decoded.text;
    const LineIndex lines(text);
    pugi::xml_document doc;
    // parse_default has no parse_doctype: the DTD is skipped, so its entities are never
    // defined, and pugixml expands only the five predefined ones and character references.
    const auto parsed = doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed)
        return fail("opml", "opml: not well-formed XML at line " +
                                std::to_string(lines.line_of(parsed.offset)) + ": " +
                                parsed.description());
    const auto root = doc.document_element();
    if (!iequals(root.name(), "opml"))
        return fail("opml", "opml: the root element is <" + std::string(root.name()) +
                                ">, not <opml> (line " +
                                std::to_string(lines.line_of(root.offset_debug())) + ")");
    pugi::xml_node body;
    for (auto c : root.children())
        if (c.type() == pugi::node_element && iequals(c.name(), "body")) body = c;
    if (!body) return fail("opml", "opml: the document has no <body>");
    return collect(body, lines);
}

std::string problem_of(const OpmlFeed& f) {
    if (iequals(f.type, "link") || iequals(f.type, "include"))
        return "type=\"" + f.type + "\" links to a page or another OPML file, not to a feed";
    // FreshRSS's scraping sources (HTML+XPath, XML+XPath, JSON+DotNotation) point at pages.
    if (f.type.find('+') != std::string::npos)
        return "type=\"" + f.type + "\" is a scraping source, not a feed";
    if (f.url.empty()) return "the outline has no xmlUrl";
    if (!f.url.starts_with("http://") && !f.url.starts_with("https://"))
        return "not an http(s) URL: " + f.url;
    if (std::ranges::any_of(f.url, [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; }))
        return "the URL contains a space or a control character";
    const auto host = f.url.substr(f.url.find("://") + 3);
    if (host.empty() || host.front() == '/' || host.front() == '?' || host.front() == '#')
        return "the URL has no host: " + f.url;
    return {};
}

std::string url_key(std::string_view url) {
    std::string key(url);
    const auto scheme_end = key.find("://");
    if (scheme_end == std::string::npos) return key;
    const auto host_end = key.find_first_of("/?#", scheme_end + 3);
    const auto end = host_end == std::string::npos ? key.size() : host_end;
    for (std::size_t i = 0; i < end; ++i) key[i] = lower(key[i]);
    return key;
}

ImportPlan plan_import(const std::vector<OpmlFeed>& read, std::span<const std::string> configured_urls,
                       std::span<const std::string> configured_names) {
    ImportPlan plan;
    std::set<std::string> configured;
    for (const auto& u : configured_urls) configured.insert(url_key(u));
    std::set<std::string> names(configured_names.begin(), configured_names.end());
    std::map<std::string, std::size_t> imported;  // url key -> index in plan.add
    for (const auto& f : read) {
        if (auto problem = problem_of(f); !problem.empty()) {
            plan.invalid.push_back({f, std::move(problem)});
            continue;
        }
        const auto key = url_key(f.url);
        if (configured.contains(key)) {
            plan.duplicates.push_back({f, "already configured"});
            continue;
        }
        if (auto it = imported.find(key); it != imported.end()) {
            auto& first = plan.add[it->second];
            for (const auto& t : f.tags) add_tag(first.tags, t);
            plan.duplicates.push_back({f, "repeated in the OPML (first at line " + std::to_string(first.line) + ")"});
            continue;
        }
        OpmlFeed add = f;
        // The config treats a name equal to the URL as "no name", so it needs no uniqueness.
        if (add.title == add.url) add.title.clear();
        if (!add.title.empty()) {
            std::string name = add.title;
            for (int n = 2; names.contains(name); ++n) name = add.title + " (" + std::to_string(n) + ")";
            names.insert(name);
            add.title = std::move(name);
        }
        imported.emplace(key, plan.add.size());
        plan.add.push_back(std::move(add));
    }
    return plan;
}

std::string write_opml(const std::vector<OpmlFeed>& feeds, std::string_view title) {
    Folder root;
    for (const auto& f : feeds) {
        Folder* at = &root;
        for (std::size_t i = 0; i < f.tags.size() && i < max_tags; ++i) at = &child(*at, f.tags[i]);
        at->feeds.push_back(&f);
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>";
    append_xml_escaped(out, title);
    out += "</title>\n  </head>\n  <body>\n";
    write_folder(out, root, 2);
    out += "  </body>\n</opml>\n";
    return out;
}

std::string toml_string(std::string_view s) {
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size();) {
        const auto n = utf8_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        if (n > 1) {
            out.append(s.substr(i, n));
            i += n;
            continue;
        }
        const char c = s[i++];
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\f': out += "\\f"; break;
            case '\r': out += "\\r"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

std::string to_feed_toml(const std::vector<OpmlFeed>& feeds) {
    std::string out;
    for (const auto& f : feeds) {
        if (!out.empty()) out += "\n";
        if (f.line > 0) out += "# OPML line " + std::to_string(f.line) + "\n";
        out += "[[feed]]\nurl = " + toml_string(f.url) + "\n";
        if (!f.title.empty()) out += "name = " + toml_string(f.title) + "\n";
        if (!f.tags.empty()) {
            out += "tags = [";
            for (std::size_t i = 0; i < f.tags.size(); ++i) out += (i ? ", " : "") + toml_string(f.tags[i]);
            out += "]\n";
        }
    }
    return out;
}

}  // namespace ww::feed
