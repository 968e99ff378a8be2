#include "match/lexicon.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>
#include <utf8proc.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "match/analyzer.h"
#include "match/lines.h"

namespace ww::match {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    while (true) {
        const auto p = s.find(sep);
        out.push_back(s.substr(0, p));
        if (p == std::string_view::npos) return out;
        s.remove_prefix(p + 1);
    }
}

bool has_upper_ascii(std::string_view s) {
    return std::ranges::any_of(s, [](char c) { return c >= 'A' && c <= 'Z'; });
}

// The words of a name as the analyzer reads them (hyphen parts left out: the joined word
// stands for them, as in items).
std::vector<std::string> name_words(std::string_view name) {
    std::vector<Token> tokens;
    TokenCursor cur;
    tokenize(name, Field::title, cur, tokens, false);
    std::vector<std::string> out;
    for (auto& t : tokens)
        if (!t.part) out.push_back(std::move(t.word));
    return out;
}

std::size_t letters(std::string_view s) {
    return static_cast<std::size_t>(std::ranges::count_if(s, [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (static_cast<unsigned char>(c) & 0x80);
    }));
}

}  // namespace

namespace {

// The Unicode category of the first character, or "unassigned" for none.
utf8proc_category_t first_category(std::string_view raw) {
    utf8proc_int32_t cp = 0;
    if (raw.empty() || utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(raw.data()),
                                        static_cast<utf8proc_ssize_t>(raw.size()), &cp) <= 0)
        return UTF8PROC_CATEGORY_CN;
    return utf8proc_category(cp);
}

}  // namespace

bool starts_upper(std::string_view raw) {
    const auto cat = first_category(raw);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

bool starts_lower(std::string_view raw) { return first_category(raw) == UTF8PROC_CATEGORY_LL; }

bool all_upper(std::string_view raw) {
    bool any = false;
    for (std::size_t i = 0; i < raw.size();) {
        utf8proc_int32_t cp = 0;
        const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(raw.data() + i),
                                        static_cast<utf8proc_ssize_t>(raw.size() - i), &cp);
        if (n <= 0) return false;
        i += static_cast<std::size_t>(n);
        const auto cat = utf8proc_category(cp);
        if (cat == UTF8PROC_CATEGORY_LL) return false;
        if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT) any = true;
    }
    return any;
}

// Everything the load needs and then drops: word lists of WordNet and Hunspell.
struct LexiconBuilder {
    Lexicon& lex;
    const Stemming plain{nullptr};  // Snowball with the shipped overrides, no lexicon
    std::unordered_set<std::string> common;  // WordNet lemmas written in lower case
    std::unordered_set<std::string> dictionary;  // Hunspell en_US words written in lower case
    std::size_t en = stem_language_of("en");

    std::uint32_t entity(const std::string& key, const std::string& name) {
        if (const auto it = lex.by_key_.find(key); it != lex.by_key_.end()) return it->second;
        const auto e = static_cast<std::uint32_t>(lex.names_.size());
        lex.names_.push_back(name);
        lex.keys_.push_back(key);
        lex.by_key_.emplace(key, e);
        return e;
    }

    // How a form written `as_written` may be met (FormFlags).
    std::uint8_t flags_of(std::string_view as_written, const std::string& folded) const {
        std::string bare;
        for (const char c : as_written)
            if (c != '.') bare += c;
        if (bare.size() >= 2 && all_upper(bare) && letters(bare) == bare.size()) {
            const bool word = common.contains(folded) || dictionary.contains(folded);
            return (bare.size() <= 3 || word) ? kCapitalsOnly : kAnyCase;
        }
        return starts_upper(as_written) && common.contains(folded) ? kProperOnly : kAnyCase;
    }

    // A name of entity `e` in stemming language `language` (0: only by word, e.g. Chinese).
    void add_name(std::uint32_t e, std::string_view name, std::size_t language, std::uint8_t extra = 0) {
        if (name.find(',') != std::string_view::npos) return;  // "Korea, Republic of": an index form
        auto words = name_words(name);
        if (words.empty()) return;
        if (words.size() > 1) {
            auto& list = lex.multi_[words[0]];
            std::vector<std::string> rest(words.begin() + 1, words.end());
            if (std::ranges::find(list, rest, &MultiWordName::rest) == list.end())
                list.push_back({std::move(rest), {e, kAnyCase}});
            return;
        }
        const std::string& w = words[0];
        const EntityForm form{e, static_cast<std::uint8_t>(flags_of(name, w) | extra)};
        // A foreign name that is an English word ("Island", Iceland in German) names the
        // entity only in items of its language.
        const bool english_word = language != en && (common.contains(w) || dictionary.contains(w));
        if (!english_word) lex.words_.try_emplace(w, form);
        if (language != 0) lex.stems_[language].try_emplace(plain.stem(language, w), form);
    }

