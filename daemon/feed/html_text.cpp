#include "feed/html_text.h"

#include <array>
#include <bit>
#include <compare>
#include <cstdint>
#include <utility>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/text.h"
#include "feed/entities.h"

namespace ww::feed {
namespace {

enum CharClass : unsigned char { kPlain, kSpace, kLt, kAmp, kC2, kDrop };

constexpr std::array<unsigned char, 256> make_classes(bool markup) {
    std::array<unsigned char, 256> t{};
    // Controls are illegal in XML text and carry no meaning: dropped, as feedparser and gofeed do.
    for (int c = 0; c < 0x20; ++c) t[c] = kDrop;
    t[' '] = t['\t'] = t['\n'] = t['\r'] = t['\f'] = kSpace;
    t[0x7F] = kDrop;
    t[0xC2] = kC2;  // lead byte of U+00A0 (no-break space), folded like a space
    if (markup) {
        t['<'] = kLt;
        t['&'] = kAmp;
    }
    return t;
}
constexpr auto kHtmlClasses = make_classes(true);
constexpr auto kTextClasses = make_classes(false);

// End of the run starting at i that needs no decision: visible bytes, and single spaces that
// sit between two visible bytes (so that they can be copied as they are). s[i] is visible.
// Sixteen bytes at a time where SSE2 exists: this loop is most of the cost of parsing a feed.
std::size_t plain_run_end(std::string_view s, std::size_t i,
                          const std::array<unsigned char, 256>& classes, bool markup) {
    const std::size_t n = s.size();
    auto plain = [&](std::size_t k) { return classes[static_cast<unsigned char>(s[k])] == kPlain; };
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(' ');
    const __m128i lt = _mm_set1_epi8(markup ? '<' : ' ');
    const __m128i amp = _mm_set1_epi8(markup ? '&' : ' ');
    const __m128i c2 = _mm_set1_epi8(static_cast<char>(0xC2));
    const __m128i del = _mm_set1_epi8(0x7F);
    auto special = [&](__m128i v) {
        const __m128i low = _mm_cmpeq_epi8(_mm_max_epu8(v, space), space);  // v <= 0x20
        return _mm_or_si128(_mm_or_si128(low, _mm_cmpeq_epi8(v, lt)),
                            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, c2)),
                                         _mm_cmpeq_epi8(v, del)));
    };
    auto load = [&](std::size_t k) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + k)); };
    auto bits = [](__m128i m) { return static_cast<unsigned>(_mm_movemask_epi8(m)); };
    // Each block's special bytes are classified once: the next block's mask, computed for the
    // following step anyway, supplies the byte after the last one.
    if (i + 32 <= n) {
        __m128i v = load(i);
        unsigned cur = bits(special(v));
        do {
            const __m128i after = load(i + 16);
            const unsigned next = bits(special(after));
            const unsigned special_after = (cur >> 1) | ((next << 15) & 0xFFFFu);
            const unsigned lone_space = bits(_mm_cmpeq_epi8(v, space)) & ~special_after;
            const unsigned stop = cur & ~lone_space;
            if (stop) return i + static_cast<std::size_t>(std::countr_zero(stop));
            v = after;
            cur = next;
            i += 16;
        } while (i + 32 <= n);
    }
    while (i + 17 <= n) {
        const __m128i v = load(i);
        const __m128i next = load(i + 1);
        const __m128i lone_space = _mm_andnot_si128(special(next), _mm_cmpeq_epi8(v, space));
        const __m128i stop = _mm_andnot_si128(lone_space, special(v));
        const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(stop));
        if (mask) return i + static_cast<std::size_t>(std::countr_zero(mask));
        i += 16;
    }
#else
    (void)markup;
#endif
    for (;;) {
        while (i < n && plain(i)) ++i;
        if (i + 1 < n && s[i] == ' ' && plain(i + 1)) {
            i += 2;
            continue;
        }
        return i;
    }
}

// Collects text with whitespace folded: a pending space or block break is written only before
// the next visible text, so ends are trimmed and breaks never pile up.
class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {}
    // Inlined into run()'s loop, the hottest in parsing: a call there costs a few percent.
    [[gnu::always_inline]] void text(const char* p, std::size_t n) {
        if (!out_.empty()) {
            if (line_) out_.push_back('\n');
            else if (space_) out_.push_back(' ');
        }
        space_ = line_ = false;
        out_.append(p, n);
    }
    void space() { space_ = true; }
    void block() { line_ = true; }

