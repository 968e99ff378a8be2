// Queries flattened into contiguous programs, and their evaluation (engine.h, "Program").
// The semantics are those of verify() over the tree, which stays as the reference; the
// property test checks that the two agree.
#include <algorithm>
#include <tuple>

#include "match/engine.h"

namespace ww::match {
namespace {

enum Op : std::uint32_t { kAll, kAny, kNot, kSpan, kNear, kSite };

Op op_of(CNode::Kind k) {
    switch (k) {
        case CNode::Kind::all: return kAll;
        case CNode::Kind::any: return kAny;
        case CNode::Kind::negation: return kNot;
        case CNode::Kind::span: return kSpan;
        case CNode::Kind::near: return kNear;
        case CNode::Kind::site: return kSite;
    }
    return kAll;
}

// Languages in which `id` is the stem of the word whose stem table is `table`.
std::uint32_t languages_of(const StemTable& table, std::uint32_t id) {
    std::uint32_t bits = 0;
    for (std::size_t lang = 0; lang < table.size(); ++lang)
        if (table[lang] == id) bits |= 1U << lang;
    return bits;
}

inline Op op(const std::uint32_t* p) { return static_cast<Op>(p[0] & 0xFF); }
inline std::uint8_t fields(const std::uint32_t* p) { return static_cast<std::uint8_t>(p[0] >> 8); }
inline bool ordered(const std::uint32_t* p) { return (p[0] >> 16) & 1U; }
inline const std::uint32_t* end_of(const std::uint32_t* p) { return p + p[1]; }

inline bool in_fields(std::uint8_t mask, std::uint8_t field) { return (mask >> field) & 1U; }

// A stemmed member accepts an occurrence only through the token's own language (StemTable).
inline bool accepts(const Occ& o, std::uint32_t id, std::uint32_t languages) {
    if (languages & kAnyLanguage) return true;
    return o.stem == id && ((languages >> o.lang) & 1U);
}

// Span members: [n, (id, languages) x n] back to back; `member` points at n.
inline const std::uint32_t* next_member(const std::uint32_t* member) { return member + 1 + 2 * member[0]; }

// Does the member at `member` (and the ones after it, `left` in all) continue the phrase
// after prev_end? Returns the end position, or kNoTerm.
std::uint32_t extend(const std::uint32_t* member, std::uint32_t left, const RunContext& c,
                     std::uint8_t field, std::uint32_t block, std::uint32_t prev_end, int slop) {
    if (left == 0) return prev_end;
    const std::uint32_t n = member[0];
    for (std::uint32_t i = 0; i < n; ++i) {
        const std::uint32_t id = member[1 + 2 * i], languages = member[2 + 2 * i];
        // Occurrences are in (field, position) order: only the few within the slop after
        // prev_end are read, found by binary search. Reading them all made a phrase cost the
        // product of its words' counts (22 s for "clean energy" in a 1.9 MB item).
        const auto all = c.occ.entries(id);
        const auto from = std::partition_point(all.begin(), all.end(), [&](const Occ& o) {
            return o.field < field || (o.field == field && o.pos <= prev_end);
        });
        for (auto it = from; it != all.end() && it->field == field; ++it) {
            const Occ& o = *it;
            const auto gap = static_cast<std::int64_t>(o.pos) - prev_end - 1;
            if (gap > slop) break;
            if (o.block != block || !accepts(o, id, languages)) continue;
            const auto e = extend(next_member(member), left - 1, c, field, block, o.end, slop - static_cast<int>(gap));
            if (e != kNoTerm) return e;
        }
    }
    return kNoTerm;
}

// Calls on_span(first occurrence, end position) for each place where the word or phrase at
// `p` matches, until it returns true; returns whether it did.
template <class OnSpan>
bool for_each_span(const std::uint32_t* p, const RunContext& c, OnSpan on_span) {
    const int slop = static_cast<int>(p[2]);
    const std::uint32_t members = p[3];
    const std::uint32_t* first = p + 5;
    for (std::uint32_t i = 0; i < first[0]; ++i) {
        const std::uint32_t id = first[1 + 2 * i], languages = first[2 + 2 * i];
        for (const Occ& o : c.occ.entries(id)) {
            if (!in_fields(fields(p), o.field) || !accepts(o, id, languages)) continue;
            const auto e = members == 1 ? o.end
                                        : extend(next_member(first), members - 1, c, o.field, o.block, o.end, slop);
            if (e != kNoTerm && on_span(o, e, id)) return true;
        }
    }
    return false;
}

// The NEAR matches of the left spans [base, mid) with the right ones [mid, top), appended
// after top. Both sides are sorted by place and each left span reads only the right spans
// that can lie within `distance` of it (binary search, then a window), so that the cost is
// that of the sort and the matches, not of every pair (two sides of 20,000 occurrences each
// in a long item were 400 million pairs).
void pair_spans(std::vector<ProgramSpan>& spans, std::size_t base, std::size_t mid, std::size_t top,
                std::int64_t distance, bool in_order, bool first_only) {
    const auto place = [](const ProgramSpan& a, const ProgramSpan& b) {
        return std::tie(a.field, a.start) < std::tie(b.field, b.start);
    };
    const auto at = [&](std::size_t i) { return spans.begin() + static_cast<std::ptrdiff_t>(i); };
    std::sort(at(base), at(mid), place);
    std::sort(at(mid), at(top), place);
    std::int64_t longest = 0;  // of the right spans: bounds how far before a left span one may start
    for (std::size_t ri = mid; ri < top; ++ri)
        longest = std::max<std::int64_t>(longest, std::int64_t(spans[ri].end) - spans[ri].start);
    for (std::size_t li = base; li < mid; ++li) {
        const ProgramSpan l = spans[li];
        const std::int64_t lowest = in_order ? std::int64_t(l.end) + 1 : std::int64_t(l.start) - 1 - distance - longest;
        const ProgramSpan key{static_cast<std::uint32_t>(std::max<std::int64_t>(lowest, 0)), 0, 0, l.field};
        // By index: the matches pushed below may move the vector.
        const auto first = static_cast<std::size_t>(std::lower_bound(at(mid), at(top), key, place) - spans.begin());
        for (std::size_t ri = first; ri < top; ++ri) {
            const ProgramSpan r = spans[ri];
            if (r.field != l.field || std::int64_t(r.start) > std::int64_t(l.end) + 1 + distance) break;
            if (l.block != r.block) continue;
            std::int64_t gap = -1;
            if (l.end < r.start) gap = std::int64_t(r.start) - l.end - 1;
            else if (!in_order && r.end < l.start) gap = std::int64_t(l.start) - r.end - 1;
            if (gap < 0 || gap > distance) continue;
            spans.push_back({std::min(l.start, r.start), std::max(l.end, r.end), l.block, l.field});
            if (first_only) return;
        }
    }
}

// Spans where a positional node matches, appended to c.spans; stops at the first when
// `first_only`.
void spans_of(const std::uint32_t* p, RunContext& c, bool first_only) {
    switch (op(p)) {
        case kSpan:
            for_each_span(p, c, [&](const Occ& o, std::uint32_t end, std::uint32_t) {
                c.spans.push_back({o.pos, end, o.block, o.field});
                return first_only;
            });
            return;
        case kAny:
            for (const std::uint32_t* k = p + 2; k < end_of(p); k = end_of(k)) {
                const auto before = c.spans.size();
                spans_of(k, c, first_only);
                if (first_only && c.spans.size() > before) return;
            }
            return;
        case kNear: {
            // Both sides' spans go on the stack above `base`; the matches are written after
            // them and then moved down to `base`, so that nested NEARs share one vector.
            const auto distance = static_cast<std::int64_t>(p[2]);
            const std::uint32_t* left_node = p + 3;
            const std::size_t base = c.spans.size();
            spans_of(left_node, c, false);
            const std::size_t mid = c.spans.size();
            if (mid == base) return;
            spans_of(end_of(left_node), c, false);
            const std::size_t top = c.spans.size();
            pair_spans(c.spans, base, mid, top, distance, ordered(p), first_only);
            const auto found = c.spans.size() - top;
            std::copy(c.spans.begin() + static_cast<std::ptrdiff_t>(top), c.spans.end(),
                      c.spans.begin() + static_cast<std::ptrdiff_t>(base));
            c.spans.resize(base + found);
            return;
        }
        default:
            return;
    }
}

}  // namespace

std::uint32_t member_languages(const CNode& n, std::size_t m, std::uint32_t id, const TermDictionary& dict) {
    const bool stemmed = m < n.stem_table.size() && n.stem_table[m] != kNoTerm && dict.ns(id) == Ns::stem;
    return stemmed ? languages_of(dict.stem_tables[n.stem_table[m]], id) : kAnyLanguage;
}

void emit_program(const CNode& n, const TermDictionary& dict, HugeVector<std::uint32_t>& code,
                  std::vector<std::string>& labels) {
    const std::size_t at = code.size();
    code.push_back(op_of(n.kind) | std::uint32_t{n.fields} << 8 | std::uint32_t{n.ordered} << 16);
    code.push_back(0);  // length, patched below
    switch (n.kind) {
        case CNode::Kind::all:
        case CNode::Kind::any:
        case CNode::Kind::negation:
            for (const auto& k : n.kids) emit_program(k, dict, code, labels);
            break;
        case CNode::Kind::near:
            code.push_back(static_cast<std::uint32_t>(n.distance));
            for (const auto& k : n.kids) emit_program(k, dict, code, labels);
            break;
        case CNode::Kind::site:
            code.push_back(n.members[0][0]);
            code.push_back(static_cast<std::uint32_t>(labels.size()));
            labels.push_back(n.label);
            break;
        case CNode::Kind::span:
            code.push_back(static_cast<std::uint32_t>(n.distance));
            code.push_back(static_cast<std::uint32_t>(n.members.size()));
            code.push_back(static_cast<std::uint32_t>(labels.size()));
            labels.push_back(n.label);
            for (std::size_t m = 0; m < n.members.size(); ++m) {
                code.push_back(static_cast<std::uint32_t>(n.members[m].size()));
                for (const auto id : n.members[m]) {
                    code.push_back(id);
                    code.push_back(member_languages(n, m, id, dict));
                }
            }
            break;
    }
    code[at + 1] = static_cast<std::uint32_t>(code.size() - at);
}

bool run_program(const std::uint32_t* p, RunContext& c) {
    switch (op(p)) {
        case kAll:
            for (const std::uint32_t* k = p + 2; k < end_of(p); k = end_of(k))
                if (!run_program(k, c)) return false;
            return true;
        case kAny:
            for (const std::uint32_t* k = p + 2; k < end_of(p); k = end_of(k))
                if (run_program(k, c)) return true;
            return false;
        case kNot:
            return !run_program(p + 2, c);
        case kSite:
            return c.occ.present(p[2]);
        case kSpan:
            // The common case, a word or phrase: no span list, stop at the first occurrence.
            return for_each_span(p, c, [](const Occ&, std::uint32_t, std::uint32_t) { return true; });
        case kNear: {
            const std::size_t base = c.spans.size();
            spans_of(p, c, true);
            const bool found = c.spans.size() > base;
            c.spans.resize(base);
            return found;
        }
    }
    return false;
}

std::optional<WordCheck> single_word_check(const std::uint32_t* p, std::uint32_t id) {
    // An AND or OR of one kid is that kid.
    while ((op(p) == kAll || op(p) == kAny) && p + 2 < end_of(p) && end_of(p + 2) == end_of(p)) p += 2;
    if (op(p) != kSpan || p[3] != 1) return std::nullopt;
    const std::uint32_t* member = p + 5;
    for (std::uint32_t i = 0; i < member[0]; ++i)
        if (member[1 + 2 * i] == id) return WordCheck{member[2 + 2 * i], fields(p)};
    return std::nullopt;
}

bool word_occurs(std::span<const Occ> occurrences, std::uint32_t id, WordCheck check) {
    for (const Occ& o : occurrences)
        if (in_fields(check.fields, o.field) && accepts(o, id, check.languages)) return true;
    return false;
}

namespace {

// What explain() finds over the tree, found over the program: the labels of the atoms that
// occur (excluded ones left out), their fields, and the earliest occurrence.
struct ProgramExplainer {
    RunContext& c;
    const std::vector<std::string>& labels;
    const Labeller& labeller;
    Explanation found;
    const Occ* first = nullptr;

