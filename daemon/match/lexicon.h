#pragma once

// What the matcher knows of meaning beyond spelling (docs/query-language.md, "Meaning over
// spelling"): the names of countries, territories and international bodies in every analysed
// language, English irregular forms and British/American spellings. Built once at start from
// Debian-shipped data (ICU, iso-codes, WordNet, Hunspell dictionaries) plus the reviewed table
// config/entities.tsv, then shared immutably by every index built afterwards.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "match/stemmer.h"

namespace ww::match {

// How a name form of an entity may be met in running text.
enum FormFlags : std::uint8_t {
    kAnyCase = 0,
    // The form is also an everyday lower-case word (china, turkey, guinea): only a
    // capitalised occurrence names the entity, and only a capitalised query word asks for it.
    kProperOnly = 1,
    // An acronym of at most three letters or one that is a common word (US, UN, WHO): only
    // written in capitals.
    kCapitalsOnly = 2,
    // A combining form (Sino-, Russo-): only as part of a hyphenated word (Sino-Japanese).
    kCombining = 4,
};

struct EntityForm {
    std::uint32_t entity = 0;
    std::uint8_t flags = kAnyCase;
};

// A name of several words ("united kingdom"), found by its first word.
struct MultiWordName {
    std::vector<std::string> rest;  // the folded words after the first
    EntityForm form;
};

class Lexicon {
public:
    // Where the data comes from; an empty path skips that source.
    struct Sources {
        std::string wordnet_dir;      // /usr/share/wordnet
        std::string iso_3166_json;    // /usr/share/iso-codes/json/iso_3166-1.json
        std::string hunspell_dir;     // /usr/share/hunspell (en_GB.dic, en_US.dic)
        std::string table;            // config/entities.tsv
        bool icu_names = true;        // country names in every analysed language
    };
    // The Debian paths and the shipped table (located like the stem overrides).
    static Sources default_sources();
    // Fails only on a bad table line (file:line) or an unreadable table; missing Debian data
    // leaves that part of the lexicon empty.
    static Result<std::shared_ptr<const Lexicon>> load(const Sources& sources);
    // Nothing known: the literal matcher of before (benchmarks compare against it).
    static std::shared_ptr<const Lexicon> empty();

    bool has_entities() const { return !names_.empty(); }
    std::size_t entity_count() const { return names_.size(); }
    const std::string& entity_name(std::uint32_t e) const { return names_[e]; }
    const std::string& entity_key(std::uint32_t e) const { return keys_[e]; }
    const std::uint32_t* entity_by_key(std::string_view key) const;

    // A folded word naming an entity in any language, or its stem in `language`.
    const EntityForm* by_word(std::string_view folded) const;
    const EntityForm* by_stem(std::size_t language, std::string_view stem) const;
    std::span<const MultiWordName> names_starting(std::string_view folded) const;

    // English normalisation before and after Snowball: the lemma of an irregular form
    // ("struck" -> "strike"), empty when none; the American stem of a British one
    // ("colour" -> "color"), empty when none.
    std::string_view lemma(std::string_view folded) const;
    std::string_view american_stem(std::string_view stem) const;

    std::uint64_t generation() const { return generation_; }
    std::size_t lemma_count() const { return lemmas_.size(); }
    std::size_t spelling_count() const { return spellings_.size(); }
    std::size_t form_count() const;

private:
    friend struct LexiconBuilder;
    std::vector<std::string> names_, keys_;
    StringMap<std::uint32_t> by_key_;
    StringMap<EntityForm> words_;
    std::vector<StringMap<EntityForm>> stems_ = std::vector<StringMap<EntityForm>>(kStemLanguageCount);
    StringMap<std::vector<MultiWordName>> multi_;
    StringMap<std::string> lemmas_, spellings_;
    std::uint64_t generation_ = 0;
};

// The lexicon from default_sources(), loaded once (an empty one, logged by the caller, when
// the table is bad).
std::shared_ptr<const Lexicon> default_lexicon();

// Capitalisation of a word as written (raw bytes of the item text).
bool starts_upper(std::string_view raw);
bool all_upper(std::string_view raw);  // every letter upper case, at least one

}  // namespace ww::match
