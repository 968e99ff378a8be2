#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ww::story {

// A MinHash sketch of an item's words (docs/stories.md says why MinHash and not SimHash: the
// same story told by two outlets shares a quarter to a half of its content words, a range
// SimHash-64 cannot index; MinHash with LSH bands can).
//
// Each slot keeps 16 bits of the feature that had the smallest hash under that slot's
// permutation ("b-bit minwise hashing"): equal slots estimate the Jaccard similarity of the
// two word sets, with a 1/65536 chance per slot of a false agreement.
inline constexpr std::size_t kSketchSlots = 128;

struct Sketch {
    std::array<std::uint16_t, kSketchSlots> slots{};
    std::uint16_t features = 0;  // distinct words hashed; 0 = nothing to compare
    bool operator==(const Sketch&) const = default;
};

struct SketchOptions {
    // Leads carry a story's names and facts; long bodies add words the other outlet's short
    // summary lacks, which only lowers the estimate.
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

// Estimated Jaccard similarity |A n B| / |A u B| in [0, 1]; 0 when either sketch is empty.
double similarity(const Sketch& a, const Sketch& b);
// Estimated number of words the two items share: J (|A| + |B|) / (1 + J).
double shared_words(const Sketch& a, const Sketch& b);
// Estimated overlap coefficient |A n B| / min(|A|, |B|) in [0, 1]: how much of the shorter
// item the longer one contains. This is what the story index compares, because one outlet's
// feed carries a bare headline where another's carries the headline and a lead paragraph,
// and Jaccard punishes that difference in length even when every word of the headline recurs.
double overlap(const Sketch& a, const Sketch& b);

// 4 hex digits per slot, then the feature count: for storing a sketch in a text column.
std::string to_hex(const Sketch& sketch);
std::optional<Sketch> sketch_from_hex(std::string_view hex);

}  // namespace ww::story
