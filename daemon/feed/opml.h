#pragma once

// OPML in and out: the feed lists of other readers (Miniflux, FreshRSS, newsboat, Feedly,
// Inoreader) become [[feed]] tables, and the configured feeds become OPML 2.0. Everything here is
// pure (text in, values or text out); the `wirewatch opml` command does the file work and reads
// the config. The module stays free of ww_config: what the import needs from the config (URLs
// and names already taken) is passed in as plain strings.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace ww::feed {

// One outline that looks like a feed: it has an xmlUrl (or newsboat's `url`), or it is a leaf
// without one (then `url` is empty and problem_of() says why it cannot be imported).
struct OpmlFeed {
    std::string url;                // trimmed; `feed:` URLs rewritten to http(s), scheme lower-cased
    std::string title;              // the `title` attribute, else `text`; trimmed; may be empty
    std::vector<std::string> tags;  // the enclosing folders, outermost first, then `category`
    int line = 0;                   // of the <outline> in the OPML text, 1-based; 0 when unknown
    std::string type;               // the `type` attribute as written ("rss", "HTML+XPath", ...)
};

// Every feed-like outline under <body>, in document order, invalid ones included (so that the
// import can report them with their line). Fails (kind "opml") when the text is not XML or its
// root is not <opml>. Any charset the XML declaration or a BOM announces is decoded to UTF-8.
// DTD entities are never expanded (a billion-laughs file yields its text unexpanded).
Result<std::vector<OpmlFeed>> read_opml(std::string_view xml);

// Why an outline cannot become a [[feed]], or "" when it can: no xmlUrl, a scheme other than
// http(s), whitespace inside the URL, or a FreshRSS scraping type (HTML+XPath...) that is not a
// feed at all.
std::string problem_of(const OpmlFeed& f);

// The key under which two feed URLs are the same subscription: scheme and host are
// case-insensitive, the rest is compared exactly.
std::string url_key(std::string_view url);

// What an import does, decided from values only.
struct ImportSkip {
    OpmlFeed feed;
    std::string reason;  // "already configured", "repeated in the OPML (line 12)", or problem_of()
};
struct ImportPlan {
    std::vector<OpmlFeed> add;  // names made unique, tags of repeats merged in
    std::vector<ImportSkip> duplicates;
    std::vector<ImportSkip> invalid;
};
// `configured_urls` and `configured_names` are those of the current config. A title that
// another feed already uses as its name gets " (2)", " (3)"... because the config requires
// unique names; a feed repeated in the OPML (Feedly and Inoreader list a feed once per folder)
// is imported once, with the tags of every occurrence.
ImportPlan plan_import(const std::vector<OpmlFeed>& read,
                       std::span<const std::string> configured_urls,
                       std::span<const std::string> configured_names);

// OPML 2.0: folders (nested outlines) from the tags, in order of first appearance, each feed as
// <outline type="rss" text title xmlUrl/>. No dateCreated, so that the output is reproducible.
std::string write_opml(const std::vector<OpmlFeed>& feeds, std::string_view title);

// [[feed]] tables (url, name when there is a title, tags when there are any), with every string
// escaped as a TOML basic string: quotes, backslashes, control characters; invalid UTF-8
// becomes U+FFFD, which TOML would otherwise reject.
std::string to_feed_toml(const std::vector<OpmlFeed>& feeds);

// `s` as a TOML basic string, quotes included.
std::string toml_string(std::string_view s);

}  // namespace ww::feed
