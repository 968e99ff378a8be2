#include <algorithm>
#include <tuple>

#include "match/engine.h"

namespace ww::match {
namespace {

void add_hosts(std::string_view link, std::vector<std::string>& out) {
    auto rest = link;
    if (const auto p = rest.find("://"); p != std::string_view::npos) rest.remove_prefix(p + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
    if (!rest.empty() && rest.front() != '[') rest = rest.substr(0, rest.find(':'));
    std::string host(rest);
    for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!host.empty() && host.back() == '.') host.pop_back();
    std::string_view h = host;
    while (!h.empty()) {
        out.emplace_back(h);
        const auto dot = h.find('.');
        if (dot == std::string_view::npos) break;
        h.remove_prefix(dot + 1);
    }
}

// The text of a field up to kMaxFieldBytes, cut before the word the limit falls in (a whole
// UTF-8 character at worst): a megabyte page pasted into a feed costs what its first part
// does, and what a watchlist looks for is near the top.
std::string_view capped(std::string_view text) {
    if (text.size() <= kMaxFieldBytes) return text;
    std::size_t cut = kMaxFieldBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    const auto space = text.find_last_of(" \n\t", cut);
    if (space != std::string_view::npos && cut - space < 64) cut = space;
    return text.substr(0, cut);
}

std::string joined(std::span<const std::string> parts) {
    std::string s;
    for (const auto& p : parts) {
        if (!s.empty()) s += '\n';  // each category/author is its own block
        s += p;
    }
    return s;
}

}  // namespace

// Whether token k is written as its entity form requires (FormFlags). Names and adjectives
// of countries start with a capital where the script has capitals (a line in capitals or
// title case counts): "a georgian window", "bone china" are not the countries. US the country
// is in capitals. A combining form counts in a hyphenated word that is no word of its own
// (Sino-Japanese, not Anglo-Saxon).
bool written_as_required(const AnalyzedItem& item, std::uint32_t k, std::uint8_t flags, const Lexicon& lexicon) {
    const Token& t = item.tokens[k];
    if (flags & kCombining) {
        if (!t.part) return false;
        // The joined word follows the first part (analyzer.cpp, emit_group).
        // Anglo-American stays two countries: the part after names one.
        if (k + 1 < item.tokens.size() && !item.tokens[k + 1].part && item.tokens[k + 1].byte_begin == t.byte_begin &&
            lexicon.is_compound(item.tokens[k + 1].word) &&
            !(k + 2 < item.tokens.size() && lexicon.by_word(item.tokens[k + 2].word) != nullptr))
            return false;
    }
    const std::string_view raw = item.texts[static_cast<int>(t.field)].substr(t.byte_begin, t.byte_end - t.byte_begin);
    return (flags & kCapitalsOnly) ? all_upper(raw) : !starts_lower(raw);
}

void analyze_item(const ItemView& item, bool surfaces, AnalyzedItem& out) {
    out.tokens.clear();
    out.hosts.clear();
    const std::array<std::string_view, 3> plain{capped(item.title), capped(item.summary), capped(item.content)};
    for (int f = 0; f < 3; ++f) {
        if (has_markup(plain[f])) {
            out.owned[f] = strip_markup(plain[f]);
            out.texts[f] = out.owned[f];
        } else {
            out.texts[f] = plain[f];
        }
    }
    out.owned[3] = joined(item.categories);
    out.owned[4] = joined(item.authors);
    out.texts[3] = out.owned[3];
    out.texts[4] = out.owned[4];
    for (int f = 0; f < kFieldCount; ++f) {
        TokenCursor cur;
        tokenize(out.texts[f], static_cast<Field>(f), cur, out.tokens, surfaces);
    }
    const bool given = !item.language.empty();
    const std::size_t lang = stem_language_of(item.language);
    for (auto& t : out.tokens) t.lang = static_cast<std::uint8_t>(stem_language_for(t.script, lang, given));
    add_hosts(item.link, out.hosts);
}

const Occurrences::WordTerms& Occurrences::terms_of(const Token& t, std::uint64_t hash,
                                                   const TermDictionary& dict, const Stemming& stemming) {
    key_.assign(1, static_cast<char>(t.lang));
    key_ += t.word;
    if (const auto* hit = word_cache_.find(key_, hash)) return *hit;
    WordTerms w;
    const std::string stem = stemming.stem(t.lang, t.word);
    if (const auto id = dict.find(Ns::stem, stem)) w.stem = *id;
    if (const auto id = dict.find(Ns::exact, t.word)) w.exact = *id;
    const Lexicon* lex = stemming.lexicon();
    if (lex != nullptr && dict.any(Ns::lemma) && t.lang == stem_language_of("en"))
        if (const auto l = lex->item_lemma(t.word, stem); !l.empty())
            if (const auto id = dict.find(Ns::lemma, l)) w.lemma = *id;
    if (lex != nullptr && dict.any(Ns::entity)) {
        const EntityForm* f = lex->by_word(t.word);
        if (f == nullptr) f = lex->by_stem(t.lang, stem);
        if (f != nullptr)
            if (const auto id = dict.find(Ns::entity, lex->entity_key(f->entity))) {
                w.entity = *id;
                w.entity_flags = f->flags;
            }
        w.starts_name = !lex->names_starting(t.word).empty();
    }
    return word_cache_.insert(key_, w);
}

void Occurrences::build(const AnalyzedItem& item, const TermDictionary& dict, const Stemming& stemming) {
    if (cache_generation_ != dict.generation() || word_cache_.size() >= kCacheWords) {
        word_cache_.clear();
        cache_generation_ = dict.generation();
    }
    pairs_.clear();
    covering_ = false;
    covered_end_ = 0;
    item_ = &item;
    languages_ = kAnyLanguage;
    if (bits_.size() * 64 < dict.size()) bits_.assign(dict.size() / 64 + 1, 0);
    for (const auto term : touched_) {  // the previous item's bits
        bits_[term >> 6] = 0;
        low_bits_[(term & 0xFFFF) >> 6] = 0;
    }
    touched_.clear();
    token_stem_.resize(item.tokens.size());
    token_exact_.resize(item.tokens.size());
    const bool surface = dict.any(Ns::surface);
    const bool prefix = dict.any(Ns::prefix);
    const std::size_t max_prefix = dict.max_prefix_bytes();
    // Hash every word and prefetch its cache slot first: the lookups below then overlap their
    // memory waits (the cache holds every word seen, far more than fits in L2).
    hashes_.resize(item.tokens.size());
    for (std::uint32_t k = 0; k < item.tokens.size(); ++k) {
        key_.assign(1, static_cast<char>(item.tokens[k].lang));
        key_ += item.tokens[k].word;
        hashes_[k] = hash_bytes(key_);
        word_cache_.prefetch(hashes_[k]);
    }
    for (std::uint32_t k = 0; k < item.tokens.size(); ++k) {
        const Token& t = item.tokens[k];
        const WordTerms& w = terms_of(t, hashes_[k], dict, stemming);
        token_stem_[k] = w.stem;
        token_exact_[k] = w.exact;
        if (w.stem != kNoTerm) {
            pairs_.emplace_back(w.stem, k);
            languages_ |= 1U << t.lang;
        }
        // A word's exact form is not grouped here: at 100,000 watchlists nearly every word is
        // some phrase's, which doubled the pairs, while few items run a phrase's program.
        // Postings and filters need only its bit; run_of groups it on first use.
        if (w.starts_name && !t.part) add_names(item, k, dict, stemming);
        if (w.entity != kNoTerm && !(covering_ && k <= covered_end_) &&
            written_as_required(item, k, w.entity_flags, *stemming.lexicon()))
            pairs_.emplace_back(w.entity, k);
        if (w.lemma != kNoTerm) pairs_.emplace_back(w.lemma, k);
        if (w.exact != kNoTerm && !present(w.exact)) {
            mark(w.exact);
            touched_.push_back(w.exact);
        }
        if (surface)
            if (const auto id = dict.find(Ns::surface, t.surface)) pairs_.emplace_back(*id, k);
        if (prefix) {
            const std::string_view w = t.word;
            std::size_t chars = 0;
            for (std::size_t b = 1; b <= w.size() && b <= max_prefix; ++b) {
                if (b < w.size() && (static_cast<unsigned char>(w[b]) & 0xC0) == 0x80) continue;
                if (++chars < 3) continue;
                if (const auto id = dict.find(Ns::prefix, w.substr(0, b))) pairs_.emplace_back(*id, k);
            }
        }
    }
    for (const auto& h : item.hosts)
        if (const auto id = dict.find(Ns::host, h)) pairs_.emplace_back(*id, kHostToken);

    // Counting sort by term id through the item's slot table: one probe per pair, whose slot
    // is kept for the fill pass (three probes per pair were a quarter of the time added at
    // 100,000 watchlists, where most words of an item name some query's term).
    std::size_t capacity = 64;
    while (capacity < (pairs_.size() + touched_.size()) * 2) capacity *= 2;
    if (slots_.size() != capacity) {
        slots_.assign(capacity, Slot{});
    } else {
        for (const auto at : touched_slot_) slots_[at] = Slot{};  // the previous item's slots only
    }
    slot_mask_ = static_cast<std::uint32_t>(capacity - 1);
    touched_slot_.clear();
    pair_slot_.resize(pairs_.size());
    for (std::size_t i = 0; i < pairs_.size(); ++i) {
        const std::uint32_t term = pairs_[i].first;
        std::uint32_t at = home(term);
        while (slots_[at].term != term && slots_[at].term != kNoTerm) at = (at + 1) & slot_mask_;
        Slot& s = slots_[at];
        if (s.term != term) {
            s.term = term;
            touched_.push_back(term);
            touched_slot_.push_back(at);
        }
        ++s.count;
        pair_slot_[i] = at;
    }
    std::uint32_t acc = 0;
    for (const auto term : touched_) mark(term);
    for (const auto at : touched_slot_) {
        Slot& s = slots_[at];
        s.begin = s.fill = acc;
        acc += s.count;
    }
    occ_.resize(pairs_.size());
    entries_.resize(pairs_.size());
    // Room for the exact forms grouped later (one per token at most): spans handed out stay
    // valid while run_of appends.
    occ_.reserve(pairs_.size() + item.tokens.size());
    entries_.reserve(pairs_.size() + item.tokens.size());
    for (std::size_t i = 0; i < pairs_.size(); ++i) {
        const std::uint32_t tok = pairs_[i].second;
        const std::uint32_t at = slots_[pair_slot_[i]].fill++;
        occ_[at] = tok;
        if (tok == kHostToken) {
            entries_[at] = Occ{tok, 0, 0, kNoTerm, 0, kHostField, 0};
            continue;
        }
        entries_[at] = occ_of(tok);
    }
}

namespace {

// "pigs" continues "guinea pig": a plural -s/-es, without a Snowball call per candidate name
// (the first words of names, "new", "south", are common).
bool same_or_plural(std::string_view word, std::string_view name_word) {
    if (!word.starts_with(name_word)) return false;
    const auto tail = word.substr(name_word.size());
    return tail.empty() || tail == "s" || tail == "es";
}

}  // namespace

std::optional<std::uint32_t> name_end(const AnalyzedItem& item, std::uint32_t k, std::span<const std::string> rest,
                                      const Stemming& stemming) {
    const Token& first = item.tokens[k];
    std::uint32_t j = k;
    for (const auto& word : rest) {
        do ++j;
        while (j < item.tokens.size() && item.tokens[j].part);
        if (j >= item.tokens.size()) return std::nullopt;
        const Token& t = item.tokens[j];
        if (t.field != first.field || t.block != first.block) return std::nullopt;
        if (!same_or_plural(t.word, word)) return std::nullopt;
    }
    (void)stemming;
    return j;
}

// A name of several words starting at token k ("United Kingdom", "World Health Organization"):
// its occurrence is the first word's, and the words it covers do not count for another
// entity (South Sudan is not Sudan; French fries are not France).
void Occurrences::add_names(const AnalyzedItem& item, std::uint32_t k, const TermDictionary& dict,
                            const Stemming& stemming) {
    const Lexicon& lexicon = *stemming.lexicon();
    for (const auto& name : lexicon.names_starting(item.tokens[k].word)) {
        const auto end = name_end(item, k, name.rest, stemming);
        if (!end) continue;
        covering_ = true;
        covered_end_ = std::max(covered_end_, *end);
        if (name.form.entity == kNoEntity) continue;
        if (const auto id = dict.find(Ns::entity, lexicon.entity_key(name.form.entity))) pairs_.emplace_back(*id, k);
    }
}

Occ Occurrences::occ_of(std::uint32_t tok) const {
    const Token& t = item_->tokens[tok];
    return Occ{tok, t.pos, t.end, token_stem_[tok], t.block, static_cast<std::uint8_t>(t.field), t.lang};
}

// Fibonacci hashing: consecutive term ids spread over the table.
std::uint32_t Occurrences::home(std::uint32_t term) const {
    return static_cast<std::uint32_t>((term * 0x9E3779B97F4A7C15ull) >> 32) & slot_mask_;
}

const Occurrences::Slot* Occurrences::run_of(std::uint32_t term) const {
    if (!present(term)) return nullptr;
    std::uint32_t i = home(term);
    while (slots_[i].term != term && slots_[i].term != kNoTerm) i = (i + 1) & slot_mask_;
    if (slots_[i].term == term) return &slots_[i];
    // Present but not grouped: a word's exact form, asked for the first time for this item.
    Slot& s = slots_[i];
    s.term = term;
    s.begin = static_cast<std::uint32_t>(entries_.size());
    for (std::uint32_t k = 0; k < token_exact_.size(); ++k) {
        if (token_exact_[k] != term) continue;
        occ_.push_back(k);
        entries_.push_back(occ_of(k));
    }
    s.count = static_cast<std::uint32_t>(entries_.size()) - s.begin;
    touched_slot_.push_back(i);  // reset with the others for the next item
    return &s;
}

std::span<const std::uint32_t> Occurrences::of(std::uint32_t term) const {
    const Slot* s = run_of(term);
    if (s == nullptr) return {};
    return {occ_.data() + s->begin, s->count};
}

std::span<const Occ> Occurrences::entries(std::uint32_t term) const {
    const Slot* s = run_of(term);
    if (s == nullptr) return {};
    return {entries_.data() + s->begin, s->count};
}

namespace {

struct Span {
    Field field;
    std::uint32_t block;
    std::uint32_t start;
    std::uint32_t end;
    std::uint32_t first_token;
};

bool in_fields(std::uint8_t mask, Field f) { return (mask >> static_cast<int>(f)) & 1U; }

// A stemmed member accepts a token only through the token's own language (see StemTable).
bool accepts(const CNode& n, std::size_t k, std::uint32_t tok, std::uint32_t id, const VerifyContext& c) {
    if (c.dict.ns(id) != Ns::stem) return true;  // an entity or lemma term counts in any language
    if (n.stem_table.empty() || n.stem_table[k] == kNoTerm) return true;
    if (c.occ.stem_of(tok) != id) return false;  // found through the exact word, not the stem
    return c.dict.stem_tables[n.stem_table[k]][c.item.tokens[tok].lang] == id;
}

// Does member k of a phrase continue after position prev_end? Returns the end position.
std::optional<std::uint32_t> extend(const CNode& n, const VerifyContext& c, std::size_t k,
                                    Field field, std::uint32_t block, std::uint32_t prev_end,
                                    int slop) {
    if (k == n.members.size()) return prev_end;
    for (const auto id : n.members[k]) {
        for (const auto tok : c.occ.of(id)) {
            if (tok == Occurrences::kHostToken) continue;
            const Token& t = c.item.tokens[tok];
            if (t.field != field || t.block != block || t.pos <= prev_end) continue;
            const auto gap = static_cast<int>(t.pos - prev_end - 1);
            if (gap > slop || !accepts(n, k, tok, id, c)) continue;
            if (auto e = extend(n, c, k + 1, field, block, t.end, slop - gap)) return e;
        }
    }
    return std::nullopt;
}

// Spans where a positional node (word, phrase, OR of them, NEAR) matches; stops at the first
// when `first_only`.
void spans_of(const CNode& n, const VerifyContext& c, std::vector<Span>& out, bool first_only) {
    switch (n.kind) {
        case CNode::Kind::span:
            for (const auto id : n.members[0]) {
                for (const auto tok : c.occ.of(id)) {
                    if (tok == Occurrences::kHostToken) continue;
                    const Token& t = c.item.tokens[tok];
                    if (!in_fields(n.fields, t.field) || !accepts(n, 0, tok, id, c)) continue;
                    if (const auto e = extend(n, c, 1, t.field, t.block, t.end, n.distance)) {
                        out.push_back({t.field, t.block, t.pos, *e, tok});
                        if (first_only) return;
                    }
                }
            }
            return;
        case CNode::Kind::any:
            for (const auto& k : n.kids) {
                const auto before = out.size();
                spans_of(k, c, out, first_only);
                if (first_only && out.size() > before) return;
            }
            return;
        case CNode::Kind::near: {
            std::vector<Span> left, right;
            spans_of(n.kids[0], c, left, false);
            if (left.empty()) return;
            spans_of(n.kids[1], c, right, false);
            for (const auto& l : left) {
                for (const auto& r : right) {
                    if (l.field != r.field || l.block != r.block) continue;
                    std::int64_t gap = -1;
                    if (l.end < r.start) gap = std::int64_t(r.start) - l.end - 1;
                    else if (!n.ordered && r.end < l.start) gap = std::int64_t(l.start) - r.end - 1;
                    if (gap < 0 || gap > n.distance) continue;
                    out.push_back({l.field, l.block, std::min(l.start, r.start), std::max(l.end, r.end),
                                   l.start <= r.start ? l.first_token : r.first_token});
                    if (first_only) return;
                }
            }
            return;
        }
        default:
            return;
    }
}

std::string snippet_of(const AnalyzedItem& item, const Token& t) {
    const std::string_view text = item.texts[static_cast<int>(t.field)];
    constexpr std::size_t kContext = 80;
    std::size_t from = t.byte_begin > kContext ? t.byte_begin - kContext : 0;
    std::size_t to = std::min(text.size(), std::size_t{t.byte_end} + kContext);
    // Whole words at both ends where there is a space near the cut, whole characters always.
    if (from > 0) {
        const auto sp = text.find(' ', from);
        if (sp != std::string_view::npos && sp < t.byte_begin) from = sp + 1;
    }
    if (to < text.size()) {
        const auto sp = text.rfind(' ', to);
        if (sp != std::string_view::npos && sp >= t.byte_end) to = sp;
    }
    while (from > 0 && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) --from;
    while (to < text.size() && (static_cast<unsigned char>(text[to]) & 0xC0) == 0x80) ++to;
    std::string s;
    s.reserve(to - from + 10);
    if (from > 0) s += "… ";
    const std::size_t body = s.size();
    s.append(text.substr(from, to - from));  // one copy, then blanks in place: a snippet per hit
    for (std::size_t i = body; i < s.size(); ++i)
        if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') s[i] = ' ';
    if (to < text.size()) s += " …";
    return s;
}

// Runs once per hit: no span lists, fields as bits, strings only for the answer.
struct Explainer {
    const VerifyContext& c;
    MatchExplanation out;
    unsigned field_bits = 0;
    bool link = false;
    std::uint32_t first = Occurrences::kHostToken;  // token of the earliest match

