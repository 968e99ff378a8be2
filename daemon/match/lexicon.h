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

// The entity of a name of several words that names no entity but contains one's name or
// adjective (French fries, Latin American, guinea pig): its words do not count for it.
inline constexpr std::uint32_t kNoEntity = 0xFFFFFFFFu;

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

    // English forms: the lemma of an irregular form ("struck" -> "strike"), empty when none
    // (items carry it, a query word that is a lemma asks for it); the American stem of a
    // British one ("colour" -> "color"), empty when none (items and queries alike).
    std::string_view lemma(std::string_view folded) const;
    bool is_lemma(std::string_view folded) const { return lemma_targets_.contains(folded); }
    // The lemma an item word carries: of its irregular form, else the one its English stem
    // shares (strikes -> strike). Empty when none.
    std::string_view item_lemma(std::string_view folded, std::string_view stem) const;
    // The lemma a query word asks for besides itself: the lemma of an irregular form that is
    // no noun or verb of its own (children -> child, not shot -> shoot). Empty when none.
    std::string_view query_lemma(std::string_view folded) const {
        return query_lemmas_.contains(folded) ? lemma(folded) : std::string_view{};
    }
    std::string_view american_stem(std::string_view stem) const;

    // Reverse lookups for `wirewatch query` (a scan: not for the hot path).
    std::vector<std::string> forms_of(std::uint32_t entity) const;   // folded words and names
    std::vector<std::string> irregular_forms(std::string_view lemma) const;
    std::vector<std::string> british_stems(std::string_view american) const;

    std::uint64_t generation() const { return generation_; }
    std::size_t lemma_count() const { return lemmas_.size(); }
    std::size_t spelling_count() const { return spellings_.size(); }
    std::size_t form_count() const;
    // A hyphenated word of its own (Anglo-Saxon, Indo-European; folded, hyphens dropped): its
    // combining form does not name a country there.
    bool is_compound(std::string_view joined) const { return compounds_.contains(joined); }

private:
    friend struct LexiconBuilder;
    std::vector<std::string> names_, keys_;
    StringMap<std::uint32_t> by_key_;
    StringMap<EntityForm> words_;
    std::vector<StringMap<EntityForm>> stems_ = std::vector<StringMap<EntityForm>>(kStemLanguageCount);
    StringMap<std::vector<MultiWordName>> multi_;
    StringMap<std::string> lemmas_, spellings_;
    StringMap<bool> lemma_targets_;  // the lemmas of irregular forms
    StringMap<std::string> lemma_by_stem_;  // English stem of a lemma -> the lemma
    StringMap<bool> query_lemmas_;  // irregular forms that are no words of their own
    StringMap<bool> compounds_;
    std::uint64_t generation_ = 0;
};

// The lexicon from default_sources(), loaded once; an empty one when the table is bad, and
// then default_lexicon_error() says why (file:line), for the caller to report.
std::shared_ptr<const Lexicon> default_lexicon();
const Error* default_lexicon_error();

// Capitalisation of a word as written (raw bytes of the item text).
bool starts_upper(std::string_view raw);
bool starts_lower(std::string_view raw);
bool all_upper(std::string_view raw);  // every letter upper case, at least one

}  // namespace ww::match