private:
    std::string& out_;
    bool space_ = false;
    bool line_ = false;
};

// raw: script and style, whose content is never text (an HTML5 parser reads it as raw text up
// to the end tag, or to the end when there is none). skip: content dropped up to a matching end
// tag; without one only the tag goes, so that an unclosed <object> or <iframe> in escaped
// markup does not swallow the text after it.
enum class TagKind { inl, block, cell, skip, raw };

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_tag_name_end(char c) {
    return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// Tag names packed into an integer (first 8 bytes, lower-case) plus their length: the lookup
// runs for every tag of every item, and integer compares beat string compares there.
struct TagKey {
    std::uint64_t packed = 0;
    std::size_t length = 0;
    auto operator<=>(const TagKey&) const = default;
};

constexpr TagKey key_of(std::string_view name) {
    TagKey k{0, name.size()};
    for (std::size_t i = 0; i < name.size() && i < 8; ++i)
        k.packed |= std::uint64_t(static_cast<unsigned char>(name[i])) << (8 * (7 - i));
    return k;
}

constexpr std::pair<std::string_view, TagKind> kTagNames[] = {
    {"address", TagKind::block}, {"applet", TagKind::skip}, {"article", TagKind::block},
    {"aside", TagKind::block}, {"audio", TagKind::block}, {"blockquote", TagKind::block},
    {"body", TagKind::block}, {"br", TagKind::block}, {"caption", TagKind::block},
    {"center", TagKind::block}, {"dd", TagKind::block}, {"details", TagKind::block},
    {"div", TagKind::block}, {"dl", TagKind::block}, {"dt", TagKind::block},
    {"embed", TagKind::cell}, {"fieldset", TagKind::block}, {"figcaption", TagKind::block},
    {"figure", TagKind::block}, {"footer", TagKind::block}, {"form", TagKind::block},
    {"frame", TagKind::cell}, {"frameset", TagKind::block}, {"h1", TagKind::block},
    {"h2", TagKind::block}, {"h3", TagKind::block}, {"h4", TagKind::block},
    {"h5", TagKind::block}, {"h6", TagKind::block}, {"head", TagKind::skip},
    {"header", TagKind::block}, {"hr", TagKind::block}, {"html", TagKind::block},
    {"iframe", TagKind::skip}, {"img", TagKind::cell}, {"li", TagKind::block},
    {"main", TagKind::block}, {"math", TagKind::skip}, {"nav", TagKind::block},
    {"noembed", TagKind::skip}, {"noframes", TagKind::skip}, {"noscript", TagKind::skip},
    {"object", TagKind::skip}, {"ol", TagKind::block}, {"option", TagKind::block},
    {"p", TagKind::block}, {"picture", TagKind::block}, {"pre", TagKind::block},
    {"script", TagKind::raw}, {"section", TagKind::block}, {"select", TagKind::skip},
    {"style", TagKind::raw}, {"summary", TagKind::block}, {"svg", TagKind::skip},
    {"table", TagKind::block}, {"tbody", TagKind::block}, {"td", TagKind::cell},
    {"template", TagKind::skip}, {"textarea", TagKind::skip}, {"tfoot", TagKind::block},
    {"th", TagKind::cell}, {"thead", TagKind::block}, {"title", TagKind::skip},
    {"tr", TagKind::block}, {"ul", TagKind::block}, {"video", TagKind::block},
};

// An open-addressed table, indexed by a multiplicative hash of the key: the lookup runs for
// every tag of every item, and a binary search there was mostly mispredicted branches.
struct TagSlot {
    TagKey key;
    TagKind kind = TagKind::inl;
    bool used = false;
};
constexpr std::size_t kTagSlots = 256;  // a power of two, about four times the names

constexpr std::size_t slot_of(const TagKey& k) {
    return static_cast<std::size_t>(((k.packed ^ k.length) * 0x9E3779B97F4A7C15ull) >> 56) & (kTagSlots - 1);
}

constexpr auto kTags = [] {
    std::array<TagSlot, kTagSlots> t{};
    for (const auto& [name, kind] : kTagNames) {
        const TagKey key = key_of(name);
        std::size_t s = slot_of(key);
        while (t[s].used) s = (s + 1) & (kTagSlots - 1);
        t[s] = {key, kind, true};
    }
    return t;
}();

TagKind kind_of(std::string_view name) {
    const TagKey key = key_of(name);
    for (std::size_t s = slot_of(key);; s = (s + 1) & (kTagSlots - 1)) {
        if (!kTags[s].used) return TagKind::inl;
        if (kTags[s].key == key) return kTags[s].kind;
    }
}

// End of the tag whose '<' is at i: the index after its '>' (quotes respected), or npos.
// The first '>', '"' or '\'' at or after i, or npos; SSE2 where it exists (attribute values
// such as image URLs make tags long).
std::size_t find_tag_byte(std::string_view s, std::size_t i) {
    const std::size_t n = s.size();
#if defined(__SSE2__)
    const __m128i gt = _mm_set1_epi8('>'), dq = _mm_set1_epi8('"'), sq = _mm_set1_epi8('\'');
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
        const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
            _mm_cmpeq_epi8(v, gt), _mm_or_si128(_mm_cmpeq_epi8(v, dq), _mm_cmpeq_epi8(v, sq)))));
        if (mask) return i + static_cast<std::size_t>(std::countr_zero(mask));
    }