    void add_term(const std::string& label) {
        if (std::ranges::find(out.terms, label) == out.terms.end()) out.terms.push_back(label);
    }
    void walk(const CNode& n) {
        switch (n.kind) {
            case CNode::Kind::negation: return;
            case CNode::Kind::site:
                if (c.occ.present(n.members[0][0])) {
                    add_term(n.label);
                    link = true;
                }
                return;
            case CNode::Kind::span: {
                bool found = false, literal = false;
                const Labeller labeller{c.item, c.dict, c.stemming};
                const Token* earliest = nullptr;  // of the occurrences found as something else
                std::string as;
                for (const auto id : n.members[0]) {
                    for (const auto tok : c.occ.of(id)) {
                        if (tok == Occurrences::kHostToken) continue;
                        const Token& t = c.item.tokens[tok];
                        if (!in_fields(n.fields, t.field) || !accepts(n, 0, tok, id, c)) continue;
                        if (n.members.size() > 1 && !extend(n, c, 1, t.field, t.block, t.end, n.distance)) continue;
                        found = true;
                        field_bits |= 1U << static_cast<int>(t.field);
                        if (first == Occurrences::kHostToken ||
                            std::tie(t.field, t.pos) < std::tie(c.item.tokens[first].field, c.item.tokens[first].pos))
                            first = tok;
                        if (literal || n.members.size() != 1) continue;
                        auto l = labeller(n.label, id, tok);
                        if (l.empty()) {
                            literal = true;
                        } else if (earliest == nullptr || std::tie(t.field, t.pos) < std::tie(earliest->field, earliest->pos)) {
                            earliest = &t;
                            as = std::move(l);
                        }
                    }
                }
                if (found) add_term(literal || as.empty() ? n.label : as);
                return;
            }
            default:
                for (const auto& k : n.kids) walk(k);
        }
    }
};

}  // namespace

namespace {

// The item's text of the name found at token `tok` for entity `key`: the token, or the
// words of a name of several words that starts there.
std::string_view entity_surface(const AnalyzedItem& item, std::uint32_t tok, const Stemming& stemming,
                                std::string_view key) {
    const Lexicon& lex = *stemming.lexicon();
    const Token& t = item.tokens[tok];
    const std::string_view text = item.texts[static_cast<int>(t.field)];
    for (const auto& name : lex.names_starting(t.word)) {
        if (name.form.entity == kNoEntity || lex.entity_key(name.form.entity) != key) continue;
        if (const auto end = name_end(item, tok, name.rest, stemming))
            return text.substr(t.byte_begin, item.tokens[*end].byte_end - t.byte_begin);
    }
    return text.substr(t.byte_begin, t.byte_end - t.byte_begin);
}

}  // namespace

std::string Labeller::operator()(const std::string& label, std::uint32_t id, std::uint32_t tok) const {
    if (stemming == nullptr || stemming->lexicon() == nullptr) return {};
    const Lexicon& lex = *stemming->lexicon();
    const Token& t = item.tokens[tok];
    const std::string folded_label = fold_word(label);
    if (dict.ns(id) == Ns::entity) {
        const auto* e = lex.entity_by_key(dict.term(id));
        if (e == nullptr) return {};
        const std::string_view surface = entity_surface(item, tok, *stemming, dict.term(id));
        const std::string folded = fold_word(surface);
        if (folded == folded_label) return {};
        const std::string& name = lex.entity_name(*e);
        if (folded == fold_word(name)) return name;
        return name + " (as \"" + std::string(surface) + "\")";
    }
    if (t.word == folded_label) return {};
    const std::string_view text = item.texts[static_cast<int>(t.field)];
    if (dict.ns(id) == Ns::lemma) return label + " (as \"" + std::string(text.substr(t.byte_begin, t.byte_end - t.byte_begin)) + "\")";
    // Found through its stem: worth saying only where the lexicon joined two spellings.
    if (dict.ns(id) != Ns::stem) return {};
    if (!stemming->normalised(t.lang, t.word) && !stemming->normalised(t.lang, folded_label)) return {};
    return label + " (as \"" + std::string(text.substr(t.byte_begin, t.byte_end - t.byte_begin)) + "\")";
}

bool verify(const CNode& n, const VerifyContext& c) {
    switch (n.kind) {
        case CNode::Kind::all:
            return std::ranges::all_of(n.kids, [&](const CNode& k) { return verify(k, c); });
        case CNode::Kind::any:
            return std::ranges::any_of(n.kids, [&](const CNode& k) { return verify(k, c); });
        case CNode::Kind::negation:
            return !verify(n.kids[0], c);
        case CNode::Kind::site:
            return !c.occ.of(n.members[0][0]).empty();
        case CNode::Kind::span:
            // The common case, a word or phrase: no span list, stop at the first occurrence.
            for (const auto id : n.members[0]) {
                for (const auto tok : c.occ.of(id)) {
                    if (tok == Occurrences::kHostToken) continue;
                    const Token& t = c.item.tokens[tok];
                    if (!in_fields(n.fields, t.field) || !accepts(n, 0, tok, id, c)) continue;
                    if (n.members.size() == 1 || extend(n, c, 1, t.field, t.block, t.end, n.distance)) return true;
                }
            }
            return false;
        case CNode::Kind::near: {
            std::vector<Span> spans;
            spans_of(n, c, spans, true);
            return !spans.empty();
        }
    }
    return false;
}

MatchExplanation finish_explanation(Explanation found, const AnalyzedItem& item) {
    MatchExplanation out;
    out.terms = std::move(found.terms);
    for (int f = 0; f < kFieldCount; ++f)
        if (found.field_bits & (1U << f)) out.fields.emplace_back(field_name(static_cast<Field>(f)));
    if (found.link) out.fields.emplace_back("link");
    if (found.first_token != Occurrences::kHostToken) out.snippet = snippet_of(item, item.tokens[found.first_token]);
    return out;
}

MatchExplanation explain(const CNode& node, const VerifyContext& ctx) {
    Explainer e{ctx, {}};
    e.walk(node);
    return finish_explanation({std::move(e.out.terms), e.field_bits, e.link, e.first}, ctx.item);
}

}  // namespace ww::match
