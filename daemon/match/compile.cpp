#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>

#include "match/engine.h"

namespace ww::match {

TermDictionary::TermDictionary() {
    static std::atomic<std::uint64_t> generations{0};
    generation_ = ++generations;
}

std::uint32_t TermDictionary::intern(Ns ns, std::string_view term) {
    auto& m = maps_[static_cast<int>(ns)];
    if (const auto* found = m.find(term)) return *found;
    const auto id = static_cast<std::uint32_t>(terms_.size());
    terms_.emplace_back(term);
    ns_.push_back(ns);
    m.insert(term, id);
    if (ns == Ns::prefix) max_prefix_bytes_ = std::max(max_prefix_bytes_, term.size());
    return id;
}

std::optional<std::uint32_t> TermDictionary::find(Ns ns, std::string_view term) const {
    const auto& m = maps_[static_cast<int>(ns)];
    if (m.empty()) return std::nullopt;
    const auto* found = m.find(term);
    if (found == nullptr) return std::nullopt;
    return *found;
}

namespace {

// Items (of the measured ones) expected to hold the term. Only stems and exact words are
// counted; a surface is looked up as its folded word, prefixes and hosts are taken as common
// (a prefix covers many words; most watched sites publish often).
double expected_count(const TermDictionary& dict, const TermFrequencies& f, std::uint32_t id) {
    const auto& term = dict.term(id);
    switch (dict.ns(id)) {
        case Ns::stem:
        case Ns::exact: return f.count(dict.ns(id), term);
        case Ns::surface: return f.count(Ns::exact, fold_word(term));
        case Ns::prefix:
        case Ns::host:
        case Ns::entity:
        case Ns::lemma: return f.items() / 20.0;
    }
    return 0;
}

// Rarity on a log scale, 100 per halving of the share of items, comparable across terms.
int rarity_of_count(double count, std::uint32_t items) {
    return static_cast<int>(100.0 * std::log2((items + 1.0) / (count + 0.5)));
}

}  // namespace

double TermDictionary::count_of(std::uint32_t id) const {
    // Memoised: the 100,000th query with "sanctions" should not look its stems up again.
    if (counts_.size() <= id) counts_.resize(terms_.size(), -1);
    if (counts_[id] < 0) counts_[id] = expected_count(*this, *frequencies, id);
    return counts_[id];
}

int TermDictionary::rarity(std::uint32_t id) const {
    if (frequencies == nullptr) return term_rarity(terms_[id]);
    return rarity_of_count(count_of(id), frequencies->items());
}

int TermDictionary::set_rarity(std::span<const std::uint32_t> ids) const {
    if (frequencies == nullptr) {
        int s = 1 << 20;
        for (const auto id : ids) s = std::min(s, term_rarity(terms_[id]));
        return s;
    }
    double sum = 0;
    for (const auto id : ids) sum += count_of(id);
    return rarity_of_count(sum, frequencies->items());
}

int term_rarity(std::string_view term) {
    static constexpr std::array<std::string_view, 40> common{
        "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "at", "by",
        "from", "is", "are", "was", "be", "as", "it", "its", "that", "this", "new", "said",
        "will", "has", "have", "not", "but", "и", "в", "на", "с", "не", "по", "о", "что",
        "的", "和"};
    for (const auto c : common)
        if (c == term) return 0;
    int n = static_cast<int>(codepoints(term));
    // A Chinese character carries about as much as a short Latin word.
    if (!term.empty() && static_cast<unsigned char>(term[0]) >= 0xE3) n *= 3;
    return n;
}

namespace {

struct Compiler {
    TermDictionary& dict;
    const Stemming& stemming;

    using R = std::expected<CNode, CompileError>;

    static R fail(const QueryNode& q, std::string msg) {
        return std::unexpected(CompileError{q.column, std::move(msg)});
    }

    // The entity a bare query word names (lexicon.h), and whether the word asks for the
    // entity only: a capitalised China (not the porcelain), US in capitals (not "us").
    // A lower-case china or us keeps its plain meaning.
    struct QueryEntity {
        std::uint32_t term;
        bool only;
    };
    static constexpr QueryEntity kNoEntityReading{kNoTerm, false};
    std::optional<QueryEntity> query_entity(const Token& t) const {
        const Lexicon* lex = stemming.lexicon();
        if (lex == nullptr || !lex->has_entities()) return std::nullopt;
        // Memoised by surface: the 100,000th query with "Iran" costs one lookup.
        if (const auto it = dict.entity_memo.find(t.surface); it != dict.entity_memo.end()) {
            if (it->second.first == kNoTerm) return std::nullopt;
            return QueryEntity{it->second.first, it->second.second};
        }
        const auto found = read_entity(t, *lex);
        dict.entity_memo.emplace(t.surface, found ? std::pair{found->term, found->only} : std::pair{kNoTerm, false});
        return found;
    }

