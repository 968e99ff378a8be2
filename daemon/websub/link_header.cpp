#include "websub/link_header.h"

#include <algorithm>

namespace ww::websub {

namespace {

constexpr std::string_view kSpace = " \t";

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
    std::string out(s);
    std::ranges::transform(out, out.begin(), lower);
    return out;
}

void skip(std::string_view text, std::size_t& i, std::string_view chars) {
    while (i < text.size() && chars.find(text[i]) != std::string_view::npos) ++i;
}

// A quoted-string with backslash escapes; `i` is on the opening quote.
std::string quoted(std::string_view text, std::size_t& i) {
    std::string out;
    for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        out += text[i];
    }
    if (i < text.size()) ++i;  // the closing quote
    return out;
}

// Skips to just past the next top-level comma (a malformed value's remainder).
void next_value(std::string_view text, std::size_t& i) {
    while (i < text.size() && text[i] != ',') {
        if (text[i] == '"') quoted(text, i);
        else ++i;
    }
    if (i < text.size()) ++i;
}

// `;name=value` parameters up to the end of the link-value; returns the rel values.
std::vector<std::string> params(std::string_view text, std::size_t& i) {
    std::vector<std::string> rels;
    bool seen_rel = false;
    for (;;) {
        skip(text, i, kSpace);
        if (i >= text.size() || text[i] == ',') break;
        if (text[i] != ';') return next_value(text, i), rels;
        ++i;
        skip(text, i, kSpace);
        const auto start = i;
        while (i < text.size() && std::string_view("=;, \t").find(text[i]) == std::string_view::npos) ++i;
        const auto name = lowered(text.substr(start, i - start));
        skip(text, i, kSpace);
        std::string value;
        if (i < text.size() && text[i] == '=') {
            ++i;
            skip(text, i, kSpace);
            if (i < text.size() && text[i] == '"') {
                value = quoted(text, i);
            } else {
                const auto v = i;
                while (i < text.size() && std::string_view(";, \t").find(text[i]) == std::string_view::npos) ++i;
                value = std::string(text.substr(v, i - v));
            }
        }
        // RFC 8288 3.3: only the first rel parameter counts.
        if (name == "rel" && !seen_rel) {
            seen_rel = true;
            std::size_t r = 0;
            while (r < value.size()) {
                skip(value, r, kSpace);
                const auto s = r;
                while (r < value.size() && kSpace.find(value[r]) == std::string_view::npos) ++r;
                if (r > s) rels.push_back(lowered(std::string_view(value).substr(s, r - s)));
            }
        }
    }
    if (i < text.size()) ++i;  // the comma
    return rels;
}

bool has_rel(const LinkValue& v, std::string_view rel) { return std::ranges::find(v.rels, rel) != v.rels.end(); }

bool is_web_url(std::string_view url) {
    const auto l = lowered(url.substr(0, 8));
    return l.starts_with("http://") || l.starts_with("https://");
}

// Enough resolution for Link targets, which are absolute or host-relative in practice:
// "//host/x" takes the base's scheme, "/x" the base's origin, anything else relative to the
// base's directory.
bool has_scheme(std::string_view url) {
    const auto colon = url.find(':');
    return colon != std::string_view::npos && colon > 0 && url.find_first_of("/?#") > colon;
}

std::string resolve(std::string_view target, std::string_view base) {
    if (has_scheme(target) || target.empty()) return std::string(target);
    const auto scheme_end = base.find("://");
    if (scheme_end == std::string_view::npos) return std::string(target);
    if (target.starts_with("//")) return std::string(base.substr(0, scheme_end + 1)) + std::string(target);
    const auto path_start = base.find('/', scheme_end + 3);
    const auto origin = base.substr(0, path_start);
    if (target.starts_with('/')) return std::string(origin) + std::string(target);
    if (path_start == std::string_view::npos) return std::string(origin) + "/" + std::string(target);
    auto dir = base.substr(0, base.find_first_of("?#", path_start));
    dir = dir.substr(0, dir.rfind('/') + 1);
    return std::string(dir) + std::string(target);
}

}  // namespace

std::vector<LinkValue> parse_link_header(std::string_view text) {
    std::vector<LinkValue> out;
    std::size_t i = 0;
    while (i < text.size()) {
        skip(text, i, " \t,");
        if (i >= text.size()) break;
        if (text[i] != '<') {
            next_value(text, i);
            continue;
        }
        const auto close = text.find('>', i);
        if (close == std::string_view::npos) break;
        LinkValue v;
        v.target = std::string(text.substr(i + 1, close - i - 1));
        i = close + 1;
        v.rels = params(text, i);
        out.push_back(std::move(v));
    }
    return out;
}

Discovery discover(const std::vector<std::string>& link_headers, const FeedHints& hints,
                   std::string_view fetched_url) {
    Discovery d;
    auto add_hub = [&](const std::string& url) {
        if (is_web_url(url) && std::ranges::find(d.hubs, url) == d.hubs.end()) d.hubs.push_back(url);
    };
    for (const auto& header : link_headers) {
        for (const auto& v : parse_link_header(header)) {
            const auto target = resolve(v.target, fetched_url);
            if (has_rel(v, "hub")) add_hub(target);
            if (has_rel(v, "self") && d.topic.empty() && is_web_url(target)) d.topic = target;
        }
    }
    // The document's links count only when the headers named no hub: a publisher that sends
    // Link headers means them (WebSub 4: "the Link headers take precedence").
    if (d.hubs.empty())
        for (const auto& h : hints.hubs) add_hub(h);
    if (d.topic.empty() && is_web_url(hints.self_url)) d.topic = hints.self_url;
    if (d.topic.empty()) d.topic = std::string(fetched_url);
    return d;
}

}  // namespace ww::websub
