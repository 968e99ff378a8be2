#include "sink/render.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <cctype>
#include <vector>

#include "core/text.h"
#include "core/url.h"

namespace ww::sink {

namespace {

namespace mstch = kainjow::mustache;

std::string str(ww_str s) { return s.data ? std::string(s.data, s.size) : std::string(); }

std::size_t utf8_seq_len(unsigned char c) {
    return c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
}

bool is_markup(Escape e) { return e == Escape::html || e == Escape::slack; }

// One token of marked-up text: a tag, an entity or one character.
struct Token {
    std::size_t begin, end;
    std::size_t units;  // visible UTF-16 units
    enum Kind { text, open_tag, close_tag, other_tag } kind;
    std::string tag_name;
};

Token next_token(std::string_view s, std::size_t i, Escape e) {
    const unsigned char c = (unsigned char)s[i];
    if (is_markup(e) && c == '<') {
        const auto close = s.find('>', i);
        if (close != std::string_view::npos) {
            std::string_view inner = s.substr(i + 1, close - i - 1);
            Token t{i, close + 1, 0, Token::other_tag, {}};
            if (e == Escape::html && !inner.empty() && !inner.ends_with("/")) {
                const bool closing = inner.front() == '/';
                if (closing) inner.remove_prefix(1);
                const auto n = inner.find_first_of(" \t\n");
                t.tag_name = std::string(inner.substr(0, n));
                t.kind = t.tag_name == "br" ? Token::other_tag : closing ? Token::close_tag : Token::open_tag;
            }
            return t;
        }
    }
    if (is_markup(e) && c == '&') {
        const auto semi = s.find(';', i);
        if (semi != std::string_view::npos && semi - i <= 10) return {i, semi + 1, 1, Token::text, {}};
    }
    const std::size_t n = std::min(utf8_seq_len(c), s.size() - i);
    return {i, i + n, n == 4 ? 2u : 1u, Token::text, {}};
}

std::string markdown_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (std::string_view("\\*_~`|>[]()#").find(c) != std::string_view::npos) out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

mstch::data string_list(const ww_str* items, std::size_t n) {
    mstch::data list{mstch::data::type::list};
    for (std::size_t i = 0; i < n; ++i) list.push_back(mstch::data{chat_text(str(items[i]))});
    return list;
}

bool starts_with_nocase(std::string_view text, std::string_view word) {
    if (text.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != word[i]) return false;
    return true;
}

// The mention word at the start of `text` ("@channel", "<!here"...), or 0.
std::size_t mention_at(std::string_view text) {
    static constexpr std::string_view words[] = {"@channel", "@everyone", "@here", "@all", "@room",
                                                 "<!channel", "<!everyone", "<!here"};
    for (auto w : words) {
        if (!starts_with_nocase(text, w)) continue;
        // "@allison" is a person; "@all." and "@all," still ping.
        const bool word_ends = text.size() == w.size() || (!std::isalnum(static_cast<unsigned char>(text[w.size()])) &&
                                                           text[w.size()] != '_');
        if (word_ends) return w.size();
    }
    return 0;
}

struct Fields {
    std::string summary, snippet;
};

mstch::data template_data(const ww_alert& a, const Fields& f) {
    mstch::data d;
    d.set("seq", std::to_string(a.seq));
    d.set("alert_id", str(a.alert_id));
    d.set("detected_at", str(a.detected_at));
    d.set("watchlist", str(a.watchlist));
    d.set("query", str(a.query));
    d.set("feed_title", chat_text(str(a.feed_title)));
    d.set("feed_url", redact_url(str(a.feed_url)));
    d.set("title", chat_text(str(a.title)));
    const std::string link = safe_link(str(a.link));
    d.set("link", link);
    d.set("published", str(a.published));
    d.set("summary", f.summary);
    d.set("language", str(a.language));
    d.set("snippet", f.snippet);
    std::string terms_text;
    for (std::size_t i = 0; i < a.terms_count; ++i)
        terms_text += (i ? ", " : "") + chat_text(str(a.terms[i]));
    d.set("terms_text", terms_text);
    d.set("terms", string_list(a.terms, a.terms_count));
    d.set("categories", string_list(a.categories, a.categories_count));
    d.set("authors", string_list(a.authors, a.authors_count));
    d.set("has_link", !link.empty() ? mstch::data::type::bool_true : mstch::data::type::bool_false);
    d.set("has_snippet", !f.snippet.empty() ? mstch::data::type::bool_true : mstch::data::type::bool_false);
    d.set("has_summary", !f.summary.empty() ? mstch::data::type::bool_true : mstch::data::type::bool_false);
    d.set("has_published", a.published.size > 0 ? mstch::data::type::bool_true : mstch::data::type::bool_false);
    return d;
}

// Drops `excess` visible units from the end of plain text (plus one for the ellipsis).
std::string shorten(const std::string& s, std::size_t excess, std::string_view ellipsis) {
    const std::size_t len = utf16_length(s);
    if (excess == 0 || len == 0) return s;
    const std::size_t keep = len > excess + utf16_length(ellipsis) ? len - excess : 0;
    return keep == 0 ? std::string() : cut_text(s, keep, ellipsis, Escape::none);
}

}  // namespace

std::string escape_text(std::string_view text, Escape e) {
    if (e == Escape::markdown) return markdown_escape(text);
    if (e == Escape::none) return std::string(text);
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"':
                if (e == Escape::html) {
                    out += "&quot;";
                    break;
                }
                [[fallthrough]];
            default: out.push_back(c);
        }
    }
    return out;
}