    std::optional<std::uint32_t> entity_named(std::string_view name) const {
        const auto words = name_words(name);
        if (words.empty()) return std::nullopt;
        if (words.size() == 1) {
            if (const auto* f = lex.by_word(words[0])) return f->entity;
            return std::nullopt;
        }
        for (const auto& m : lex.names_starting(words[0]))
            if (m.form.entity != kNoEntity && std::equal(m.rest.begin(), m.rest.end(), words.begin() + 1, words.end()))
                return m.form.entity;
        return std::nullopt;
    }

    void load_icu();
    void load_iso(const std::string& path);
    void load_common_words(const std::string& wordnet, const std::string& hunspell);
    void load_wordnet_names(const std::string& dir);
    void add_blockers(std::string_view nouns);
    void add_adjectives(const std::string& dir,
                        const std::unordered_map<std::uint32_t, std::vector<std::string_view>>& named,
                        const std::unordered_map<std::uint32_t, std::uint32_t>& synset_entity);
    Result<void> load_table(const std::string& path);
    void load_lemmas(const std::string& dir);
    void load_spellings(const std::string& dir);
};

void LexiconBuilder::load_icu() {
    std::vector<std::string> languages;
    for (const auto& l : stem_languages())
        if (*l.code != '\0') languages.emplace_back(l.code);
    languages.emplace_back("zh");
    for (const char* const* c = icu::Locale::getISOCountries(); *c != nullptr; ++c) {
        const icu::Locale region("", *c);
        icu::UnicodeString english;
        region.getDisplayCountry(icu::Locale::getEnglish(), english);
        std::string name;
        english.toUTF8String(name);
        if (name.empty() || name == *c) continue;
        const auto e = entity(*c, name);
        for (const auto& lang : languages) {
            icu::UnicodeString local;
            region.getDisplayCountry(icu::Locale(lang.c_str()), local);
            std::string text;
            local.toUTF8String(text);
            if (text.empty() || text == *c) continue;
            add_name(e, text, stem_language_of(lang));
        }
    }
}

// iso-codes' JSON holds one key per line ("alpha_2": "CN",); reading it by lines keeps the
// JSON library out of this module (DESIGN.md section 2: one module per library).
void LexiconBuilder::load_iso(const std::string& path) {
    const std::string text = read_file(path);
    std::string code;
    std::vector<std::string> names;
    const auto value = [](std::string_view line) {
        const auto colon = line.find("\": \"");
        const auto end = line.rfind('"');
        return colon == std::string_view::npos || end <= colon + 4 ? std::string{}
                                                                  : std::string(line.substr(colon + 4, end - colon - 4));
    };
    for_each_line(text, [&](std::string_view line, std::size_t) {
        if (line.find("\"alpha_2\"") != std::string_view::npos) code = value(line);
        for (const char* key : {"\"name\"", "\"official_name\"", "\"common_name\""})
            if (line.find(key) != std::string_view::npos) names.push_back(value(line));
        if (line.find('}') == std::string_view::npos) return;
        if (const auto* e = lex.entity_by_key(code))
            for (const auto& n : names) add_name(*e, n, en);
        code.clear();
        names.clear();
    });
}

