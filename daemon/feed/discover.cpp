#include "feed/discover.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "feed/entities.h"
#include "feed/url.h"

namespace ww::feed {
namespace {

constexpr std::size_t kMaxScan = 1 << 20;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

std::string lowered(std::string_view s) {
    std::string out(s);
    std::ranges::transform(out, out.begin(), lower);
    return out;
}

// Attribute values may hold character references (&amp; in a query string).
std::string decode_entities(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '&')
            if (const std::size_t n = decode_reference(s.substr(i), out); n > 0) {
                i += n;
                continue;
            }
        out += s[i++];
    }
    return out;
}

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// The attributes of one tag, from just after its name to its '>' (names lower-cased, values
// as written). `pos` ends after the tag.
std::vector<std::pair<std::string, std::string>> attributes(std::string_view s, std::size_t& pos) {
    std::vector<std::pair<std::string, std::string>> out;
    while (pos < s.size() && s[pos] != '>') {
        while (pos < s.size() && (space(s[pos]) || s[pos] == '/')) ++pos;
        const std::size_t name_begin = pos;
        while (pos < s.size() && !space(s[pos]) && s[pos] != '=' && s[pos] != '>' && s[pos] != '/') ++pos;
        std::string name = lowered(s.substr(name_begin, pos - name_begin));
        while (pos < s.size() && space(s[pos])) ++pos;
        std::string value;
        if (pos < s.size() && s[pos] == '=') {
            ++pos;
            while (pos < s.size() && space(s[pos])) ++pos;
            if (pos < s.size() && (s[pos] == '"' || s[pos] == '\'')) {
                const char quote = s[pos++];
                const std::size_t end = s.find(quote, pos);
                const std::size_t stop = end == std::string_view::npos ? s.size() : end;
                value = std::string(s.substr(pos, stop - pos));
                pos = stop == s.size() ? stop : stop + 1;
            } else {
                const std::size_t begin = pos;
                while (pos < s.size() && !space(s[pos]) && s[pos] != '>') ++pos;
                value = std::string(s.substr(begin, pos - begin));
            }
        }
        if (!name.empty()) out.emplace_back(std::move(name), std::move(value));
        else if (pos < s.size() && s[pos] != '>') ++pos;  // a stray character: step over it
    }
    if (pos < s.size()) ++pos;
    return out;
}

std::optional<std::string> feed_type(std::string_view media_type) {
    const std::string t = lowered(media_type.substr(0, media_type.find(';')));
    if (t == "application/rss+xml") return "rss";
    if (t == "application/atom+xml") return "atom";
    if (t == "application/rdf+xml") return "rdf";
    if (t == "application/feed+json" || t == "application/json") return "json";
    return std::nullopt;
}

bool has_token(std::string_view list, std::string_view token) {
    const std::string l = lowered(list);
    std::size_t pos = 0;
    while (pos < l.size()) {
        while (pos < l.size() && space(l[pos])) ++pos;
        const std::size_t begin = pos;
        while (pos < l.size() && !space(l[pos])) ++pos;
        if (std::string_view(l).substr(begin, pos - begin) == token) return true;
    }
    return false;
}

std::optional<FeedLink> feed_link_of(const std::vector<std::pair<std::string, std::string>>& attrs,
                                     std::string_view page_url) {
    std::string rel, type, href, title;
    for (const auto& [name, value] : attrs) {
        if (name == "rel") rel = value;
        else if (name == "type") type = value;
        else if (name == "href") href = value;
        else if (name == "title") title = value;
    }
    if (!has_token(rel, "alternate") && !has_token(rel, "feed")) return std::nullopt;
    auto kind = feed_type(type);
    if (!kind || href.empty()) return std::nullopt;
    return FeedLink{resolve_url(page_url, decode_entities(href)), decode_entities(title), std::move(*kind)};
}

}  // namespace

std::vector<FeedLink> feed_links(std::string_view html, std::string_view page_url) {
    html = html.substr(0, kMaxScan);
    std::vector<FeedLink> out;
    std::size_t pos = 0;
    while ((pos = html.find('<', pos)) != std::string_view::npos) {
        ++pos;
        if (html.substr(pos, 3) == "!--") {  // a commented-out link is not offered
            const std::size_t end = html.find("-->", pos);
            if (end == std::string_view::npos) break;
            pos = end + 3;
            continue;
        }
        if (pos + 4 > html.size() || lowered(html.substr(pos, 4)) != "link" ||
            (pos + 4 < html.size() && !space(html[pos + 4]) && html[pos + 4] != '/' && html[pos + 4] != '>'))
            continue;
        pos += 4;
        auto link = feed_link_of(attributes(html, pos), page_url);
        if (link && std::ranges::none_of(out, [&](const FeedLink& l) { return l.url == link->url; }))
            out.push_back(std::move(*link));
    }
    return out;
}

const std::vector<std::string_view>& common_feed_paths() {
    static const std::vector<std::string_view> paths{
        "/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml", "/feed.json",
        "/feeds/posts/default", "/?feed=rss2"};
    return paths;
}

}  // namespace ww::feed