std::string neutralize_mentions(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::size_t n = (text[i] == '@' || text[i] == '<') ? mention_at(text.substr(i)) : 0;
        if (n == 0) {
            out.push_back(text[i]);
            continue;
        }
        const std::size_t lead = text[i] == '@' ? 1 : 2;  // "@" or "<!"
        out += text.substr(i, lead);
        out += "\u200D";
        out += text.substr(i + lead, n - lead);
        i += n - 1;
    }
    return out;
}

std::string chat_text(std::string_view text) { return neutralize_mentions(strip_unsafe_controls(text)); }

std::size_t utf16_length(std::string_view text) { return visible_length(text, Escape::none); }

std::size_t visible_length(std::string_view text, Escape e) {
    std::size_t units = 0;
    for (std::size_t i = 0; i < text.size();) {
        const Token t = next_token(text, i, e);
        units += t.units;
        i = t.end;
    }
    return units;
}

std::string cut_text(std::string_view text, std::size_t max_units, std::string_view ellipsis, Escape e) {
    if (visible_length(text, e) <= max_units) return std::string(text);
    const std::size_t ell = utf16_length(ellipsis);
    const std::size_t budget = max_units > ell ? max_units - ell : 0;
    std::vector<std::string> open;
    std::size_t units = 0, i = 0;
    while (i < text.size()) {
        const Token t = next_token(text, i, e);
        if (units + t.units > budget) break;
        units += t.units;
        if (t.kind == Token::open_tag) open.push_back(t.tag_name);
        if (t.kind == Token::close_tag && !open.empty() && open.back() == t.tag_name) open.pop_back();
        i = t.end;
    }
    std::string out(text.substr(0, i));
    if (max_units >= ell) out += ellipsis;
    for (auto it = open.rbegin(); it != open.rend(); ++it) out += "</" + *it + ">";
    return out;
}

Result<std::string> render_alert(std::string_view tmpl, Escape e, std::size_t max_units,
                                 std::string_view ellipsis, const ww_alert& a) {
    mstch::mustache m{std::string(tmpl)};
    if (!m.is_valid()) return fail("template", "sink: template does not parse: " + m.error_message());
    // Always set: mustache's default escape is HTML, which plain-text services must not get.
    m.set_custom_escape([e](const std::string& s) { return escape_text(s, e); });
    if (ellipsis.empty()) ellipsis = "\u2026";
    Fields f{chat_text(utf8_sanitize(str(a.summary))), chat_text(utf8_sanitize(str(a.snippet)))};
    std::string out = m.render(template_data(a, f));
    if (max_units == 0 || visible_length(out, e) <= max_units) return out;
    // Shorten the long free text first, so that the title, the link and the structure survive.
    const std::size_t excess = visible_length(out, e) - max_units;
    const std::size_t from_summary = std::min(excess, utf16_length(f.summary));
    f.summary = shorten(f.summary, from_summary, ellipsis);
    f.snippet = shorten(f.snippet, excess - std::min(excess, from_summary), ellipsis);
    out = m.render(template_data(a, f));
    return cut_text(out, max_units, ellipsis, e);
}

}  // namespace ww::sink
