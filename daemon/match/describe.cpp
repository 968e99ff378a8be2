// read_query: a query as the engine reads it, for `wirewatch query` (docs/query-language.md).
#include <algorithm>
#include <set>

#include "match/engine.h"
#include "match/lexicon.h"

namespace ww::match {
namespace {

constexpr std::size_t kShownForms = 24;  // an entity has ~100 names in 24 languages

struct Reader {
    const TermDictionary& dict;
    const Stemming& stemming;
    QueryReading& out;

    std::vector<std::string> stems_of(const CNode& n) const {
        std::set<std::string> stems;
        for (const auto id : n.members[0])
            if (dict.ns(id) == Ns::stem) stems.insert(dict.term(id));
        return {stems.begin(), stems.end()};
    }

    // An entity's names, first the ones in Latin letters, at most kShownForms of them.
    std::vector<std::string> entity_forms(std::uint32_t id) const {
        const Lexicon* lex = stemming.lexicon();
        const auto* e = lex->entity_by_key(dict.term(id));
        if (e == nullptr) return {};
        auto forms = lex->forms_of(*e);
        std::ranges::stable_partition(forms, [](const std::string& f) { return static_cast<unsigned char>(f[0]) < 0x80; });
        std::vector<std::string> shown{"= " + lex->entity_name(*e)};
        for (std::size_t i = 0; i < forms.size() && i < kShownForms; ++i) shown.push_back(forms[i]);
        if (forms.size() > kShownForms) shown.push_back("… " + std::to_string(forms.size() - kShownForms) + " more");
        return shown;
    }

    // Irregular forms and British spellings the lexicon joins to the word.
    std::vector<std::string> word_forms(const std::string& word) const {
        const Lexicon* lex = stemming.lexicon();
        std::vector<std::string> out;
        if (lex == nullptr) return out;
        for (auto& f : lex->irregular_forms(fold_word(word))) out.push_back(std::move(f));
        // The British and American stems joined into one (colour…, color…).
        const auto american = stemming.stem(stem_language_of("en"), fold_word(word));
        const auto british = lex->british_stems(american);
        if (!british.empty()) {
            std::string s = "spellings: " + american + "…";
            for (const auto& b : british) s += ", " + b + "…";
            out.push_back(std::move(s));
        }
        return out;
    }

    void span(const CNode& n) {
        TermReading t{n.label, "word", {}};
        if (n.label.starts_with("case:")) t.kind = "case";
        else if (n.distance != 0 || (n.stem_table.empty() && dict.ns(n.members[0][0]) == Ns::exact)) t.kind = "exact";
        else if (dict.ns(n.members[0][0]) == Ns::prefix) t.kind = "prefix";
        const auto entity = std::ranges::find_if(n.members[0], [&](std::uint32_t id) { return dict.ns(id) == Ns::entity; });
        if (n.members.size() == 1 && entity != n.members[0].end()) {
            t.kind = n.members[0].size() != 1                         ? "word and entity"
                     : n.label.find(' ') != std::string::npos ? "name"
                                                               : "entity only";
            t.forms = entity_forms(*entity);
        }
        if (t.kind == "word" || t.kind == "word and entity") {
            for (auto& s : stems_of(n)) t.forms.push_back("stem " + s);
            for (auto& f : word_forms(n.label)) t.forms.push_back(std::move(f));
        }
        if (t.kind == "entity only")
            out.warnings.push_back(n.label + ": only the proper noun (capitalised, or written in capitals); write it in "
                                             "lower case for the common word too, in quotes for this spelling only");
        out.terms.push_back(std::move(t));
    }

    void walk(const CNode& n, bool negated) {
        switch (n.kind) {
            case CNode::Kind::span:
                if (!negated) span(n);
                return;
            case CNode::Kind::site:
                if (!negated) out.terms.push_back({n.label, "site", {}});
                return;
            case CNode::Kind::negation: walk(n.kids[0], true); return;
            default:
                for (const auto& k : n.kids) walk(k, negated);
        }
    }
};

// A word both required and excluded at the top level ("x -x") never matches.
void never_matches(const QueryNode& q, std::vector<std::string>& warnings) {
    if (q.kind != QueryNode::Kind::conj) return;
    for (const auto& a : q.children)
        for (const auto& b : q.children)
            if (b.kind == QueryNode::Kind::negation && b.children.size() == 1 && a.kind != QueryNode::Kind::negation &&
                canonical(a) == canonical(b.children[0]))
                warnings.push_back(canonical(a) + " is both required and excluded: the query can never match");
}

void lower_case_operators(const QueryNode& q, std::vector<std::string>& warnings) {
    if (q.kind == QueryNode::Kind::word && !q.case_sensitive)
        for (const char* op : {"or", "and", "not", "near"})
            if (q.text == op) {
                std::string upper(op);
                std::ranges::transform(upper, upper.begin(), [](char c) { return static_cast<char>(c - 'a' + 'A'); });
                warnings.push_back("lower-case \"" + q.text + "\" is a word to look for; the operator is " + upper);
            }
    for (const auto& c : q.children) lower_case_operators(c, warnings);
}

}  // namespace

Result<QueryReading> read_query(std::string_view query, std::shared_ptr<const Lexicon> lexicon) {
    auto parsed = parse_query(query);
    if (!parsed)
        return fail("query", "match: column " + std::to_string(parsed.error().column) + ": " + parsed.error().message);
    TermDictionary dict;
    const Stemming stemming(nullptr, lexicon ? std::move(lexicon) : default_lexicon());
    auto compiled = compile(*parsed, dict, stemming);
    if (!compiled)
        return fail("query", "match: column " + std::to_string(compiled.error().column) + ": " + compiled.error().message);
    QueryReading out;
    out.canonical = canonical(*parsed);
    if (mixes_and_or(*parsed)) out.warnings.push_back("OR binds tighter than AND: read as " + out.canonical);
    lower_case_operators(*parsed, out.warnings);
    never_matches(*parsed, out.warnings);
    Reader{dict, stemming, out}.walk(*compiled, false);
    return out;
}

}  // namespace ww::match