    void add_term(std::uint32_t label) { add_label(labels[label]); }
    void add_label(const std::string& l) {
        if (std::ranges::find(found.terms, l) == found.terms.end()) found.terms.push_back(l);
    }
    void walk(const std::uint32_t* p) {
        switch (op(p)) {
            case kNot: return;
            case kSite:
                if (c.occ.present(p[2])) {
                    add_term(p[3]);
                    found.link = true;
                }
                return;
            case kSpan: {
                bool any = false, literal = false;
                const Occ* earliest = nullptr;  // of the occurrences found as something else
                std::string as;
                for_each_span(p, c, [&](const Occ& o, std::uint32_t, std::uint32_t id) {
                    any = true;
                    found.field_bits |= 1U << o.field;
                    if (first == nullptr || std::tie(o.field, o.pos) < std::tie(first->field, first->pos)) first = &o;
                    if (!literal && p[3] == 1) {
                        auto l = labeller(labels[p[4]], id, o.tok);
                        if (l.empty()) literal = true;
                        else if (earliest == nullptr || std::tie(o.field, o.pos) < std::tie(earliest->field, earliest->pos)) {
                            earliest = &o;
                            as = std::move(l);
                        }
                    }
                    return false;  // every occurrence, for the fields
                });
                if (any) add_label(literal || as.empty() ? labels[p[4]] : as);
                return;
            }
            case kNear:
                walk(p + 3);
                walk(end_of(p + 3));
                return;
            default:
                for (const std::uint32_t* k = p + 2; k < end_of(p); k = end_of(k)) walk(k);
        }
    }
};

}  // namespace

MatchExplanation explain_program(const std::uint32_t* node, RunContext& ctx, const AnalyzedItem& item,
                                 const std::vector<std::string>& labels, const Labeller& labeller) {
    ProgramExplainer e{ctx, labels, labeller, {}};
    e.walk(node);
    if (e.first != nullptr) e.found.first_token = e.first->tok;
    return finish_explanation(std::move(e.found), item);
}

namespace {

void collect_missing(const std::uint32_t* p, RunContext& c, const std::vector<std::string>& labels,
                     std::vector<std::string>& out) {
    const auto add = [&](std::uint32_t label) {
        if (std::ranges::find(out, labels[label]) == out.end()) out.push_back(labels[label]);
    };
    switch (op(p)) {
        case kNot: return;
        case kSite:
            if (!c.occ.present(p[2])) add(p[3]);
            return;
        case kSpan:
            if (!for_each_span(p, c, [](const Occ&, std::uint32_t, std::uint32_t) { return true; })) add(p[4]);
            return;
        case kNear:
            collect_missing(p + 3, c, labels, out);
            collect_missing(end_of(p + 3), c, labels, out);
            return;
        default:
            for (const std::uint32_t* k = p + 2; k < end_of(p); k = end_of(k)) collect_missing(k, c, labels, out);
    }
}

}  // namespace

std::vector<std::string> missing_terms(const std::uint32_t* node, RunContext& ctx, const std::vector<std::string>& labels) {
    std::vector<std::string> out;
    collect_missing(node, ctx, labels, out);
    return out;
}

}  // namespace ww::match