void LexiconBuilder::load_common_words(const std::string& wordnet, const std::string& hunspell) {
    if (!wordnet.empty())
        for (const char* pos : {"noun", "verb", "adj", "adv"}) {
            for_each_line(read_file(wordnet + "/data." + std::string(pos)), [&](std::string_view line, std::size_t) {
                if (line.empty() || line[0] == ' ') return;
                const auto f = split(line.substr(0, line.find(" | ")), ' ');
                if (f.size() < 4) return;
                std::size_t n = 0;
                std::from_chars(f[3].data(), f[3].data() + f[3].size(), n, 16);
                for (std::size_t i = 0; i < n && 4 + 2 * i < f.size(); ++i) {
                    const auto w = f[4 + 2 * i].substr(0, f[4 + 2 * i].find('('));
                    if (!has_upper_ascii(w) && w.find('_') == std::string_view::npos) common.emplace(w);
                    if (w.find('-') != std::string_view::npos && w.find('_') == std::string_view::npos) {
                        std::string joined;
                        for (const char c : w)
                            if (c != '-') joined += c;
                        lex.compounds_.try_emplace(fold_word(joined), true);
                    }
                }
            });
        }
    if (!hunspell.empty())
        for_each_line(read_file(hunspell + "/en_US.dic"), [&](std::string_view line, std::size_t no) {
            const auto w = line.substr(0, line.find('/'));
            if (no > 1 && !w.empty() && !has_upper_ascii(w)) dictionary.emplace(w);
        });
}

namespace {

// One synset line of a WordNet data file: its words and its pointers.
struct Synset {
    std::uint32_t offset = 0;
    int lexfile = 0;
    std::vector<std::string_view> words;
    struct Pointer {
        std::string_view symbol;
        std::uint32_t target;
        char pos;
        unsigned source_word, target_word;  // 0: the whole synset
    };
    std::vector<Pointer> pointers;
};

std::optional<Synset> parse_synset(std::string_view line) {
    if (line.empty() || line[0] == ' ') return std::nullopt;
    const auto f = split(line.substr(0, line.find(" | ")), ' ');
    if (f.size() < 5) return std::nullopt;
    Synset s;
    std::from_chars(f[0].data(), f[0].data() + f[0].size(), s.offset);
    std::from_chars(f[1].data(), f[1].data() + f[1].size(), s.lexfile);
    std::size_t n = 0, i = 4;
    std::from_chars(f[3].data(), f[3].data() + f[3].size(), n, 16);
    for (std::size_t k = 0; k < n && i < f.size(); ++k, i += 2) s.words.push_back(f[i].substr(0, f[i].find('(')));
    if (i >= f.size()) return s;
    std::size_t p = 0;
    std::from_chars(f[i].data(), f[i].data() + f[i].size(), p);
    ++i;
    for (std::size_t k = 0; k < p && i + 3 < f.size() + 0; ++k, i += 4) {
        Synset::Pointer ptr{f[i], 0, f[i + 2].empty() ? ' ' : f[i + 2][0], 0, 0};
        std::from_chars(f[i + 1].data(), f[i + 1].data() + f[i + 1].size(), ptr.target);
        const auto st = f[i + 3];
        if (st.size() == 4) {
            std::from_chars(st.data(), st.data() + 2, ptr.source_word, 16);
            std::from_chars(st.data() + 2, st.data() + 4, ptr.target_word, 16);
        }
        s.pointers.push_back(ptr);
    }
    return s;
}

std::string spaced(std::string_view lemma) {
    std::string s(lemma);
    std::ranges::replace(s, '_', ' ');
    return s;
}

}  // namespace

// Countries in WordNet: location synsets that are instances of some "country" or "nation".
// Each gives its other names (Britain, Great Britain, U.K.; PRC, Red China), and adjectives
// point at them (pertainyms: Chinese -> China, British -> Great Britain).
void LexiconBuilder::load_wordnet_names(const std::string& dir) {
    const std::string nouns = read_file(dir + "/data.noun");
    std::unordered_map<std::uint32_t, std::string_view> first_word;
    std::vector<Synset> places;
    std::unordered_map<std::uint32_t, std::vector<std::string_view>> named;  // capitalised synsets
    for_each_line(nouns, [&](std::string_view line, std::size_t) {
        auto s = parse_synset(line);
        if (!s || s->words.empty()) return;
        first_word.emplace(s->offset, s->words[0]);
        if (starts_upper(s->words[0])) named.emplace(s->offset, s->words);
        if (s->lexfile == 15) places.push_back(std::move(*s));
    });
    std::unordered_map<std::uint32_t, std::uint32_t> synset_entity;
    for (const auto& s : places) {
        const bool country = std::ranges::any_of(s.pointers, [&](const Synset::Pointer& p) {
            if (p.symbol != "@i") return false;
            const auto it = first_word.find(p.target);
            return it != first_word.end() &&
                   (it->second.find("country") != std::string_view::npos || it->second.find("nation") != std::string_view::npos);
        });
        if (!country) continue;
        // By its first name only: the Soviet Union's synset also says Russia.
        const auto e = entity_named(spaced(s.words[0]));
        if (!e) continue;
        synset_entity.emplace(s.offset, *e);
        for (const auto w : s.words)
            if (starts_upper(w)) add_name(*e, spaced(w), en);
    }
    add_adjectives(dir, named, synset_entity);
    add_blockers(nouns);
}