    std::optional<QueryEntity> read_entity(const Token& t, const Lexicon& lex_ref) const {
        const Lexicon* lex = &lex_ref;
        const EntityForm* f = lex->by_word(t.word);
        // Inflected names by their stem, in English or in the script's language (России).
        const std::size_t lang = stem_language_for(t.script, 0, false);
        if (f == nullptr && lang != 0) f = lex->by_stem(lang, stemming.stem(lang, t.word));
        if (f == nullptr || (f->flags & kCombining)) return std::nullopt;  // "Sino" alone is no word
        // Capitalised, it asks for the proper noun (all its names, no common word); in lower
        // case a name that is also a common word (china, us) keeps its plain meaning.
        bool only = false;
        if (f->flags & kCapitalsOnly) {
            if (!all_upper(t.surface)) return std::nullopt;
            only = true;
        } else if (starts_upper(t.surface)) {
            only = true;
        } else if (f->flags & kProperOnly) {
            return std::nullopt;
        }
        return QueryEntity{dict.intern(Ns::entity, lex->entity_key(f->entity)), only};
    }

    // An irregular form meets its lemma one way: strike finds struck, shot only shot (item
    // words carry their lemma; a query word that is a lemma, or an irregular form that is no
    // word of its own, children, asks for it).
    std::array<std::uint32_t, 2> lemma_terms(const std::string& word) const {
        std::array<std::uint32_t, 2> out{kNoTerm, kNoTerm};
        const Lexicon* lex = stemming.lexicon();
        if (lex == nullptr) return out;
        if (lex->is_lemma(word)) out[0] = dict.intern(Ns::lemma, word);
        if (const auto l = lex->query_lemma(word); !l.empty()) out[1] = dict.intern(Ns::lemma, l);
        return out;
    }

    static std::vector<const Token*> primary_tokens(const std::vector<Token>& tokens) {
        std::vector<const Token*> out;
        for (const auto& t : tokens)
            if (!t.part) out.push_back(&t);
        return out;
    }

    R atom(const QueryNode& q) {
        std::vector<Token> tokens;
        TokenCursor cur;
        tokenize(q.text, Field::title, cur, tokens);
        const auto prim = primary_tokens(tokens);
        const std::string shown = q.kind == QueryNode::Kind::phrase ? "\"" + q.text + "\"" : q.text;
        if (prim.empty()) return fail(q, shown + " has no letters or digits to match");
        CNode n;
        n.kind = CNode::Kind::span;
        n.fields = q.fields;
        n.label = (q.case_sensitive ? "case:" : "") + q.text + (q.prefix ? "*" : "");
        if (q.prefix) {
            if (prim.size() != 1) return fail(q, "a prefix must be a single word before \"*\"");
            if (codepoints(prim[0]->word) < 3)
                return fail(q, "a prefix needs at least 3 letters before \"*\"");
            n.members.push_back({dict.intern(Ns::prefix, prim[0]->word)});
            return n;
        }
        const bool quoted = q.kind == QueryNode::Kind::phrase;
        if (quoted) n.distance = q.distance;
        for (const Token* t : prim) {
            std::vector<std::uint32_t> ids;
            if (q.case_sensitive) {
                ids.push_back(dict.intern(Ns::surface, t->surface));
            } else if (quoted) {
                ids.push_back(dict.intern(Ns::exact, t->word));
            } else if (const QueryEntity e = prim.size() == 1 ? query_entity(*t).value_or(kNoEntityReading)
                                                              : kNoEntityReading;
                       e.only) {
                ids.push_back(e.term);
            } else if (t->script == Script::segmented) {
                ids.push_back(dict.intern(Ns::exact, t->word));
                if (e.term != kNoTerm) ids.push_back(e.term);  // 中国 finds China
            } else {
                auto memo = dict.word_memo.find(t->word);
                if (memo == dict.word_memo.end()) {
                    StemTable table;
                    table.fill(kNoTerm);
                    for (const auto& [lang, s] : stemming.query_stems(t->word, t->script))
                        table[lang] = dict.intern(Ns::stem, s);
                    dict.stem_tables.push_back(table);
                    dict.word_lemmas.push_back(lemma_terms(t->word));
                    memo = dict.word_memo
                               .emplace(t->word, static_cast<std::uint32_t>(dict.stem_tables.size() - 1))
                               .first;
                }
                for (const auto id : dict.stem_tables[memo->second])
                    if (id != kNoTerm && std::ranges::find(ids, id) == ids.end()) ids.push_back(id);
                // After the stems, so that an explanation finds the literal word first.
                for (const auto id : dict.word_lemmas[memo->second])
                    if (id != kNoTerm) ids.push_back(id);
                if (e.term != kNoTerm) ids.push_back(e.term);
                n.stem_table.resize(n.members.size(), kNoTerm);
                n.stem_table.push_back(memo->second);
            }
            n.members.push_back(std::move(ids));
        }
        if (!n.stem_table.empty()) n.stem_table.resize(n.members.size(), kNoTerm);
        return n;
    }

