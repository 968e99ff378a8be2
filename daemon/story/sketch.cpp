#include "story/sketch.h"

#include <algorithm>
#include <iterator>
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

// 32 bits of a well-mixed hash of the word. Stable forever: sketches are stored, and a stored
// sketch is only comparable with one computed the same way (Sketch.ValuesAreStableAcrossReleases).
std::uint32_t word_hash(std::string_view w) { return static_cast<std::uint32_t>(mix(fnv1a64(w)) >> 32); }

void add_words(std::span<const std::string> words, std::size_t limit, std::vector<std::uint32_t>& out) {
    std::size_t taken = 0;
    for (const auto& w : words) {
        if (taken == limit) break;
        ++taken;
        if (w.empty() || stopwords().contains(w)) continue;
        out.push_back(word_hash(w));
    }
}

}  // namespace

bool is_stopword(std::string_view word) { return stopwords().contains(word); }

Sketch sketch_of(std::span<const std::string> title_words, std::span<const std::string> text_words,
                 const SketchOptions& options) {
    Sketch sketch;
    auto& w = sketch.words;
    w.reserve(title_words.size() + std::min(text_words.size(), options.max_text_words));
    add_words(title_words, title_words.size(), w);
    add_words(text_words, options.max_text_words, w);
    std::sort(w.begin(), w.end());
    w.erase(std::unique(w.begin(), w.end()), w.end());
    sketch.features = static_cast<std::uint16_t>(std::min<std::size_t>(w.size(), 0xffff));
    if (w.size() > kSketchWords) w.resize(kSketchWords);  // bottom-k: the smallest hashes
    w.shrink_to_fit();
    return sketch;
}

Sketch without_words(const Sketch& sketch, const Sketch& words) {
    Sketch out;
    out.words.reserve(sketch.words.size());
    std::ranges::set_difference(sketch.words, words.words, std::back_inserter(out.words));
    const auto removed = sketch.words.size() - out.words.size();
    out.features = static_cast<std::uint16_t>(sketch.features - std::min<std::size_t>(removed, sketch.features));
    return out;
}

std::size_t shared_words(const Sketch& a, const Sketch& b) {
    // Branch-free merge: the comparisons are unpredictable, and this runs for every candidate
    // story of every item.
    std::size_t n = 0, i = 0, j = 0;
    const auto na = a.words.size(), nb = b.words.size();
    const auto* x = a.words.data();
    const auto* y = b.words.data();
    while (i < na && j < nb) {
        const auto u = x[i], v = y[j];
        n += u == v;
        i += u <= v;
        j += v <= u;
    }
    return n;
}

double similarity(const Sketch& a, const Sketch& b) {
    if (a.words.empty() || b.words.empty()) return 0.0;
    const auto shared = shared_words(a, b);
    return static_cast<double>(shared) / static_cast<double>(a.words.size() + b.words.size() - shared);
}

double overlap(const Sketch& a, const Sketch& b) {
    const auto smaller = std::min(a.words.size(), b.words.size());
    if (smaller == 0) return 0.0;
    return static_cast<double>(shared_words(a, b)) / static_cast<double>(smaller);
}

std::string to_hex(const Sketch& sketch) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(4 + sketch.words.size() * 8);
    auto put = [&](std::uint32_t v, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(v >> shift) & 0xf];
    };
    put(sketch.features, 4);
    for (const auto w : sketch.words) put(w, 8);
    return out;
}

std::optional<Sketch> sketch_from_hex(std::string_view hex) {
    if (hex.size() < 4 || (hex.size() - 4) % 8 != 0 || (hex.size() - 4) / 8 > kSketchWords) return std::nullopt;
    auto get = [&](std::size_t at, std::size_t digits) -> std::optional<std::uint32_t> {
        std::uint32_t v = 0;
        for (std::size_t i = at; i < at + digits; ++i) {
            const char c = hex[i];
            int d = -1;
            if (c >= '0' && c <= '9') d = c - '0';
            if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            if (d < 0) return std::nullopt;
            v = v * 16 + static_cast<std::uint32_t>(d);
        }
        return v;
    };
    Sketch sketch;
    const auto features = get(0, 4);
    if (!features) return std::nullopt;
    sketch.features = static_cast<std::uint16_t>(*features);
    for (std::size_t at = 4; at < hex.size(); at += 8) {
        const auto w = get(at, 8);
        if (!w) return std::nullopt;
        // A stored sketch is sorted and distinct; anything else was not written by to_hex.
        if (!sketch.words.empty() && *w <= sketch.words.back()) return std::nullopt;
        sketch.words.push_back(*w);
    }
    if (sketch.words.size() > sketch.features) return std::nullopt;
    return sketch;
}

}  // namespace ww::story
