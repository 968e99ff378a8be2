#include "story/sketch.h"

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

#include "core/text.h"

namespace ww::story {
namespace {

// Folded forms and Snowball stems of the commonest function words. Kept short on purpose: a
// missing stopword costs a little precision, a wrong one (a name) costs recall.
constexpr std::string_view kStopwords[] = {
    // English
    "a", "about", "after", "all", "also", "an", "and", "are", "as", "at", "be", "been", "but",
    "by", "can", "could", "did", "do", "for", "from", "had", "has", "have", "he", "her", "his",
    "how", "i", "if", "in", "into", "is", "it", "its", "it'", "more", "most", "new", "no", "not",
    "of", "on", "one", "or", "our", "out", "over", "s", "said", "say", "says", "she", "so",
    "than", "that", "the", "their", "them", "they", "this", "thi", "to", "up", "was", "wa",
    "we", "were", "what", "when", "which", "who", "will", "with", "would", "you", "your",
    // Russian (folded, ё -> е, and Snowball stems)
    "а", "без", "бы", "был", "была", "были", "было", "быть", "в", "во", "вы", "для", "до",
    "его", "ее", "же", "за", "и", "из", "или", "их", "к", "как", "ко", "котор", "которы",
    "которые", "который", "ли", "мы", "на", "над", "не", "нег", "него", "но", "о", "об", "от",
    "по", "под", "при", "с", "со", "так", "такж", "также", "то", "тот", "у", "уже", "что",
    "чтобы", "эт", "это", "этот", "я", "он", "она", "они", "оно",
    // German, French, Spanish: the commonest only
    "der", "die", "das", "den", "dem", "des", "und", "ist", "mit", "von", "zu", "auf", "ein",
    "eine", "le", "la", "les", "de", "du", "et", "en", "un", "une", "pour", "dans", "el", "los",
    "las", "del", "y", "que", "por", "con", "para",
    // Chinese particles and function characters (ICU gives them as words of their own)
    "的", "了", "在", "是", "和", "与", "及", "对", "将", "也", "就", "都", "而", "被", "把",
    "这", "那", "其", "之", "以", "于", "为", "等", "中", "上", "日", "月", "年",
};

struct StopwordSet {
    std::vector<std::string_view> words;
    StopwordSet() : words(std::begin(kStopwords), std::end(kStopwords)) {
        std::sort(words.begin(), words.end());
    }
    bool contains(std::string_view w) const { return std::binary_search(words.begin(), words.end(), w); }
};

const StopwordSet& stopwords() {
    static const StopwordSet set;
    return set;
}

// splitmix64's finaliser: a cheap, well-mixed permutation of 64-bit values.
std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

// Per-slot seeds, fixed forever: sketches are stored, and a stored sketch is only comparable
// with one computed the same way.
const std::array<std::uint64_t, kSketchSlots>& seeds() {
    static const auto table = [] {
        std::array<std::uint64_t, kSketchSlots> t{};
        for (std::size_t i = 0; i < t.size(); ++i) t[i] = mix(0x5717e0f1a5e5ull + i * 0x9e3779b97f4a7c15ull);
        return t;
    }();
    return table;
}

void add_words(std::span<const std::string> words, std::size_t limit, std::vector<std::uint64_t>& out) {
    std::size_t taken = 0;
    for (const auto& w : words) {
        if (taken == limit) break;
        ++taken;
        if (w.empty() || stopwords().contains(w)) continue;
        out.push_back(fnv1a64(w));
    }
}

}  // namespace

bool is_stopword(std::string_view word) { return stopwords().contains(word); }

Sketch sketch_of(std::span<const std::string> title_words, std::span<const std::string> text_words,
                 const SketchOptions& options) {
    std::vector<std::uint64_t> features;
    features.reserve(title_words.size() + std::min(text_words.size(), options.max_text_words));
    add_words(title_words, title_words.size(), features);
    add_words(text_words, options.max_text_words, features);
    std::sort(features.begin(), features.end());
    features.erase(std::unique(features.begin(), features.end()), features.end());

    Sketch sketch;
    sketch.features = static_cast<std::uint16_t>(std::min<std::size_t>(features.size(), 0xffff));
    if (features.empty()) return sketch;
    std::array<std::uint64_t, kSketchSlots> best;
    best.fill(std::numeric_limits<std::uint64_t>::max());
    const auto& seed = seeds();
    for (const auto f : features) {
        const auto tag = static_cast<std::uint16_t>(mix(f) >> 48);
        for (std::size_t i = 0; i < kSketchSlots; ++i) {
            // Low 16 bits carry the tag, so the slot's minimum and its tag travel together.
            const auto v = (mix(f ^ seed[i]) & ~std::uint64_t{0xffff}) | tag;
            best[i] = std::min(best[i], v);
        }
    }
    for (std::size_t i = 0; i < kSketchSlots; ++i) sketch.slots[i] = static_cast<std::uint16_t>(best[i]);
    return sketch;
}

double similarity(const Sketch& a, const Sketch& b) {
    if (a.features == 0 || b.features == 0) return 0.0;
    std::size_t equal = 0;
    for (std::size_t i = 0; i < kSketchSlots; ++i) equal += a.slots[i] == b.slots[i];
    return static_cast<double>(equal) / kSketchSlots;
}

double shared_words(const Sketch& a, const Sketch& b) {
    const double j = similarity(a, b);
    return j * (static_cast<double>(a.features) + b.features) / (1.0 + j);
}

double overlap(const Sketch& a, const Sketch& b) {
    const auto smaller = std::min(a.features, b.features);
    if (smaller == 0) return 0.0;
    return std::min(1.0, shared_words(a, b) / smaller);
}

std::string to_hex(const Sketch& sketch) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(kSketchSlots * 4 + 4);
    auto put = [&](std::uint16_t v) {
        for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(v >> shift) & 0xf];
    };
    for (const auto s : sketch.slots) put(s);
    put(sketch.features);
    return out;
}

std::optional<Sketch> sketch_from_hex(std::string_view hex) {
    if (hex.size() != (kSketchSlots + 1) * 4) return std::nullopt;
    auto get = [&](std::size_t at) -> std::optional<std::uint16_t> {
        std::uint16_t v = 0;
        for (std::size_t i = at; i < at + 4; ++i) {
            const char c = hex[i];
            int d = -1;
            if (c >= '0' && c <= '9') d = c - '0';
            if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            if (d < 0) return std::nullopt;
            v = static_cast<std::uint16_t>(v * 16 + d);
        }
        return v;
    };
    Sketch sketch;
    for (std::size_t i = 0; i < kSketchSlots; ++i) {
        const auto v = get(i * 4);
        if (!v) return std::nullopt;
        sketch.slots[i] = *v;
    }
    const auto features = get(kSketchSlots * 4);
    if (!features) return std::nullopt;
    sketch.features = *features;
    return sketch;
}

}  // namespace ww::story
