#include "app/web_feeds.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace ww::app {
namespace {

using nlohmann::json;

// What an entry shows of one envelope.
struct EntryView {
    std::string id;
    std::string title;
    std::string link;  // "" when the item's link is not http(s)
    std::string updated;    // detected_at, RFC 3339
    std::string published;  // the item's own date, "" when it has none
    std::string watchlist;
    std::string source;     // the feed's title
    std::vector<std::string> terms;
    std::vector<std::string> authors;
    std::string text;  // the summary: watchlist, source, matched terms, snippet (plain text)
};

std::string str(const json& j, const char* a, const char* b) {
    const auto outer = j.find(a);
    if (outer == j.end() || !outer->is_object()) return {};
    const auto inner = outer->find(b);
    return inner != outer->end() && inner->is_string() ? inner->get<std::string>() : std::string();
}

std::vector<std::string> strings(const json& j, const char* a, const char* b) {
    std::vector<std::string> out;
    const auto outer = j.find(a);
    if (outer == j.end() || !outer->is_object()) return out;
    const auto inner = outer->find(b);
    if (inner == outer->end() || !inner->is_array()) return out;
    for (const auto& e : *inner)
        if (e.is_string()) out.push_back(e.get<std::string>());
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : std::string(sep)) + p;
    return out;
}

std::string summary_text(const EntryView& e, const json& j) {
    std::string text = "Watchlist: " + e.watchlist + "\nSource: " + e.source + "\n";
    if (!e.terms.empty()) text += "Matched: " + join(e.terms, ", ") + "\n";
    auto body = str(j, "match", "snippet");
    if (body.empty()) body = str(j, "item", "summary");  // summaries and digests list their matches here
    return text + (body.empty() ? "" : "\n" + body);
}

std::optional<EntryView> view_of(const store::RecordedAlert& alert) {
    const auto j = json::parse(alert.envelope, nullptr, false);
    if (!j.is_object() || !j.contains("alert_id") || !j["alert_id"].is_string()) return std::nullopt;
    EntryView e;
    e.id = entry_id(j["alert_id"].get<std::string>());
    e.title = str(j, "item", "title");
    if (e.title.empty()) e.title = "(untitled)";
    e.link = str(j, "item", "link");
    if (!is_web_link(e.link)) e.link.clear();
    e.updated = j.value("detected_at", std::string());
    if (!parse_rfc3339(e.updated)) e.updated = format_rfc3339(SysSeconds{});
    e.published = str(j, "item", "published");
    if (!parse_rfc3339(e.published)) e.published.clear();
    e.watchlist = str(j, "watchlist", "name");
    e.source = str(j, "feed", "title");
    e.terms = strings(j, "match", "terms");
    e.authors = strings(j, "item", "authors");
    e.text = summary_text(e, j);
    return e;
}

std::vector<EntryView> views_of(std::span<const store::RecordedAlert> alerts) {
    std::vector<EntryView> out;
    for (const auto& a : alerts)
        if (auto v = view_of(a)) out.push_back(std::move(*v));
    return out;
}

// Text for XML character data and attribute values: the five specials escaped, and the
// control characters XML 1.0 forbids dropped (a reader's parser would reject the whole feed).
std::string xml(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += c;
        }
    }
    return out;
}

std::string newest_updated(const std::vector<EntryView>& entries, const FeedMeta& meta) {
    return entries.empty() ? format_rfc3339(meta.empty_updated) : entries.front().updated;
}

std::string atom_entry(const EntryView& e) {
    std::string out = "<entry>\n<id>" + xml(e.id) + "</id>\n<title type=\"text\">" + xml(e.title) +
                      "</title>\n<updated>" + e.updated + "</updated>\n";
    if (!e.published.empty()) out += "<published>" + e.published + "</published>\n";
    if (!e.link.empty()) out += "<link rel=\"alternate\" href=\"" + xml(e.link) + "\"/>\n";
    for (const auto& a : e.authors) out += "<author><name>" + xml(a) + "</name></author>\n";
    if (!e.watchlist.empty()) out += "<category term=\"" + xml(e.watchlist) + "\"/>\n";
    return out + "<summary type=\"text\">" + xml(e.text) + "</summary>\n</entry>\n";
}

}  // namespace

std::string entry_id(std::string_view alert_id) { return "urn:wirewatch:alert:" + std::string(alert_id); }

