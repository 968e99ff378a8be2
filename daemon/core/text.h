#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ww {

// Longest prefix of at most max_bytes that does not end inside a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

// Replaces invalid UTF-8 sequences with U+FFFD.
std::string utf8_sanitize(std::string_view s);
bool utf8_valid(std::string_view s);

// Removes what must not reach a terminal or a chat message from feed text: C1 controls
// (U+0080-U+009F: some terminals act on them) and bidi embeddings, overrides and isolates
// (U+202A-U+202E, U+2066-U+2069: they reorder what the reader sees, "Trojan Source").
// Everything else, including invalid bytes, is kept as it is.
std::string strip_unsafe_controls(std::string_view s);

// 64-bit FNV-1a; stable across platforms and releases (it names stored things).
std::uint64_t fnv1a64(std::string_view s, std::uint64_t seed = 14695981039346656037ull);
std::string hex64(std::uint64_t v);

// An application/x-www-form-urlencoded string (an HTTP query or form body) as its name/value
// pairs in order: '+' is a space, valid %XX escapes are decoded, anything else is kept as is.
using QueryParams = std::vector<std::pair<std::string, std::string>>;
QueryParams parse_query_string(std::string_view query);

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), for "did you
// mean": `publsh` is 1 from `publish`, `intervall` 1 from `interval`.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely typo (at most 1 edit
// for words of up to 4 letters, 2 beyond), else empty. Ties go to the first candidate.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean \"x\"?)" for the closest candidate, or "" when none is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace ww