// Two-word nouns that contain a country's name or adjective but are about something else
// (French fries, Swiss cheese, Indian summer, Latin American, guinea pig, New Jersey): their
// words do not name the country. Groups and events (US Army, Sino-Japanese War) are about it.
void LexiconBuilder::add_blockers(std::string_view nouns) {
    for_each_line(nouns, [&](std::string_view line, std::size_t) {
        auto s = parse_synset(line);
        if (!s || s->lexfile == 14 || s->lexfile == 4) return;
        for (const auto w : s->words) {
            if (std::ranges::count(w, '_') != 1) continue;
            const auto words = name_words(spaced(w));
            // A place named after a country's name (Jordan River, Panama Canal) is about it;
            // one whose second word is it (New Jersey, Latin America) is not.
            const bool first = s->lexfile != 15 && lex.by_word(words[0]) != nullptr;
            if (words.size() != 2 || (!first && lex.by_word(words[1]) == nullptr)) continue;
            auto& list = lex.multi_[words[0]];
            const std::vector<std::string> rest{words[1]};
            if (std::ranges::find(list, rest, &MultiWordName::rest) == list.end())
                list.push_back({rest, {kNoEntity, kAnyCase}});
        }
    });
}

void LexiconBuilder::add_adjectives(const std::string& dir,
                                    const std::unordered_map<std::uint32_t, std::vector<std::string_view>>& named,
                                    const std::unordered_map<std::uint32_t, std::uint32_t>& synset_entity) {
    for_each_line(read_file(dir + "/data.adj"), [&](std::string_view line, std::size_t) {
        auto s = parse_synset(line);
        if (!s) return;
        for (const auto& p : s->pointers) {
            if (p.symbol != "\\" || p.pos != 'n') continue;
            std::optional<std::uint32_t> e;
            if (const auto it = named.find(p.target); it != named.end()) {
                const auto& words = it->second;
                const std::size_t k = p.target_word == 0 ? 0 : p.target_word - 1;
                if (k < words.size()) e = entity_named(spaced(words[k]));
            }
            if (!e)
                if (const auto it = synset_entity.find(p.target); it != synset_entity.end()) e = it->second;
            if (!e) continue;
            for (std::size_t k = 0; k < s->words.size(); ++k)
                if ((p.source_word == 0 || p.source_word == k + 1) && starts_upper(s->words[k]))
                    add_name(*e, spaced(s->words[k]), en);
        }
    });
}

// config/entities.tsv: `key<TAB>name<TAB>form|form|...`. A two-letter upper-case key is an
// ISO 3166 country (name "-" keeps ICU's); any other key is an entity of its own.
Result<void> LexiconBuilder::load_table(const std::string& path) {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) return fail("config", "match: cannot read entity table " + path);
    const std::string text = read_file(path);
    std::optional<Error> error;
    for_each_line(text, [&](std::string_view line, std::size_t no) {
        if (error || line.empty() || line.front() == '#') return;
        const auto f = split(line, '\t');
        const auto where = "match: " + path + ":" + std::to_string(no) + ": ";
        if (f.size() != 3 || f[0].empty() || f[1].empty() || f[2].empty()) {
            error = Error{"config", where + "expected key<TAB>name<TAB>form|form|..."};
            return;
        }
        const std::string key(f[0]);
        if (key == "-") {  // names that contain a country's but are about something else
            for (const auto form : split(f[2], '|')) {
                const auto words = name_words(form);
                if (words.size() < 2) {
                    error = Error{"config", where + "a \"-\" line lists names of several words"};
                    return;
                }
                lex.multi_[words[0]].push_back({{words.begin() + 1, words.end()}, {kNoEntity, kAnyCase}});
            }
            return;
        }
        const bool country = key.size() == 2 && all_upper(key);
        if (f[1] == "-" && (!country || lex.entity_by_key(key) == nullptr)) {
            error = Error{"config", where + "\"-\" keeps the name of a known ISO 3166 country; \"" + key +
                                        "\" is none: give a name"};
            return;
        }
        const auto e = entity(key, f[1] == "-" ? lex.names_[*lex.entity_by_key(key)] : std::string(f[1]));
        if (f[1] != "-") add_name(e, f[1], en);
        for (auto form : split(f[2], '|')) {
            const bool combining = form.size() > 1 && form.back() == '-';
            if (combining) form.remove_suffix(1);
            if (name_words(form).empty()) {
                error = Error{"config", where + "the form \"" + std::string(form) + "\" has no letters or digits"};
                return;
            }
            add_name(e, form, en, combining ? kCombining : 0);
        }
    });
    if (error) return std::unexpected(*error);
    return {};
}