std::optional<SysSeconds> detected_at(const store::RecordedAlert& alert) {
    const auto j = json::parse(alert.envelope, nullptr, false);
    if (!j.is_object() || !j.contains("detected_at") || !j["detected_at"].is_string()) return std::nullopt;
    return parse_rfc3339(j["detected_at"].get<std::string>());
}

bool is_web_link(std::string_view link) {
    auto lower = std::string(link.substr(0, 8));
    std::ranges::transform(lower, lower.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; });
    return (lower.starts_with("http://") && link.size() > 7) || (lower.starts_with("https://") && link.size() > 8);
}

std::optional<FeedPath> parse_feed_path(std::string_view path) {
    constexpr std::string_view kPrefix = "/feeds/";
    if (!path.starts_with(kPrefix)) return std::nullopt;
    auto name = path.substr(kPrefix.size());
    FeedPath out;
    if (name.ends_with(".atom")) {
        name.remove_suffix(5);
    } else if (name.ends_with(".json")) {
        name.remove_suffix(5);
        out.format = FeedFormat::json;
    } else {
        return std::nullopt;
    }
    if (name.empty() || name.find('/') != std::string_view::npos) return std::nullopt;
    // A path keeps '+' literal; the form decoder would read it as a space.
    std::string escaped;
    for (const char c : name) escaped += c == '+' ? std::string("%2B") : std::string(1, c);
    const auto decoded = parse_query_string("n=" + escaped);
    out.watchlist = decoded.empty() ? std::string() : decoded.front().second;
    if (out.watchlist == "alerts") out.watchlist.clear();  // the feed of every watchlist
    if (!utf8_valid(out.watchlist)) return std::nullopt;
    return out;
}

FeedMeta feed_meta(const FeedPath& path, std::string_view base_url, SysSeconds now) {
    const std::string ext = path.format == FeedFormat::atom ? ".atom" : ".json";
    const std::string base(base_url);
    if (path.watchlist.empty())
        return {"wirewatch: all alerts", "urn:wirewatch:alerts", base + "/feeds/alerts" + ext, base + "/", now};
    std::string segment;  // the name percent-encoded for the self link
    for (const unsigned char c : path.watchlist) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            segment += static_cast<char>(c);
        } else {
            static constexpr char kHex[] = "0123456789ABCDEF";
            segment += {'%', kHex[c >> 4], kHex[c & 15]};
        }
    }
    return {"wirewatch: " + path.watchlist, "urn:wirewatch:alerts:" + path.watchlist,
            base + "/feeds/" + segment + ext, base + "/", now};
}

std::string render_atom(std::span<const store::RecordedAlert> alerts, const FeedMeta& meta) {
    const auto entries = views_of(alerts);
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
    out += "<id>" + xml(meta.id) + "</id>\n<title type=\"text\">" + xml(meta.title) + "</title>\n";
    out += "<updated>" + newest_updated(entries, meta) + "</updated>\n";
    out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + xml(meta.self_url) + "\"/>\n";
    out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml(meta.home_url) + "\"/>\n";
    // Atom wants an author for every entry: the feed's stands in for items that name none.
    out += "<author><name>wirewatch</name></author>\n<generator>wirewatch</generator>\n";
    for (const auto& e : entries) out += atom_entry(e);
    return out + "</feed>\n";
}

std::string render_json_feed(std::span<const store::RecordedAlert> alerts, const FeedMeta& meta) {
    json items = json::array();
    for (const auto& e : views_of(alerts)) {
        json item = {{"id", e.id}, {"title", e.title}, {"content_text", e.text}, {"date_modified", e.updated},
                     {"date_published", e.published.empty() ? e.updated : e.published}};
        if (!e.link.empty()) item["url"] = e.link;
        if (!e.authors.empty()) {
            item["authors"] = json::array();
            for (const auto& a : e.authors) item["authors"].push_back({{"name", a}});
        }
        if (!e.watchlist.empty()) item["tags"] = json::array({e.watchlist});
        items.push_back(std::move(item));
    }
    const json feed = {{"version", "https://jsonfeed.org/version/1.1"},
                       {"title", meta.title},
                       {"home_page_url", meta.home_url},
                       {"feed_url", meta.self_url},
                       {"authors", json::array({{{"name", "wirewatch"}}})},
                       {"items", std::move(items)}};
    return feed.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace ww::app
