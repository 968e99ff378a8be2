// wirewatch match: watchlists against a feed file or JSON Lines items, with explanations.
//   wirewatch match --query 'Q' [--explain] [--json] INPUT
//   wirewatch match --watchlists FILE.toml [--json] [--explain] INPUT
// INPUT is a feed file (any format ww::feed::parse reads), a JSON Lines file of items
// ({"title","summary","content","categories","link","authors","language"}), or "-" for stdin.
// Output: one line per (item, watchlist) match; with --explain also one per (item, watchlist)
// that did not match, with the terms found and missing. A last line on stderr counts the
// items read and matched. Exit 0 when it ran (matches or not), 2 on a query, watchlist or
// input error.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/registry.h"
#include "config/config.h"
#include "feed/parse.h"
#include "match/lexicon.h"
#include "match/matcher.h"

namespace ww::cli {
namespace {

struct Options {
    std::string query;
    std::string watchlists_file;
    std::string input;
    std::string language;  // for items that carry none
    std::string stem_overrides;
    bool json = false;
    bool explain = false;
};

int usage(std::FILE* out) {
    std::fprintf(out,
                 "usage: wirewatch match --query 'QUERY' [--explain] [--json] INPUT\n"
                 "       wirewatch match --watchlists FILE.toml [--explain] [--json] INPUT\n"
                 "options: --language TAG (items without one), --stem-overrides FILE.tsv\n"
                 "INPUT: a feed file, a JSON Lines file of items, or - for stdin\n");
    return out == stdout ? 0 : 2;
}

int input_error(const std::string& message) {
    std::fprintf(stderr, "wirewatch match: %s\n", message.c_str());
    return 2;
}

Result<std::string> read_input(const std::string& path) {
    if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail("io", "match: cannot open " + path);
    std::string body(std::istreambuf_iterator<char>(in), {});
    if (in.bad()) return fail("io", "match: cannot read " + path);
    return body;
}

std::vector<std::string> strings_of(const nlohmann::json& j, const char* key) {
    std::vector<std::string> out;
    const auto it = j.find(key);
    if (it == j.end()) return out;
    if (it->is_string()) out.push_back(it->get<std::string>());
    if (it->is_array()) {
        for (const auto& v : *it) {
            if (v.is_string())
                out.push_back(v.get<std::string>());
            else if (v.is_object() && v.contains("name") && v["name"].is_string())
                out.push_back(v["name"].get<std::string>());
        }
    }
    return out;
}

std::string string_of(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// JSON Lines when the first line is a whole JSON object that is not a JSON Feed document.
bool looks_like_json_lines(std::string_view body) {
    const auto start = body.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (start == std::string_view::npos || body[start] != '{') return false;
    const auto line = body.substr(start, body.find('\n', start) - start);
    const auto j = nlohmann::json::parse(line, nullptr, false);
    return j.is_object() && !string_of(j, "version").starts_with("https://jsonfeed.org/");
}

Item item_of(const nlohmann::json& j) {
    Item item;
    item.title = string_of(j, "title");
    item.summary = string_of(j, "summary");
    item.content = string_of(j, "content");
    item.link = string_of(j, "link");
    item.language = string_of(j, "language");
    item.categories = strings_of(j, "categories");
    item.authors = strings_of(j, "authors");
    return item;
}

// `wirewatch parse --json`'s output (one object with "format" and "items"), so that
// `wirewatch parse --json FEED | wirewatch match -` reads what the parser read.
std::optional<std::pair<std::vector<Item>, std::string>> items_from_parse_output(std::string_view body) {
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (!j.is_object() || !j.contains("format") || !j.contains("items") || !j["items"].is_array())
        return std::nullopt;
    std::vector<Item> items;
    for (const auto& i : j["items"])
        if (i.is_object()) items.push_back(item_of(i));
    return std::pair{std::move(items), string_of(j, "language")};
}

Result<std::vector<Item>> items_from_json_lines(std::string_view body, const std::string& path) {
    std::vector<Item> items;
    std::size_t line_no = 0;
    while (!body.empty()) {
        const auto nl = body.find('\n');
        const auto line = body.substr(0, nl);
        body = nl == std::string_view::npos ? std::string_view{} : body.substr(nl + 1);
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_object())
            return fail("input", "match: " + path + ":" + std::to_string(line_no) + ": expected one JSON object per line");
        items.push_back(item_of(j));
    }
    return items;
}

struct Input {
    std::vector<Item> items;
    std::string feed_language;
};

Result<Input> load_items(const std::string& path) {
    auto body = read_input(path);
    if (!body) return std::unexpected(body.error());
    // Before JSON Lines: `parse --json` prints its one object on one line too.
    if (auto parsed = items_from_parse_output(*body)) return Input{std::move(parsed->first), std::move(parsed->second)};
    if (looks_like_json_lines(*body)) {
        auto items = items_from_json_lines(*body, path);
        if (!items) return std::unexpected(items.error());
        return Input{std::move(*items), {}};
    }
    auto feed = feed::parse(*body, {});
    if (!feed)
        return fail("input", "match: " + path + ": " + feed.error().message +
                                 " (expected a feed, JSON Lines of items, or the output of `wirewatch parse --json`)");
    return Input{std::move(feed->items), feed->language};
}

Result<std::vector<Watchlist>> load_watchlists(const Options& o) {
    if (!o.query.empty()) return std::vector<Watchlist>{{"query", o.query, {}, true}};
    std::ifstream in(o.watchlists_file, std::ios::binary);
    if (!in) return fail("io", "match: cannot open " + o.watchlists_file);
    const std::string text(std::istreambuf_iterator<char>(in), {});
    auto loaded = config::load_string(text, o.watchlists_file);
    if (!loaded) {
        std::string all;
        for (const auto& p : loaded.error()) all += (all.empty() ? "" : "\n") + config::to_string(p);
        return fail("config", all);
    }
    std::vector<Watchlist> out(loaded->watchlists.begin(), loaded->watchlists.end());
    if (out.empty()) return fail("config", "match: " + o.watchlists_file + ": no [[watchlist]] tables");
    return out;
}

std::string joined(const std::vector<std::string>& parts);

void print_hit(const Options& o, std::size_t index, const Item& item, const match::Hit& hit) {
    if (o.json) {
        // ordered_json: the keys in the documented order, for people reading the lines.
        nlohmann::ordered_json j{{"item", index},
                         {"watchlist", hit.watchlist},
                         {"terms", hit.explanation.terms},
                         {"fields", hit.explanation.fields},
                         {"snippet", hit.explanation.snippet}};
        std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
        return;
    }
    std::printf("item %zu\t%s\t%s\n", index, hit.watchlist.c_str(), item.title.c_str());
    if (!o.explain) return;
    std::printf("  terms:   %s\n  fields:  %s\n  snippet: %s\n", joined(hit.explanation.terms).c_str(),
                joined(hit.explanation.fields).c_str(), hit.explanation.snippet.c_str());
}

std::string joined(const std::vector<std::string>& parts) {
    std::string s;
    for (const auto& p : parts) s += (s.empty() ? "" : ", ") + p;
    return s;
}

// Why watchlist `id` did not match the item just matched: "no match: security found; China,
// Russia missing".
void print_miss(const Options& o, std::size_t index, const Item& item, const match::Index& idx, std::uint32_t id) {
    const auto found = idx.explain_last(id).terms;
    const auto missing = idx.missing_last(id);
    if (o.json) {
        nlohmann::ordered_json j{{"item", index}, {"watchlist", idx.watchlist_name(id)}, {"match", false},
                                 {"found", found}, {"missing", missing}};
        std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
        return;
    }
    std::string why = "no match: ";
    if (!found.empty()) why += joined(found) + " found" + (missing.empty() ? "" : "; ");
    if (!missing.empty()) why += joined(missing) + " missing";
    // Every positive term is there: a phrase, NEAR distance, field or exclusion decided.
    if (missing.empty()) why += " (but not together as the query asks, or an excluded term is present)";
    std::printf("item %zu\t%s\t%s\t%s\n", index, idx.watchlist_name(id).c_str(), item.title.c_str(), why.c_str());
}

std::optional<Options> parse_args(std::span<const std::string_view> args) {
    Options o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--json") o.json = true;
        else if (a == "--explain") o.explain = true;
        else if (a == "--query" && has_value) o.query = std::string(args[++i]);
        else if (a == "--watchlists" && has_value) o.watchlists_file = std::string(args[++i]);
        else if (a == "--language" && has_value) o.language = std::string(args[++i]);
        else if (a == "--stem-overrides" && has_value) o.stem_overrides = std::string(args[++i]);
        else if (o.input.empty() && (a == "-" || !a.starts_with("--"))) o.input = std::string(a);
        else return std::nullopt;
    }
    if (o.input.empty() || o.query.empty() == o.watchlists_file.empty()) return std::nullopt;
    return o;
}

int match_command(std::span<const std::string_view> args) {
    for (const auto a : args)
        if (a == "--help" || a == "-h") return usage(stdout);
    const auto options = parse_args(args);
    if (!options) return usage(stderr);
    const Options& o = *options;

    auto watchlists = load_watchlists(o);
    if (!watchlists) return input_error(watchlists.error().message);
    match::BuildOptions build_options;
    if (!o.stem_overrides.empty()) {
        auto table = match::load_stem_overrides(o.stem_overrides);
        if (!table) return input_error(table.error().message);
        build_options.stem_overrides = *table;
    }
    if (const auto* bad = match::default_lexicon_error()) return input_error(bad->message);
    const auto built = match::build_index(*watchlists, build_options);
    for (const auto& n : built.notices) std::fprintf(stderr, "match: %s\n", n.message.c_str());
    if (!built.errors.empty()) {
        for (const auto& e : built.errors) std::fprintf(stderr, "%s\n", e.message.c_str());
        return 2;
    }
    auto input = load_items(o.input);
    if (!input) return input_error(input.error().message);

    std::size_t matched = 0;
    const match::Index& index = *built.index;
    for (std::size_t i = 0; i < input->items.size(); ++i) {
        const Item& item = input->items[i];
        match::ItemView view{.title = item.title, .summary = item.summary, .content = item.content,
                             .link = item.link, .language = item.language, .categories = item.categories,
                             .authors = item.authors, .feed_name = {}};
        if (view.language.empty()) view.language = input->feed_language.empty() ? o.language : input->feed_language;
        match::MatchStats stats;
        const auto span = index.match_ids(view, stats);
        const std::vector<std::uint32_t> hits(span.begin(), span.end());
        if (!hits.empty()) ++matched;
        for (std::uint32_t id = 0, h = 0; id < index.size(); ++id) {
            if (h < hits.size() && hits[h] == id) {
                print_hit(o, i, item, {index.watchlist_name(id), index.explain_last(id)});
                ++h;
            } else if (o.explain) {
                print_miss(o, i, item, index, id);
            }
        }
    }
    const std::size_t read = input->items.size();
    std::fprintf(stderr, "read %zu item%s, %zu matched\n", read, read == 1 ? "" : "s", matched);
    return 0;
}

}  // namespace

WW_CLI_COMMAND("match", "match a query or watchlists against a feed file or JSON Lines items",
               match_command);

}  // namespace ww::cli