#endif
    for (; i < n; ++i)
        if (s[i] == '>' || s[i] == '"' || s[i] == '\'') return i;
    return std::string_view::npos;
}

std::size_t tag_end(std::string_view s, std::size_t i) {
    for (;;) {
        i = find_tag_byte(s, i);
        if (i == std::string_view::npos) return i;
        const char c = s[i];
        if (c == '>') return i + 1;
        // A quote only opens a value right after '='; stray apostrophes in broken markup
        // would otherwise swallow the rest of the text.
        std::size_t k = i;
        while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\n')) --k;
        if (k > 0 && s[k - 1] == '=') {
            const auto close = s.find(c, i + 1);
            if (close == std::string_view::npos) return close;
            i = close;
        }
        ++i;
    }
}

// End tags an earlier search did not find, with where that search started: a later search for
// the same name from further on fails too, so many unclosed <iframe>s cost one scan, not one
// each.
class MissingEndTags {
public:
    bool known_missing(const TagKey& name, std::size_t from) const {
        for (std::size_t k = 0; k < count_; ++k)
            if (names_[k] == name && from >= from_[k]) return true;
        return false;
    }
    void record(const TagKey& name, std::size_t from) {
        if (count_ == names_.size()) return;  // only a cost: the search is made again
        names_[count_] = name;
        from_[count_++] = from;
    }

private:
    std::array<TagKey, 8> names_{};
    std::array<std::size_t, 8> from_{};
    std::size_t count_ = 0;
};

// Position after the end tag `</name` (any case, then white space, '/' or '>', as an HTML5
// tokenizer requires: `</scriptx>` does not end a script) from `from` on, or npos.
std::size_t find_end_tag(std::string_view s, std::size_t from, std::string_view name) {
    for (std::size_t i = from; i + 2 + name.size() <= s.size(); ++i) {
        const void* lt = std::memchr(s.data() + i, '<', s.size() - i);
        if (!lt) break;
        i = static_cast<std::size_t>(static_cast<const char*>(lt) - s.data());
        if (i + 2 + name.size() > s.size() || s[i + 1] != '/') continue;
        bool same = true;
        for (std::size_t k = 0; k < name.size() && same; ++k)
            same = lower(s[i + 2 + k]) == name[k];
        const std::size_t after = i + 2 + name.size();
        if (!same || (after < s.size() && !is_tag_name_end(s[after]))) continue;
        const auto end = tag_end(s, i);
        return end == std::string_view::npos ? s.size() : end;
    }
    return std::string_view::npos;
}

void run(std::string_view s, const std::array<unsigned char, 256>& classes, Writer& w,
         MissingEndTags& missing);

// After the start tag of a skipped element ending at `end`: past its end tag, or for an
// unclosed one, past its start tag only (script and style: to the end, as HTML5 reads them).
std::size_t skip_element(std::string_view s, std::size_t end, std::string_view tag, TagKind kind,
                         MissingEndTags& missing) {
    const TagKey key = key_of(tag);
    if (missing.known_missing(key, end)) return kind == TagKind::raw ? s.size() : end;
    const auto after = find_end_tag(s, end, tag);
    if (after != std::string_view::npos) return after;
    missing.record(key, end);
    return kind == TagKind::raw ? s.size() : end;
}