// noun.exc, verb.exc, adj.exc: "form lemma", and WordNet's -men -> -man rule (women). An
// item word carries the lemma of its irregular form, or the lemma its stem shares (strikes,
// striking: strike); a query word that is a lemma asks for it (strike finds struck). A query
// word that is an irregular form asks for its lemma too (struck finds strike), unless the
// form is a noun or verb of its own (shot, left, found keep their meaning). A plural whose
// regular singular is a common verb is left out: "leaves" is leaf's, but mostly leave's.
void LexiconBuilder::load_lemmas(const std::string& dir) {
    std::unordered_set<std::string> lemmas, nouns;
    std::unordered_map<std::string, int> verb_tags;  // tagged senses: how common the verb is
    for (const char* pos : {"noun", "verb"})
        for_each_line(read_file(dir + "/index." + std::string(pos)), [&](std::string_view line, std::size_t) {
            if (line.empty() || line[0] == ' ') return;
            const auto f = split(line, ' ');
            lemmas.emplace(f[0]);
            if (*pos == 'n') nouns.emplace(f[0]);
            std::size_t p = 0;
            if (*pos == 'v' && f.size() > 3 && std::from_chars(f[3].data(), f[3].data() + f[3].size(), p).ec == std::errc{} &&
                f.size() > 5 + p)
                std::from_chars(f[5 + p].data(), f[5 + p].data() + f[5 + p].size(), verb_tags[std::string(f[0])]);
        });
    const auto add = [&](const std::string& form, const std::string& lemma) {
        if (form == lemma || !lex.lemmas_.try_emplace(form, lemma).second) return;
        lex.lemma_targets_.try_emplace(lemma, true);
        lex.lemma_by_stem_.try_emplace(plain.stem(en, lemma), lemma);
        if (!lemmas.contains(form)) lex.query_lemmas_.try_emplace(form, true);
    };
    for (const char* pos : {"noun", "verb", "adj"})
        for_each_line(read_file(dir + "/" + std::string(pos) + ".exc"), [&](std::string_view line, std::size_t) {
            const auto f = split(line, ' ');
            if (f.size() < 2 || f[0].find('_') != std::string_view::npos || f[1].find('_') != std::string_view::npos)
                return;
            const std::string form(f[0]);
            const auto common_verb = [&](std::size_t cut) {
                if (form.size() <= cut) return false;
                const auto it = verb_tags.find(form.substr(0, form.size() - cut));
                return it != verb_tags.end() && it->first != f[1] && it->second >= 5;
            };
            if (form.ends_with("s") && (common_verb(1) || (form.ends_with("es") && common_verb(2)))) return;
            add(form, std::string(f[1]));
        });
    for (const auto& n : nouns)
        if (n.ends_with("man") && n.find('_') == std::string::npos) add(n.substr(0, n.size() - 3) + "men", n);
}

