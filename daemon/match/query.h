#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace ww::match {

// Field bits of a query term. `text:` is title+summary+content; the default adds categories.
enum FieldBits : std::uint8_t {
    kTitle = 1, kSummary = 2, kContent = 4, kCategory = 8, kAuthor = 16,
    kTextFields = kTitle | kSummary | kContent,
    kDefaultFields = kTextFields | kCategory,
};

// The parsed query (DESIGN.md section 5), before analysis.
struct QueryNode {
    enum class Kind : std::uint8_t { conj, disj, negation, near, word, phrase, site };
    Kind kind = Kind::word;
    std::vector<QueryNode> children;
    std::string text;        // word (without '*'), phrase, or host for site:
    bool prefix = false;     // word*
    bool case_sensitive = false;  // under case:
    bool ordered = false;    // ONEAR
    int distance = 0;        // NEAR/n, or "phrase"~n
    std::uint8_t fields = kDefaultFields;
    std::string field_prefix;  // as written ("title"), for the canonical form
    int column = 1;            // 1-based, in characters
    bool grouped = false;      // written inside its own parentheses
};

struct ParseError {
    int column = 1;
    std::string message;  // what was expected, without the watchlist/column prefix
};

// Parses the query language; never throws, bounded recursion.
std::expected<QueryNode, ParseError> parse_query(std::string_view query);

// Fully parenthesised form ("(a OR b) AND c"), used to log queries that mix OR and AND.
std::string canonical(const QueryNode& node);
// True when some AND has an OR operand written without parentheses ("a OR b c").
bool mixes_and_or(const QueryNode& node);

}  // namespace ww::match