// Handles the markup starting at s[i] == '<'; returns the index to continue from.
std::size_t markup(std::string_view s, std::size_t i, Writer& w, MissingEndTags& missing) {
    const std::size_t n = s.size();
    if (i + 1 >= n) {
        w.text("<", 1);
        return n;
    }
    const char c1 = s[i + 1];
    if (c1 == '!') {
        if (s.compare(i, 4, "<!--") == 0) {
            const auto end = s.find("-->", i + 4);
            return end == std::string_view::npos ? n : end + 3;
        }
        if (s.compare(i, 9, "<![CDATA[") == 0) {
            const auto end = s.find("]]>", i + 9);
            const auto inner = s.substr(i + 9, (end == std::string_view::npos ? n : end) - i - 9);
            run(inner, kTextClasses, w, missing);
            return end == std::string_view::npos ? n : end + 3;
        }
    }
    const bool closing = c1 == '/';
    const std::size_t name_at = i + (closing ? 2 : 1);
    if (c1 != '!' && c1 != '?' && !(name_at < n && is_alpha(s[name_at]))) {
        w.text("<", 1);  // a lone '<' in text ("a < b")
        return i + 1;
    }
    const auto end = tag_end(s, i + 1);
    if (end == std::string_view::npos) return n;  // a truncated tag: nothing visible follows
    if (c1 == '!' || c1 == '?') return end;
    char name[12];
    std::size_t len = 0;
    for (std::size_t k = name_at; k < end && len < sizeof name; ++k) {
        const char c = s[k];
        if (!(is_alpha(c) || (c >= '0' && c <= '9') || c == ':' || c == '-')) break;
        name[len++] = lower(c);
    }
    const std::string_view tag{name, len};
    switch (kind_of(tag)) {
        case TagKind::inl: return end;
        case TagKind::cell: w.space(); return end;
        case TagKind::block: w.block(); return end;
        case TagKind::skip:
        case TagKind::raw:
            if (closing || s[end - 2] == '/') return end;
            return skip_element(s, end, tag, kind_of(tag), missing);
    }
    return end;
}

// A C1 control (U+0080-U+009F) is a windows-1252 byte that went through a Latin-1 decoder:
// read as windows-1252 has it (`don\x92t` -> don't); the five bytes it leaves undefined are
// controls, dropped. Rare: kept out of run()'s loop.
[[gnu::noinline, gnu::cold]] void write_c1(Writer& w, unsigned char byte) {
    if (const char32_t cp = cp1252_char(byte)) {
        std::string c;
        append_utf8(c, cp);
        w.text(c.data(), c.size());
    }
}

void run(std::string_view s, const std::array<unsigned char, 256>& classes, Writer& w,
         MissingEndTags& missing) {
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        if (classes[static_cast<unsigned char>(s[i])] == kPlain) {
            const std::size_t j = plain_run_end(s, i + 1, classes, &classes == &kHtmlClasses);
            w.text(s.data() + i, j - i);
            i = j;
            continue;
        }
        switch (classes[static_cast<unsigned char>(s[i])]) {
            case kSpace:
                // A run of white space (indented markup) folds to one: skipped here rather
                // than one dispatch per byte.
                w.space();
                ++i;
                while (i < n && classes[static_cast<unsigned char>(s[i])] == kSpace) ++i;
                break;
            case kC2:
                if (i + 1 < n && s[i + 1] == '\xA0') {
                    w.space();
                    i += 2;
                } else if (i + 1 < n && static_cast<unsigned char>(s[i + 1]) < 0xA0 &&
                           static_cast<unsigned char>(s[i + 1]) >= 0x80) {
                    write_c1(w, static_cast<unsigned char>(s[i + 1]));
                    i += 2;
                } else {
                    w.text(s.data() + i, 1);
                    ++i;
                }
                break;
            case kDrop:
                ++i;
                break;
            case kAmp: {
                std::string decoded;
                const auto used = decode_reference(s.substr(i, 40), decoded);
                if (used == 0) {
                    w.text("&", 1);
                    ++i;
                    break;
                }
                i += used;
                // A reference to white space folds like white space; to a control, vanishes.
                const auto first = static_cast<unsigned char>(decoded[0]);
                if (decoded == "\xC2\xA0" || (decoded.size() == 1 && first <= 0x20)) {
                    if (first == ' ' || first == '\t' || first == '\n' || first == '\r' ||
                        first == '\f' || first == 0xC2)
                        w.space();
                } else if (!(decoded.size() == 1 && first == 0x7F)) {
                    w.text(decoded.data(), decoded.size());
                }
                break;
            }
            case kLt:
                i = markup(s, i, w, missing);
                break;
            default:
                ++i;
        }
    }
}