namespace {

// American candidates for a British spelling, by the regular differences, also two at once
// (manoeuvre: oe -> e and -re -> -er).
std::vector<std::string> american_candidates(const std::string& word) {
    std::vector<std::string> bases{word};
    for (const char* digraph : {"ae", "oe"})
        if (const auto p = word.find(digraph); p != std::string::npos)
            bases.push_back(word.substr(0, p) + "e" + word.substr(p + 2));
    std::vector<std::string> out(bases.begin() + 1, bases.end());
    for (const auto& g : bases) {
        const auto ends = [&](std::string_view s) { return g.ends_with(s); };
        const auto swap_end = [&](std::size_t n, std::string_view by) { out.push_back(g.substr(0, g.size() - n) + std::string(by)); };
        if (ends("our")) swap_end(3, "or");
        if (ends("ise")) swap_end(3, "ize");
        if (ends("isation")) swap_end(7, "ization");
        if (ends("yse")) swap_end(3, "yze");
        if (ends("re") && g.size() > 3 && std::string_view("aeiou").find(g[g.size() - 3]) == std::string_view::npos)
            swap_end(2, "er");
        if (ends("ence")) swap_end(4, "ense");
        if (ends("ogue")) swap_end(4, "og");
        if (ends("mme")) swap_end(3, "m");
        if (ends("ium")) swap_end(3, "um");  // aluminium
        if (ends("l") && !ends("ll")) out.push_back(g + "l");  // fulfil, enrol
        if (const auto p = g.find("lful"); p != std::string::npos) out.push_back(g.substr(0, p) + "llful");
    }
    return out;
}

std::unordered_set<std::string> dictionary_words(const std::string& path) {
    std::unordered_set<std::string> out;
    for_each_line(read_file(path), [&](std::string_view line, std::size_t no) {
        const auto w = line.substr(0, line.find('/'));
        if (no > 1 && !w.empty()) out.emplace(w);
    });
    return out;
}

}  // namespace

// A pair is kept only where both dictionaries confirm it: the British form in en_GB and not
// in en_US, the American one in en_US. Pairs are kept as stems, so that inflected forms
// (colours, organised) follow.
void LexiconBuilder::load_spellings(const std::string& dir) {
    const auto gb = dictionary_words(dir + "/en_GB.dic");
    const auto us = dictionary_words(dir + "/en_US.dic");
    const auto pair = [&](const std::string& british, const std::string& american) {
        const std::string from = plain.stem(en, british), to = plain.stem(en, american);
        if (from != to) lex.spellings_.try_emplace(from, to);
    };
    for (const auto& g : gb) {
        if (has_upper_ascii(g)) continue;
        for (const auto& a : american_candidates(g)) {
            // One of the two must be its dictionary's only: dialogue is in both, dialog in
            // en_US only; colour in en_GB only.
            if (a == g || !us.contains(a) || (us.contains(g) && gb.contains(a))) continue;
            pair(g, a);
            break;
        }
    }
    // Debian's en_GB is Oxford spelling (-ize): the -ise forms British papers print are in
    // neither list. Each -ize/-yze word of en_US gives its -ise/-yse form, unless that is a
    // word of its own (advertise, surmise).
    for (const auto* list : {&us, &gb})
        for (const auto& a : *list) {
            for (const auto& [z, s] : {std::pair{"ize", "ise"}, {"yze", "yse"}}) {
                if (!a.ends_with(z) || has_upper_ascii(a)) continue;
                const std::string g = a.substr(0, a.size() - 3) + s;
                if (!us.contains(g) && !gb.contains(g)) pair(g, a);
            }
        }
}

Lexicon::Sources Lexicon::default_sources() {
    Sources s{"/usr/share/wordnet", "/usr/share/iso-codes/json/iso_3166-1.json", "/usr/share/hunspell", "", true};
    const std::array<std::string, 3> tables{
        "/etc/wirewatch/entities.tsv", "/usr/share/wirewatch/entities.tsv",
#ifdef WW_ENTITIES_SOURCE
        WW_ENTITIES_SOURCE,
#else
        "",
#endif
    };
    for (const auto& t : tables) {
        std::error_code ec;
        if (!t.empty() && std::filesystem::exists(t, ec)) {
            s.table = t;
            break;
        }
    }
    return s;
}

Result<std::shared_ptr<const Lexicon>> Lexicon::load(const Sources& sources) {
    static std::atomic<std::uint64_t> generations{0};
    auto lex = std::make_shared<Lexicon>();
    lex->generation_ = ++generations;
    LexiconBuilder b{*lex};
    b.load_common_words(sources.wordnet_dir, sources.hunspell_dir);
    if (sources.icu_names) b.load_icu();
    if (!sources.iso_3166_json.empty()) b.load_iso(sources.iso_3166_json);
    // The reviewed table before WordNet: its forms (Britons, US) take precedence.
    if (!sources.table.empty())
        if (auto r = b.load_table(sources.table); !r) return std::unexpected(r.error());
    if (!sources.wordnet_dir.empty()) {
        b.load_wordnet_names(sources.wordnet_dir);
        b.load_lemmas(sources.wordnet_dir);
    }
    if (!sources.hunspell_dir.empty()) b.load_spellings(sources.hunspell_dir);
    return std::shared_ptr<const Lexicon>(std::move(lex));
}

