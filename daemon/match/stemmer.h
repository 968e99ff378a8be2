#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "match/analyzer.h"

struct sb_stemmer;

namespace ww::match {

// Heterogeneous lookup, so that probing with a string_view allocates nothing.
struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept;
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// Move-only owner of a Snowball stemmer. Not thread-safe: Snowball returns a pointer into the
// stemmer's own buffer, so each thread keeps its own (see Stemming).
class SnowballStemmer {
public:
    explicit SnowballStemmer(const char* language);
    bool valid() const { return handle_ != nullptr; }
    // The stem, valid until the next call.
    std::string_view stem(std::string_view word);

private:
    struct Deleter {
        void operator()(sb_stemmer* s) const;
    };
    std::unique_ptr<sb_stemmer, Deleter> handle_;
};

// Languages with a Snowball stemmer that the matcher uses, by ISO 639-1 code.
// Index 0 is "none": the word is its own stem.
struct StemLanguage {
    const char* code;
    Script script;
};
std::span<const StemLanguage> stem_languages();
inline constexpr std::size_t kStemLanguageCount = 23;
// Index in stem_languages() or 0 when Snowball has none for this BCP 47 tag ("en-GB" -> en).
std::size_t stem_language_of(std::string_view bcp47);
// The stemmer a token of this script uses in an item of language `item_lang`
// (index as above; `item_lang_given` false means "guess from the script").
std::size_t stem_language_for(Script script, std::size_t item_lang, bool item_lang_given);

// Names the stemmer mangles, from config/stem-overrides.tsv: per language, a word form -> the
// stem every listed form shares (Russian Китая -> китай, never кит "whale").
class StemOverrides {
public:
    // Lines: `lang<TAB>stem<TAB>form form form...`; '#' starts a comment.
    static Result<StemOverrides> parse(std::string_view text, std::string_view origin);
    static Result<StemOverrides> load(const std::string& path);
    const std::string* find(std::size_t language, std::string_view word) const;
    std::size_t size() const { return size_; }
    // Distinct for every parsed table (copies share it): keys the per-thread stem caches.
    std::uint64_t generation() const { return generation_; }

private:
    std::vector<StringMap<std::string>> by_language_;
    std::uint64_t generation_ = 0;
    std::size_t size_ = 0;
};

// The table shipped in config/, looked for in /etc/wirewatch, /usr/share/wirewatch and the
// source tree; an empty table when none is found. Loaded once.
std::shared_ptr<const StemOverrides> default_stem_overrides();

class Lexicon;

// Stems words with the per-thread Snowball stemmers and a per-thread cache, applying the
// override table first and, for English, the lexicon's British spellings after Snowball
// (colour -> color).
class Stemming {
public:
    // Words cached per thread before the cache starts afresh. News never stops bringing new
    // words (names, numbers, typos), so an unbounded cache is a slow leak in a daemon that runs
    // for months; 65,536 words (about 6 MiB) hold a day of a busy wire's vocabulary.
    static constexpr std::size_t kCacheWords = std::size_t{1} << 16;
    explicit Stemming(std::shared_ptr<const StemOverrides> overrides,
                      std::shared_ptr<const Lexicon> lexicon = nullptr);
    std::string stem(std::size_t language, std::string_view word) const;
    // Every distinct stem a query word may have across the languages of its script, the word
    // itself included (it is the stem where Snowball has no stemmer).
    // Pairs (language index, stem); index 0 is the word itself.
    std::vector<std::pair<std::size_t, std::string>> query_stems(std::string_view word, Script script) const;
    const StemOverrides* overrides() const { return overrides_.get(); }
    // Whether the lexicon changes how this word stems (a British spelling).
    bool normalised(std::size_t language, std::string_view word) const;
    // Null when built without one (the literal matcher).
    const Lexicon* lexicon() const { return lexicon_.get(); }
    // Words in the calling thread's cache (for the tests that bound it).
    static std::size_t cached_on_this_thread();

private:
    std::string snowball(std::size_t language, std::string_view word) const;
    std::shared_ptr<const StemOverrides> overrides_;
    std::shared_ptr<const Lexicon> lexicon_;
    std::uint64_t owner_ = 0;  // keys the per-thread cache: overrides and lexicon together
};

}  // namespace ww::match