// The code point of the UTF-8 sequence at s[i] (advancing i), or U+FFFD for a malformed one.
char32_t next_code_point(std::string_view s, std::size_t& i) {
    const auto b = static_cast<unsigned char>(s[i++]);
    if (b < 0x80) return b;
    const int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
    if (extra < 0 || i + static_cast<std::size_t>(extra) > s.size()) return 0xFFFD;
    char32_t cp = b & (0x3F >> extra);
    for (int k = 0; k < extra; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
    return cp;
}

// The byte windows-1252 (or Latin-1, for a C1 control) encodes cp as, or -1.
int cp1252_byte(char32_t cp) {
    if (cp <= 0xFF) return static_cast<int>(cp);  // ASCII, Latin-1, and C1 as Latin-1 has them
    for (int b = 0x80; b < 0xA0; ++b)
        if (cp1252_char(static_cast<unsigned char>(b)) == cp) return b;
    return -1;
}

// Walks the characters of `text` (valid UTF-8) as the bytes windows-1252 would encode them,
// calling emit(byte) for each; false as soon as they cannot be UTF-8.
template <class Emit>
bool as_cp1252_bytes(std::string_view text, Emit emit) {
    int need = 0;  // continuation bytes the last lead byte still calls for
    for (std::size_t i = 0; i < text.size();) {
        const int b = cp1252_byte(next_code_point(text, i));
        if (b < 0) return false;
        if (need > 0) {
            if ((b & 0xC0) != 0x80) return false;
            --need;
        } else if (b >= 0x80) {
            need = b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : -1;
            if (need < 0) return false;
        }
        emit(static_cast<char>(b));
    }
    return need == 0;
}

// UTF-8 that was read as windows-1252 and encoded again (`â€¦` for `…`) is put back, but only
// when every non-ASCII character of the string fits that story: the characters map back to
// bytes that are valid UTF-8. Text that merely contains `Ã©` among real accents stays as it
// is. Every double-encoded sequence starts with U+00C2-U+00F4, whose UTF-8 starts with C3.
void repair_double_utf8(std::string& text) {
    // The first non-ASCII character of a double-encoded string is a lead byte's mojibake:
    // U+00C2-U+00F4, C3 82-C3 B4 in UTF-8. Most text (plain ASCII, real accents) stops here.
    // memchr first: it is vectorised, and most fields (English) have no C3 at all.
    if (!std::memchr(text.data(), '\xC3', text.size())) return;
    std::size_t first = 0;
    for (std::uint64_t w; first + 8 <= text.size(); first += 8) {
        std::memcpy(&w, text.data() + first, 8);
        if (w & 0x8080808080808080ull) break;
    }
    while (first < text.size() && static_cast<unsigned char>(text[first]) < 0x80) ++first;
    if (first + 1 >= text.size() || text[first] != '\xC3') return;
    const auto second = static_cast<unsigned char>(text[first + 1]);
    if (second < 0x82 || second > 0xB4) return;
    const std::string_view rest = std::string_view(text).substr(first);
    if (!as_cp1252_bytes(rest, [](char) {})) return;  // checked before anything is allocated
    std::string bytes(text, 0, first);
    as_cp1252_bytes(rest, [&](char c) { bytes.push_back(c); });
    if (!utf8_valid(bytes)) return;
    text.swap(bytes);
    // The repair can bring a space to an end (a mapped byte 0x20, or a NUL the writer had kept
    // inside): the text's ends stay trimmed, as the writer leaves them.
    const auto begin = text.find_first_not_of(" \n");
    const auto end = text.find_last_not_of(" \n");
    text = begin == std::string::npos ? std::string() : text.substr(begin, end - begin + 1);
}

}  // namespace

std::string html_to_text(std::string_view html, bool repair) {
    std::string out;
    out.reserve(html.size());
    Writer w(out);
    MissingEndTags missing;
    run(html, kHtmlClasses, w, missing);
    if (repair) repair_double_utf8(out);
    return out;
}

std::string fold_text(std::string_view text, bool repair) {
    std::string out;
    out.reserve(text.size());
    Writer w(out);
    MissingEndTags missing;
    run(text, kTextClasses, w, missing);
    if (repair) repair_double_utf8(out);
    return out;
}

}  // namespace ww::feed
