#include "match/analyzer.h"

#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <utf8proc.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace ww::match {
namespace {

using Cp = std::int32_t;

struct Decoded {
    Cp cp;
    std::size_t len;
};

Decoded decode(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return {c, 1};
    Cp cp = -1;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                    static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) return {-1, 1};
    return {cp, static_cast<std::size_t>(n)};
}

void append_utf8(std::string& out, Cp cp) {
    utf8proc_uint8_t buf[4];
    const auto n = utf8proc_encode_char(cp, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

bool ascii_alnum(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_word_cp(Cp cp) {
    if (cp < 0x80) return cp >= 0 && ascii_alnum(static_cast<unsigned char>(cp));
    switch (utf8proc_category(cp)) {
        case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
        case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
            return true;
        default:
            return false;
    }
}

Script script_of(Cp cp) {
    if (cp < 0x250 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2C60 && cp <= 0x2C7F) ||
        (cp >= 0xA720 && cp <= 0xA7FF) || (cp >= 0xFF21 && cp <= 0xFF5A))
        return Script::latin;
    if ((cp >= 0x370 && cp <= 0x3FF) || (cp >= 0x1F00 && cp <= 0x1FFF)) return Script::greek;
    if (cp >= 0x400 && cp <= 0x52F) return Script::cyrillic;
    if (cp >= 0x600 && cp <= 0x6FF) return Script::arabic;
    if ((cp >= 0x0E00 && cp <= 0x0EFF) || (cp >= 0x1000 && cp <= 0x109F) ||
        (cp >= 0x1780 && cp <= 0x17FF) || (cp >= 0x3040 && cp <= 0x30FF) ||
        (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF))
        return Script::segmented;
    return Script::other;
}

bool is_hyphen(Cp cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011; }
bool is_apostrophe(Cp cp) { return cp == '\'' || cp == 0x2019 || cp == 0x02BC; }
bool is_connector(Cp cp) { return is_hyphen(cp) || is_apostrophe(cp) || cp == '.' || cp == '&'; }

std::string utf8proc_transform(std::string_view s, int options) {
    utf8proc_uint8_t* out = nullptr;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                static_cast<utf8proc_ssize_t>(s.size()), &out,
                                static_cast<utf8proc_option_t>(options));
    std::string r;
    if (n >= 0) r.assign(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    std::free(out);
    return r;
}

bool all_ascii(std::string_view s) {
    for (const char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

std::string nfkc(std::string_view raw) {
    if (all_ascii(raw)) return std::string(raw);
    return utf8proc_transform(raw, UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_STABLE);
}

// Only Latin and Greek lose their marks: Cyrillic й and Arabic/Hebrew vowel signs carry
// meaning, so they are kept.
void strip_marks_latin_greek(std::string& word) {
    std::string out;
    out.reserve(word.size());
    bool changed = false;
    for (std::size_t i = 0; i < word.size();) {
        const auto d = decode(word, i);
        const Script sc = d.cp >= 0x80 ? script_of(d.cp) : Script::other;
        if (d.cp == 0x451) {  // ё -> е
            append_utf8(out, 0x435);
            changed = true;
        } else if (sc == Script::latin || sc == Script::greek) {
            utf8proc_int32_t buf[8];
            int last = 0;
            const auto n = utf8proc_decompose_char(d.cp, buf, 8, UTF8PROC_DECOMPOSE, &last);
            if (n <= 0) {
                out.append(word, i, d.len);
            } else {
                for (utf8proc_ssize_t k = 0; k < n; ++k) {
                    const auto cat = utf8proc_category(buf[k]);
                    if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_ME ||
                        cat == UTF8PROC_CATEGORY_MC) {
                        changed = true;
                        continue;
                    }
                    append_utf8(out, buf[k]);
                }
            }
        } else if (d.cp >= 0x300 && d.cp <= 0x36F && !out.empty()) {
            // A combining mark left after composition on a Latin base: drop it too.
            const auto prev = out.back();
            if (static_cast<unsigned char>(prev) < 0x80) {
                changed = true;
            } else {
                out.append(word, i, d.len);
            }
        } else {
            out.append(word, i, d.len);
        }
        i += d.len;
    }
    if (changed || out.size() != word.size()) word = std::move(out);
}

// Closes an ICU break iterator: the one C handle of this file.
struct BreakIteratorCloser {
    void operator()(UBreakIterator* b) const { ubrk_close(b); }
};
struct UTextCloser {
    void operator()(UText* t) const { utext_close(t); }
};
using BreakIterator = std::unique_ptr<UBreakIterator, BreakIteratorCloser>;

UBreakIterator* word_breaker() {
    // ubrk_open loads dictionaries: once per thread, reused for every run of Chinese text.
    thread_local BreakIterator it = [] {
        UErrorCode status = U_ZERO_ERROR;
        BreakIterator b(ubrk_open(UBRK_WORD, "zh", nullptr, 0, &status));
        if (U_FAILURE(status)) b.reset();
        return b;
    }();
    return it.get();
}

thread_local bool t_surfaces = true;  // set by tokenize() for the call in progress

void push_token(std::vector<Token>& out, std::string_view raw, std::size_t begin, Field field,
                TokenCursor& cur, Script script, bool part, std::uint32_t end_pos) {
    Token t;
    t.word = fold_word(raw);
    if (t.word.empty()) return;
    if (t_surfaces) t.surface = nfkc(raw);
    t.pos = cur.next_pos;
    t.end = end_pos;
    t.block = cur.block;
    t.byte_begin = static_cast<std::uint32_t>(begin);
    t.byte_end = static_cast<std::uint32_t>(begin + raw.size());
    t.field = field;
    t.script = script;
    t.part = part;
    out.push_back(std::move(t));
}

void emit_segmented(std::string_view text, std::size_t begin, std::size_t end, Field field,
                    TokenCursor& cur, std::vector<Token>& out) {
    const std::string_view run = text.substr(begin, end - begin);
    UBreakIterator* bi = word_breaker();
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UText, UTextCloser> ut(
        utext_openUTF8(nullptr, run.data(), static_cast<int64_t>(run.size()), &status));
    if (bi != nullptr && U_SUCCESS(status)) ubrk_setUText(bi, ut.get(), &status);
    if (bi == nullptr || U_FAILURE(status)) {
        // No segmenter: every character is a word, which still finds multi-character words
        // because the query side is compiled the same way (as a phrase).
        for (std::size_t i = 0; i < run.size();) {
            const auto d = decode(run, i);
            push_token(out, run.substr(i, d.len), begin + i, field, cur, Script::segmented, false,
                       cur.next_pos);
            ++cur.next_pos;
            i += d.len;
        }
        return;
    }
    std::int32_t from = ubrk_first(bi);
    for (std::int32_t to = ubrk_next(bi); to != UBRK_DONE; from = to, to = ubrk_next(bi)) {
        const auto piece = run.substr(static_cast<std::size_t>(from),
                                      static_cast<std::size_t>(to - from));
        push_token(out, piece, begin + static_cast<std::size_t>(from), field, cur,
                   Script::segmented, false, cur.next_pos);
        ++cur.next_pos;
    }
    // The iterator keeps a shallow clone of the UText: point it at static empty text so that it
    // never refers to the caller's buffer after we return.
    static const UChar kEmpty[1] = {0};
    status = U_ZERO_ERROR;
    ubrk_setText(bi, kEmpty, 0, &status);
}

struct Part {
    std::size_t begin;
    std::size_t end;
};

// A group of parts joined by hyphens, apostrophes or '&' (dots were split before).
void emit_group(std::string_view text, std::vector<Part> parts, const std::vector<Cp>& joins,
                Field field, TokenCursor& cur, std::vector<Token>& out, Script script) {
    // '&' glues its neighbours into one word ("AT&T").
    std::vector<Part> merged;
    std::vector<Cp> mjoins;
    merged.push_back(parts[0]);
    for (std::size_t k = 1; k < parts.size(); ++k) {
        if (joins[k - 1] == '&') {
            merged.back().end = parts[k].end;
        } else {
            mjoins.push_back(joins[k - 1]);
            merged.push_back(parts[k]);
        }
    }
    // Possessive: "Xi’s" is "Xi".
    if (merged.size() >= 2 && is_apostrophe(mjoins.back())) {
        const auto last = text.substr(merged.back().begin, merged.back().end - merged.back().begin);
        if (last == "s" || last == "S") {
            merged.pop_back();
            mjoins.pop_back();
        }
    }
    const auto raw = [&](const Part& p) { return text.substr(p.begin, p.end - p.begin); };
    if (merged.size() == 1) {
        push_token(out, raw(merged[0]), merged[0].begin, field, cur, script, false, cur.next_pos);
        ++cur.next_pos;
        return;
    }
    const std::uint32_t first = cur.next_pos;
    const std::uint32_t last = first + static_cast<std::uint32_t>(merged.size()) - 1;
    std::string joined;
    for (const auto& p : merged) joined += raw(p);
    for (std::size_t k = 0; k < merged.size(); ++k) {
        push_token(out, raw(merged[k]), merged[k].begin, field, cur, script, true, cur.next_pos);
        if (k == 0) {
            // The joined word right after the first part keeps tokens in position order.
            const std::size_t b = merged.front().begin;
            Token t;
            t.word = fold_word(joined);
            if (t_surfaces) t.surface = nfkc(joined);
            t.pos = first;
            t.end = last;
            t.block = cur.block;
            t.byte_begin = static_cast<std::uint32_t>(b);
            t.byte_end = static_cast<std::uint32_t>(merged.back().end);
            t.field = field;
            t.script = script;
            if (!t.word.empty()) out.push_back(std::move(t));
        }
        ++cur.next_pos;
    }
}

void emit_compound(std::string_view text, const std::vector<Part>& parts,
                   const std::vector<Cp>& joins, Field field, TokenCursor& cur,
                   std::vector<Token>& out) {
    const Script script = script_of(decode(text, parts[0].begin).cp);
    if (parts.size() == 1) {  // a plain word: most of them, and no vectors needed
        push_token(out, text.substr(parts[0].begin, parts[0].end - parts[0].begin), parts[0].begin, field,
                   cur, script, false, cur.next_pos);
        ++cur.next_pos;
        return;
    }
    // Dotted acronym: single letters joined by dots ("U.S.") fold to one word.
    bool acronym = parts.size() >= 2;
    for (std::size_t k = 0; acronym && k < parts.size(); ++k) {
        const auto d = decode(text, parts[k].begin);
        acronym = (k == 0 || joins[k - 1] == '.') && parts[k].begin + d.len == parts[k].end &&
                  d.cp > '9';
    }
    if (acronym) {
        std::string letters;
        for (const auto& p : parts) letters += text.substr(p.begin, p.end - p.begin);
        Token t;
        t.word = fold_word(letters);
        if (t_surfaces) t.surface = nfkc(letters);
        t.pos = t.end = cur.next_pos++;
        t.block = cur.block;
        t.byte_begin = static_cast<std::uint32_t>(parts.front().begin);
        t.byte_end = static_cast<std::uint32_t>(parts.back().end);
        t.field = field;
        t.script = script;
        out.push_back(std::move(t));
        return;
    }
    // Other dots separate words ("end.Next", "3.5").
    std::vector<Part> group{parts[0]};
    std::vector<Cp> gjoins;
    for (std::size_t k = 1; k <= parts.size(); ++k) {
        if (k == parts.size() || joins[k - 1] == '.') {
            emit_group(text, group, gjoins, field, cur, out, script);
            if (k == parts.size()) break;
            group.assign(1, parts[k]);
            gjoins.clear();
        } else {
            gjoins.push_back(joins[k - 1]);
            group.push_back(parts[k]);
        }
    }
}

}  // namespace

const char* field_name(Field f) {
    static constexpr std::array<const char*, kFieldCount> names{"title", "summary", "content",
                                                               "category", "author"};
    return names[static_cast<std::size_t>(f)];
}

std::size_t codepoints(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

std::string fold_word(std::string_view raw) {
    if (all_ascii(raw)) {
        std::string w(raw);
        for (auto& c : w)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        return w;
    }
    std::string w = utf8proc_transform(
        raw, UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STABLE);
    strip_marks_latin_greek(w);
    return w;
}

void tokenize(std::string_view text, Field field, TokenCursor& cur, std::vector<Token>& out,
              bool surfaces) {
    t_surfaces = surfaces;
    thread_local std::vector<Part> parts;
    thread_local std::vector<Cp> joins;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto d = decode(text, i);
        if (d.cp == '\n') {
            ++cur.block;
            i += d.len;
            continue;
        }
        if (!is_word_cp(d.cp)) {
            i += d.len;
            continue;
        }
        const bool segmented = script_of(d.cp) == Script::segmented;
        parts.clear();
        joins.clear();
        std::size_t j = i;
        for (;;) {
            const std::size_t seg = j;
            while (j < text.size()) {
                const auto e = decode(text, j);
                if (!is_word_cp(e.cp) || (script_of(e.cp) == Script::segmented) != segmented) break;
                j += e.len;
            }
            parts.push_back({seg, j});
            if (segmented || j >= text.size()) break;
            const auto c = decode(text, j);
            if (!is_connector(c.cp) || j + c.len >= text.size()) break;
            const auto after = decode(text, j + c.len);
            if (!is_word_cp(after.cp) || script_of(after.cp) == Script::segmented) break;
            joins.push_back(is_hyphen(c.cp) ? '-' : is_apostrophe(c.cp) ? '\'' : c.cp);
            j += c.len;
        }
        if (segmented)
            emit_segmented(text, i, j, field, cur, out);
        else
            emit_compound(text, parts, joins, field, cur, out);
        i = j;
    }
}

bool has_markup(std::string_view text) {
    return text.find('<') != std::string_view::npos || text.find('&') != std::string_view::npos;
}

namespace {

bool is_block_tag(std::string_view name) {
    static constexpr std::array<std::string_view, 24> blocks{
        "p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "table", "tr", "td", "th", "section", "article", "header",
        "footer", "figure", "hr"};
    for (const auto b : blocks)
        if (b == name) return true;
    return false;
}

bool decode_entity(std::string_view s, std::size_t& i, std::string& out) {
    const std::size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10 || semi == i + 1) return false;
    const auto name = s.substr(i + 1, semi - i - 1);
    Cp cp = -1;
    if (name[0] == '#') {
        const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
        const auto digits = name.substr(hex ? 2 : 1);
        if (digits.empty()) return false;
        cp = 0;
        for (const char c : digits) {
            int v = -1;
            if (c >= '0' && c <= '9') v = c - '0';
            else if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
            if (v < 0 || cp > 0x10FFFF) return false;
            cp = cp * (hex ? 16 : 10) + v;
        }
        if (cp <= 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    } else {
        static constexpr std::array<std::pair<std::string_view, Cp>, 16> named{{
            {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
            {"nbsp", 0xA0}, {"rsquo", 0x2019}, {"lsquo", 0x2018}, {"ldquo", 0x201C},
            {"rdquo", 0x201D}, {"mdash", 0x2014}, {"ndash", 0x2013}, {"hellip", 0x2026},
            {"shy", 0xAD}, {"laquo", 0xAB}, {"raquo", 0xBB}}};
        for (const auto& [n, c] : named)
            if (n == name) cp = c;
        if (cp < 0) return false;
    }
    append_utf8(out, cp);
    i = semi + 1;
    return true;
}

}  // namespace

std::string strip_markup(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        if (c == '<' && i + 1 < s.size() &&
            (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/' ||
             s[i + 1] == '!')) {
            const std::size_t close = s.find('>', i);
            if (close == std::string_view::npos) break;  // a cut-off tag: drop the rest
            std::size_t n = i + 1 + (s[i + 1] == '/' ? 1 : 0);
            std::size_t e = n;
            while (e < close && std::isalnum(static_cast<unsigned char>(s[e]))) ++e;
            std::string name(s.substr(n, e - n));
            for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            out += is_block_tag(name) ? '\n' : ' ';
            i = close + 1;
            continue;
        }
        if (c == '&' && decode_entity(s, i, out)) continue;
        out += c;
        ++i;
    }
    return out;
}

}  // namespace ww::match