    // Bare words of an AND that spell a name of several words (North Korea, United Kingdom):
    // that name, found by any of the entity's names (DPRK), and not its words apart ("the
    // states united"). Advances `i` to the last word used.
    std::optional<CNode> name_of_words(const std::vector<QueryNode>& kids, std::size_t& i) {
        const Lexicon* lex = stemming.lexicon();
        const auto plain_word = [&](std::size_t k) {
            const auto& w = kids[k];
            return w.kind == QueryNode::Kind::word && !w.prefix && !w.case_sensitive && w.fields == kDefaultFields;
        };
        if (lex == nullptr || !lex->has_entities() || i + 1 >= kids.size() || !plain_word(i) || !plain_word(i + 1))
            return std::nullopt;
        for (const auto& name : lex->names_starting(fold_word(kids[i].text))) {
            const std::size_t last = i + name.rest.size();
            if (name.form.entity == kNoEntity || last >= kids.size()) continue;
            bool whole = true;
            for (std::size_t k = 0; k < name.rest.size() && whole; ++k)
                whole = plain_word(i + 1 + k) && fold_word(kids[i + 1 + k].text) == name.rest[k];
            if (!whole) continue;
            CNode entity;
            entity.kind = CNode::Kind::span;
            entity.members.push_back({dict.intern(Ns::entity, lex->entity_key(name.form.entity))});
            for (std::size_t k = i; k <= last; ++k) entity.label += (k == i ? "" : " ") + kids[k].text;
            i = last;
            return entity;
        }
        return std::nullopt;
    }

    static bool positional(const CNode& n) {
        if (n.kind == CNode::Kind::span || n.kind == CNode::Kind::near) return true;
        if (n.kind != CNode::Kind::any) return false;
        return std::ranges::all_of(n.kids, positional);
    }