std::shared_ptr<const Lexicon> Lexicon::empty() {
    static const auto none = [] {
        auto lex = std::make_shared<Lexicon>();
        static std::atomic<std::uint64_t> g{1u << 30};
        lex->generation_ = ++g;
        return std::shared_ptr<const Lexicon>(std::move(lex));
    }();
    return none;
}

namespace {

struct DefaultLexicon {
    std::shared_ptr<const Lexicon> lexicon;
    std::optional<Error> error;
};

const DefaultLexicon& default_load() {
    static const DefaultLexicon d = [] {
        auto loaded = Lexicon::load(Lexicon::default_sources());
        if (loaded) return DefaultLexicon{*loaded, std::nullopt};
        return DefaultLexicon{Lexicon::empty(), loaded.error()};
    }();
    return d;
}

}  // namespace

std::shared_ptr<const Lexicon> default_lexicon() { return default_load().lexicon; }

const Error* default_lexicon_error() {
    const auto& e = default_load().error;
    return e ? &*e : nullptr;
}

const std::uint32_t* Lexicon::entity_by_key(std::string_view key) const {
    const auto it = by_key_.find(key);
    return it == by_key_.end() ? nullptr : &it->second;
}

const EntityForm* Lexicon::by_word(std::string_view folded) const {
    const auto it = words_.find(folded);
    return it == words_.end() ? nullptr : &it->second;
}

const EntityForm* Lexicon::by_stem(std::size_t language, std::string_view stem) const {
    if (language >= stems_.size()) return nullptr;
    const auto it = stems_[language].find(stem);
    return it == stems_[language].end() ? nullptr : &it->second;
}

std::span<const MultiWordName> Lexicon::names_starting(std::string_view folded) const {
    const auto it = multi_.find(folded);
    if (it == multi_.end()) return {};
    return it->second;
}

std::string_view Lexicon::lemma(std::string_view folded) const {
    const auto it = lemmas_.find(folded);
    return it == lemmas_.end() ? std::string_view{} : std::string_view{it->second};
}

std::string_view Lexicon::item_lemma(std::string_view folded, std::string_view stem) const {
    if (const auto l = lemma(folded); !l.empty()) return l;
    const auto it = lemma_by_stem_.find(stem);
    return it == lemma_by_stem_.end() ? std::string_view{} : std::string_view{it->second};
}

std::string_view Lexicon::american_stem(std::string_view stem) const {
    const auto it = spellings_.find(stem);
    return it == spellings_.end() ? std::string_view{} : std::string_view{it->second};
}

std::size_t Lexicon::form_count() const {
    std::size_t n = words_.size() + multi_.size();
    for (const auto& m : stems_) n += m.size();
    return n;
}

std::vector<std::string> Lexicon::forms_of(std::uint32_t entity) const {
    std::vector<std::string> out;
    for (const auto& [word, form] : words_)
        if (form.entity == entity) out.push_back(word + ((form.flags & kCombining) ? "-" : ""));
    for (const auto& [first, names] : multi_)
        for (const auto& n : names) {
            if (n.form.entity != entity) continue;
            std::string s = first;
            for (const auto& w : n.rest) s += " " + w;
            out.push_back(std::move(s));
        }
    std::ranges::sort(out);
    return out;
}

std::vector<std::string> Lexicon::irregular_forms(std::string_view lemma) const {
    std::vector<std::string> out;
    for (const auto& [form, l] : lemmas_)
        if (l == lemma) out.push_back(form);
    std::ranges::sort(out);
    return out;
}

std::vector<std::string> Lexicon::british_stems(std::string_view american) const {
    std::vector<std::string> out;
    for (const auto& [gb, us] : spellings_)
        if (us == american) out.push_back(gb);
    std::ranges::sort(out);
    return out;
}

}  // namespace ww::match
