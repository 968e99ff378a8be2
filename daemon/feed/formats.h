#pragma once

// Internal to the feed module: the format readers behind parse.cpp's dispatcher.

#include <array>
#include <charconv>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/item.h"
#include "feed/parse.h"
#include "feed/url.h"
#include "feed/xml.h"

namespace ww::feed {

// Whitespace (and control characters) off both ends.
inline std::string_view trim(std::string_view s) {
    while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
    while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
    return s;
}

// A length or size attribute: 0 when it is not a number (feeds write "", "unknown", "-1").
inline std::uint64_t to_u64(std::string_view s) {
    s = trim(s);
    std::uint64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

// The document's URL: Content-Location resolved against the fetched URL, else the fetched URL.
inline std::string document_url(const ParseOptions& options) {
    if (options.content_location.empty()) return std::string(options.url);
    return resolve_url(options.url, options.content_location);
}

// What every XML format reader shares: options, name resolution, the feed being filled, and
// the counters that end up in the bozo flag.
class Context {
public:
    Context(const ParseOptions& options, Feed& feed)
        : options_(options), feed_(feed), document_url_(ww::feed::document_url(options)) {}

    const ParseOptions& options() const { return options_; }
    // The base of last resort for relative links: see document_url().
    const std::string& document_url() const { return document_url_; }
    Feed& feed() { return feed_; }
    Names& names() { return names_; }

    // The character data directly inside n (text and CDATA pieces joined), and the content of
    // an element that may hold markup (its children serialised back when it has elements: an
    // unescaped HTML description). Views into the document when it is one piece, the usual
    // case, else into storage owned here: valid as long as this Context and the document.
    std::string_view text(XmlNode n);
    std::string_view markup(XmlNode n);

    // A date, or nullopt; a non-empty unreadable date is counted (Feed::bad_dates).
    std::optional<SysSeconds> date(std::string_view text);
    // The base URL in force inside n: its xml:base resolved against the parent's base.
    std::string base_of(XmlNode n, const std::string& parent_base) const;
    // Plain text from HTML, capped at options().max_text_bytes.
    std::string html(std::string_view markup) const;
    std::string plain(std::string_view text) const;
    // The document was read leniently: bozo, with `reason` added once.
    void flag(std::string_view reason);
    // Room for one more item? (options().max_items)
    bool room_for_item() const { return feed_.items.size() < options_.max_items; }

    // sy:updatePeriod in seconds and sy:updateFrequency, folded into hints.ttl_seconds at the end.
    // The document holds a C3 byte: text fields are checked for double-encoded UTF-8.
    bool maybe_double_encoded = true;
    std::int64_t sy_period = 0;
    std::int64_t sy_frequency = 1;

private:
    const ParseOptions& options_;
    Feed& feed_;
    Names names_;
    std::string document_url_;
    std::deque<std::string> storage_;  // a deque: growing it never moves what views point at
};

// RSS 0.9x/2.0 with <rss> (or a bare <channel>) as root.
void read_rss(XmlNode root, Context& ctx);
// RSS 0.90 and 1.0: <rdf:RDF> root, items beside the channel.
void read_rdf(XmlNode root, Context& ctx);
// Atom 0.3 and 1.0.
void read_atom(XmlNode root, Context& ctx);
// JSON Feed 1.0 and 1.1 from UTF-8 text.
Result<Feed> read_json_feed(std::string_view text, const ParseOptions& options);

// Shared by the RSS-family readers (rss.cpp, rdf.cpp): one <item> with elements in the main
// namespace `main` (none for RSS 2.0, rss10/rss090 for RDF).
Item read_rss_item(XmlNode item, Ns main, Context& ctx, const std::string& base);
// One channel-level element of the RSS family; returns false when it is not one we know.
bool read_rss_channel_element(XmlNode e, Name name, Ns main, Context& ctx,
                              const std::string& base);

 // One Atom entry; authors are the feed's, inherited when the entry names none.
Item read_atom_entry(XmlNode entry, Ns parent_default, Context& ctx, const std::string& base,
                     const std::vector<std::string>& feed_authors);

// `s` in lower case when it is short (element names), else `s` unchanged; `buf` holds the copy.
// Feeds write iTunes names as <itunes:Author> and feedparser reads them all in lower case.
inline std::string_view ascii_lower(std::string_view s, std::array<char, 32>& buf) {
    std::size_t i = 0;
    while (i < s.size() && !(s[i] >= 'A' && s[i] <= 'Z')) ++i;
    if (i == s.size() || s.size() > buf.size()) return s;  // the usual case: no copy
    for (std::size_t k = 0; k < s.size(); ++k)
        buf[k] = s[k] >= 'A' && s[k] <= 'Z' ? static_cast<char>(s[k] + 32) : s[k];
    return {buf.data(), s.size()};
}

// "jane@example.com (Jane Doe)" -> "Jane Doe"; "Jane Doe <jane@example.com>" -> "Jane Doe".
std::string author_name(std::string_view raw);

}  // namespace ww::feed