    R node(const QueryNode& q) {
        switch (q.kind) {
            case QueryNode::Kind::word:
            case QueryNode::Kind::phrase:
                return atom(q);
            case QueryNode::Kind::site: {
                std::string host = fold_word(q.text);
                if (host.starts_with("www.")) host.erase(0, 4);
                while (!host.empty() && host.back() == '.') host.pop_back();
                if (host.empty()) return fail(q, "expected a host name after site:");
                CNode n;
                n.kind = CNode::Kind::site;
                n.label = "site:" + host;
                n.members.push_back({dict.intern(Ns::host, host)});
                return n;
            }
            default: break;
        }
        CNode n;
        n.kind = q.kind == QueryNode::Kind::conj       ? CNode::Kind::all
                 : q.kind == QueryNode::Kind::disj     ? CNode::Kind::any
                 : q.kind == QueryNode::Kind::negation ? CNode::Kind::negation
                                                       : CNode::Kind::near;
        n.ordered = q.ordered;
        n.distance = q.distance;
        for (std::size_t i = 0; i < q.children.size(); ++i) {
            const auto& c = q.children[i];
            if (n.kind == CNode::Kind::all)
                if (auto named = name_of_words(q.children, i)) {
                    n.kids.push_back(std::move(*named));
                    continue;
                }
            auto k = node(c);
            if (!k) return k;
            if (n.kind == CNode::Kind::near && !positional(*k))
                return fail(c, std::string(q.ordered ? "ONEAR" : "NEAR") +
                                   " joins words, phrases or OR groups of them, not AND, NOT or site:");
            n.kids.push_back(std::move(*k));
        }
        return n;
    }
};

bool has_positive(const CNode& n) {
    switch (n.kind) {
        case CNode::Kind::negation: return false;
        case CNode::Kind::all:
        case CNode::Kind::any: return std::ranges::any_of(n.kids, has_positive);
        default: return true;
    }
}

}  // namespace

std::expected<CNode, CompileError> compile(const QueryNode& q, TermDictionary& dict,
                                           const Stemming& stemming) {
    Compiler c{dict, stemming};
    auto n = c.node(q);
    if (!n) return n;
    if (!has_positive(*n))
        return std::unexpected(CompileError{
            q.column, "the query has no positive term (only exclusions): add a word to look for"});
    return n;
}

namespace {

std::vector<std::uint32_t> member_languages_of(const CNode& n, std::size_t m, const TermDictionary& dict) {
    std::vector<std::uint32_t> out;
    out.reserve(n.members[m].size());
    for (const auto id : n.members[m]) out.push_back(member_languages(n, m, id, dict));
    return out;
}

void required_into(const CNode& n, const TermDictionary& dict, std::vector<Anchor>& out) {
    switch (n.kind) {
        case CNode::Kind::negation: return;
        case CNode::Kind::all:
        case CNode::Kind::near:
            for (const auto& k : n.kids) required_into(k, dict, out);
            return;
        case CNode::Kind::span:
            for (std::size_t m = 0; m < n.members.size(); ++m)
                out.push_back({n.members[m], dict.set_rarity(n.members[m]), member_languages_of(n, m, dict)});
            return;
        default:
            if (auto a = anchors_of(n, dict)) out.push_back(std::move(*a));
    }
}

}  // namespace

std::vector<Anchor> required_of(const CNode& node, const TermDictionary& dict) {
    std::vector<Anchor> out;
    required_into(node, dict, out);
    std::ranges::stable_sort(out, [](const Anchor& a, const Anchor& b) {
        return a.score != b.score ? a.score > b.score : a.ids.size() < b.ids.size();
    });
    return out;
}

std::optional<Anchor> anchors_of(const CNode& n, const TermDictionary& dict) {
    const auto set_score = [&](const std::vector<std::uint32_t>& ids) { return dict.set_rarity(ids); };
    switch (n.kind) {
        case CNode::Kind::negation: return std::nullopt;
        case CNode::Kind::site:
            return Anchor{n.members[0], dict.frequencies ? dict.rarity(n.members[0][0]) : 20,
                          std::vector<std::uint32_t>(n.members[0].size(), kAnyLanguage)};
        case CNode::Kind::span: {
            // Every member must be present: the rarest one is enough to find candidates.
            std::optional<Anchor> best;
            for (std::size_t m = 0; m < n.members.size(); ++m) {
                const int s = set_score(n.members[m]);
                if (!best || s > best->score || (s == best->score && n.members[m].size() < best->ids.size()))
                    best = Anchor{n.members[m], s, member_languages_of(n, m, dict)};
            }
            return best;
        }
        case CNode::Kind::all:
        case CNode::Kind::near: {
            std::optional<Anchor> best;
            for (const auto& k : n.kids) {
                auto a = anchors_of(k, dict);
                if (a && (!best || a->score > best->score ||
                          (a->score == best->score && a->ids.size() < best->ids.size())))
                    best = std::move(a);
            }
            return best;
        }
        case CNode::Kind::any: {
            Anchor u{{}, 1 << 20};
            std::vector<std::pair<std::uint32_t, std::uint32_t>> both;  // (id, languages)
            for (const auto& k : n.kids) {
                auto a = anchors_of(k, dict);
                if (!a) return std::nullopt;  // this branch can match with none of our terms
                for (std::size_t i = 0; i < a->ids.size(); ++i) both.emplace_back(a->ids[i], a->languages[i]);
                u.score = std::min(u.score, a->score);
            }
            std::ranges::sort(both);
            // An id that two branches name counts through the languages of either.
            for (const auto& [id, languages] : both) {
                if (!u.ids.empty() && u.ids.back() == id) {
                    u.languages.back() |= languages;
                } else {
                    u.ids.push_back(id);
                    u.languages.push_back(languages);
                }
            }
            if (dict.frequencies != nullptr) u.score = dict.set_rarity(u.ids);
            return u;
        }
    }
    return std::nullopt;
}

}  // namespace ww::match
