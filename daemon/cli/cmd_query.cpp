// wirewatch query: a query as the engine reads it.
//   wirewatch query [--json] 'QUERY'
// Prints the fully parenthesised reading, every positive term with what it matches (its
// stems, the names of the country or body it names, irregular forms and British spellings)
// and warnings (lower-case or, a term both required and excluded, a proper-noun-only word).
// Exit 0 when the query is valid, 2 when it is not (the error names the column).
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/registry.h"
#include "match/lexicon.h"
#include "match/matcher.h"

namespace ww::cli {
namespace {

int query_usage(std::FILE* out) {
    std::fprintf(out, "usage: wirewatch query [--json] 'QUERY'\n");
    return out == stdout ? 0 : 2;
}

void print_text(const match::QueryReading& r) {
    std::printf("read as: %s\n", r.canonical.c_str());
    for (const auto& t : r.terms) {
        std::string forms;
        for (const auto& f : t.forms) forms += (forms.empty() ? "" : ", ") + f;
        std::printf("  %-20s %-16s %s\n", t.term.c_str(), t.kind.c_str(), forms.c_str());
    }
    for (const auto& w : r.warnings) std::printf("warning: %s\n", w.c_str());
}

void print_json(const match::QueryReading& r) {
    nlohmann::ordered_json terms = nlohmann::ordered_json::array();
    for (const auto& t : r.terms) terms.push_back({{"term", t.term}, {"kind", t.kind}, {"forms", t.forms}});
    const nlohmann::ordered_json j{{"read_as", r.canonical}, {"terms", terms}, {"warnings", r.warnings}};
    std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
}

int query_command(std::span<const std::string_view> args) {
    bool json = false;
    std::string query;
    for (const auto a : args) {
        if (a == "--help" || a == "-h") return query_usage(stdout);
        if (a == "--json") json = true;
        else if (query.empty() && !a.starts_with("--")) query = std::string(a);
        else return query_usage(stderr);
    }
    if (query.empty()) return query_usage(stderr);
    if (const auto* bad = match::default_lexicon_error()) {
        std::fprintf(stderr, "wirewatch query: %s\n", bad->message.c_str());
        return 2;
    }
    const auto reading = match::read_query(query);
    if (!reading) {
        std::fprintf(stderr, "wirewatch query: %s\n", reading.error().message.c_str());
        return 2;
    }
    if (json) print_json(*reading);
    else print_text(*reading);
    return 0;
}

}  // namespace

WW_CLI_COMMAND("query", "show how a watchlist query is read: terms, what each expands to, warnings", query_command);

}  // namespace ww::cli
