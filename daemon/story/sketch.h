#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ww::story {

// A bottom-k MinHash sketch of an item's words: the k smallest 32-bit hashes of its distinct
// content words. An item's title and lead have fewer than k such words, so the sketch is the
// whole word set and similarity is exact; only a longer text is sampled (the k smallest
// hashes are a uniform sample of the words). docs/stories.md says why this and not SimHash: two
// outlets telling one story share a third to two thirds of the shorter item's words, a range
// SimHash-64 neither separates nor indexes.
inline constexpr std::size_t kSketchWords = 64;

struct Sketch {
    std::vector<std::uint32_t> words;  // sorted, distinct, at most kSketchWords
    std::uint16_t features = 0;        // distinct content words before sampling; 0 = empty
    bool operator==(const Sketch&) const = default;
};

struct SketchOptions {
    // Leads carry a story's names and facts; long bodies add words the other outlet's short
    // summary lacks, which only lowers the overlap.
    std::size_t max_text_words = 30;
};

// Common function words (English, Russian, German, French, Spanish; Chinese particles), in the
// analyzer's folded form and, where Snowball changes them, their stems as well: they say
// nothing about which story an item tells.
bool is_stopword(std::string_view word);

// The sketch of an item: the distinct non-stop words of its title and of the first
// `max_text_words` words of its text (summary, else content). The words are the match
// analyzer's output (folded and stemmed), so every language is treated the same way.
Sketch sketch_of(std::span<const std::string> title_words, std::span<const std::string> text_words,
                 const SketchOptions& options = {});

// The sketch without `words` (a sketch of the words to drop). A watchlist's own query terms are
// shared by every item it matches: counted, they would make any two short headlines it matched
// one story ("China warns Russia over Arctic security pact" and "Russia and China agree to
// deepen security co-operation" share exactly china, russia and security).
Sketch without_words(const Sketch& sketch, const Sketch& words);

// Words the two sketches share.
std::size_t shared_words(const Sketch& a, const Sketch& b);
// Jaccard similarity |A n B| / |A u B| of the sketched words, in [0, 1]; 0 when either is empty.
double similarity(const Sketch& a, const Sketch& b);
// Overlap coefficient |A n B| / min(|A|, |B|) in [0, 1]: how much of the shorter
// item the longer one contains. This is what the story index compares, because one outlet's
// feed carries a bare headline where another's carries the headline and a lead paragraph,
// and Jaccard punishes that difference in length even when every word of the headline recurs.
double overlap(const Sketch& a, const Sketch& b);

// The feature count in 4 hex digits, then 8 per word: for storing a sketch in a text column.
std::string to_hex(const Sketch& sketch);
std::optional<Sketch> sketch_from_hex(std::string_view hex);

}  // namespace ww::story
