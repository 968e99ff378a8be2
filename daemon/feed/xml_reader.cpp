// read_well_formed: the usual feed (well-formed, the five XML escapes and character references
// only) read into an XmlTree in one pass, without pugixml's DOM and without the pre-scan that
// guards it. Anything unusual declines, and parse.cpp gives that document to pugixml as before;
// what this reader accepts it must read exactly as pugixml would with our flags
// (parse_cdata | parse_escapes), which tests/unit/feed/test_xml_reader.cpp and the fuzz target
// check by comparing both paths' output.
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "feed/cpu.h"
#include "feed/xml_tree.h"

namespace ww::feed {
namespace {

// pugixml's name classes: a name starts with a letter, '_', ':' or a byte above 127 and goes on
// with those, digits, '-' and '.'.
constexpr std::array<bool, 256> name_table(bool start) {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) {
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 128 || c == '_' || c == ':';
        const bool more = (c >= '0' && c <= '9') || c == '-' || c == '.';
        t[static_cast<std::size_t>(c)] = letter || (!start && more);
    }
    return t;
}
constexpr auto kNameStart = name_table(true);
constexpr auto kName = name_table(false);

// pugixml parses a NUL as the end of its buffer: where one is, the document is its to judge.
inline bool has_nul(std::string_view s) { return std::memchr(s.data(), 0, s.size()) != nullptr; }

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline bool name_start(char c) { return kNameStart[static_cast<unsigned char>(c)]; }
inline bool name_char(char c) { return kName[static_cast<unsigned char>(c)]; }

// The first '<', '&' or NUL at or after p (end when there is none). Text is most of a feed's
// bytes: sixteen at a time with SSE2, thirty-two where the CPU has AVX2 (checked once).
inline const char* find_special_sse2(const char* p, const char* end) {
#if defined(__SSE2__)
    const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&'), nul = _mm_setzero_si128();
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const auto m = static_cast<unsigned>(_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, amp)), _mm_cmpeq_epi8(v, nul))));
        if (m) return p + std::countr_zero(m);
        p += 16;
    }
#endif
    while (p < end && *p != '<' && *p != '&' && *p != '\0') ++p;
    return p;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define WW_READER_AVX2 1
__attribute__((target("avx2"))) const char* find_special_avx2(const char* p, const char* end) {
    const __m256i lt = _mm256_set1_epi8('<'), amp = _mm256_set1_epi8('&'), nul = _mm256_setzero_si256();
    while (end - p >= 32) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
        const auto m = static_cast<unsigned>(_mm256_movemask_epi8(_mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi8(v, lt), _mm256_cmpeq_epi8(v, amp)), _mm256_cmpeq_epi8(v, nul))));
        if (m) return p + std::countr_zero(m);
        p += 32;
    }
    while (p < end && *p != '<' && *p != '&' && *p != '\0') ++p;
    return p;
}

#endif

inline const char* find_special(const char* p, const char* end) {
#if defined(WW_READER_AVX2)
    if (has_avx2()) return find_special_avx2(p, end);
#endif
    return find_special_sse2(p, end);
}

// The UTF-8 form of a code point (at most 4 bytes, never more than the reference it replaces).
char* append_utf8(std::uint32_t cp, char* out) {
    if (cp < 0x80) {
        *out++ = static_cast<char>(cp);
    } else if (cp < 0x800) {
        *out++ = static_cast<char>(0xC0 | (cp >> 6));
        *out++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *out++ = static_cast<char>(0xE0 | (cp >> 12));
        *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *out++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        *out++ = static_cast<char>(0xF0 | (cp >> 18));
        *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *out++ = static_cast<char>(0x80 | (cp & 0x3F));
    }
    return out;
}

constexpr std::uint64_t packed(std::string_view k) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < k.size(); ++i) v |= std::uint64_t(static_cast<unsigned char>(k[i])) << (8 * i);
    return v;
}

class Reader {
public:
    Reader(std::string_view doc, std::size_t max_depth, std::size_t max_elements, XmlTree& tree)
        : p_(doc.data()), end_(doc.data() + doc.size()), tree_(tree), max_depth_(max_depth / 4),
          max_elements_(max_elements / 4) {}

    bool run() {
        if (!prolog()) return false;
        if (!element()) return false;
        while (!open_.empty()) {
            if (p_ >= end_) return false;  // truncated
            if (*p_ != '<') {
                if (!text()) return false;
                continue;
            }
            const char c = p_ + 1 < end_ ? p_[1] : '\0';
            if (c == '/') {
                if (!end_tag()) return false;
            } else if (c == '!') {
                if (!bang()) return false;
            } else if (c == '?') {
                return false;  // a processing instruction inside the root: pugixml's call
            } else if (!element()) {
                return false;
            }
        }
        return epilog();
    }

private:
    // Before the root: white space, the XML declaration and other processing instructions,
    // comments, and a DOCTYPE without an internal subset.
    bool prolog() {
        for (;;) {
            while (p_ < end_ && is_space(*p_)) ++p_;
            if (end_ - p_ < 2 || *p_ != '<') return false;
            if (p_[1] == '?') {
                if (!instruction()) return false;
            } else if (starts_with("<!--")) {
                if (!skip_past("-->", 4, false)) return false;
            } else if (starts_with("<!DOCTYPE")) {
                const char* q = p_ + 9;
                while (q < end_ && *q != '>') {
                    if (*q == '[' || *q == '"' || *q == '\'' || *q == '<' || *q == '\0') return false;
                    ++q;
                }
                if (q >= end_) return false;
                p_ = q + 1;
            } else {
                return name_start(p_[1]);
            }
        }
    }

    // After the root: only white space, comments and processing instructions.
    bool epilog() {
        for (;;) {
            while (p_ < end_ && is_space(*p_)) ++p_;
            if (p_ >= end_) return true;
            if (starts_with("<!--")) {
                if (!skip_past("-->", 4, false)) return false;
            } else if (starts_with("<?")) {
                if (!instruction()) return false;
            } else {
                return false;
            }
        }
    }

    bool starts_with(std::string_view s) const {
        return static_cast<std::size_t>(end_ - p_) >= s.size() && std::memcmp(p_, s.data(), s.size()) == 0;
    }

    // Moves past the next `close` after `skip` bytes; a reference inside a processing
    // instruction would be the pre-scan's business (and a bozo), so it declines there.
    bool skip_past(std::string_view close, std::size_t skip, bool no_references) {
        const std::string_view rest(p_ + skip, static_cast<std::size_t>(end_ - p_) - skip);
        const auto at = rest.find(close);
        if (at == std::string_view::npos || has_nul(rest.substr(0, at))) return false;
        if (no_references && rest.substr(0, at).find('&') != std::string_view::npos) return false;
        p_ = rest.data() + at + close.size();
        return true;
    }

    // A processing instruction at p_ ("<?") outside the root, skipped: a target name, then
    // white space or the end, as pugixml requires.
    bool instruction() {
        const char* q = p_ + 2;
        if (q >= end_ || !name_start(*q)) return false;
        while (q < end_ && name_char(*q)) ++q;
        if (q >= end_ || !(is_space(*q) || *q == '?')) return false;
        return skip_past("?>", 2, true);
    }

    // "<!" inside the root: a comment (skipped) or a CDATA section (a node).
    bool bang() {
        if (starts_with("<!--")) return skip_past("-->", 4, false);
        if (!starts_with("<![CDATA[")) return false;
        const std::string_view rest(p_ + 9, static_cast<std::size_t>(end_ - p_) - 9);
        const auto at = rest.find("]]>");
        if (at == std::string_view::npos || has_nul(rest.substr(0, at))) return false;
        tree_.add(NodeType::cdata, rest.substr(0, at), open_.back().index);
        p_ = rest.data() + at + 3;
        return true;
    }

    // Character data up to the next '<'. White space alone makes no node, as in pugixml.
    bool text() {
        const char* start = p_;
        const char* q = p_;
        while (q < end_ && is_space(*q)) ++q;
        if (q < end_ && *q == '<') {
            p_ = q;
            return true;
        }
        const char* stop = find_special(q, end_);
        if (stop >= end_ || *stop == '\0') return false;
        if (*stop == '<') {
            tree_.add(NodeType::pcdata, std::string_view(start, static_cast<std::size_t>(stop - start)),
                      open_.back().index);
            p_ = stop;
            return true;
        }
        std::string_view value;
        if (!decode(start, stop, '<', value)) return false;
        tree_.add(NodeType::pcdata, value, open_.back().index);
        return true;
    }

    // Text from `start` with its first reference at `amp`, up to `until` ('<' for text, the
    // quote for an attribute value), references decoded into the tree's value storage; p_ ends
    // on `until`.
    bool decode(const char* start, const char* amp, char until, std::string_view& value) {
        char* const begin = tree_.values_end();
        char* dst = begin;
        const char* seg = start;
        const char* q = amp;
        for (;;) {
            std::memcpy(dst, seg, static_cast<std::size_t>(q - seg));
            dst += q - seg;
            if (q >= end_ || *q == '\0') return false;
            if (*q == until) break;
            if (*q != '&' || !reference(q, dst)) return false;
            seg = q;
            q = until == '<' ? find_special(q, end_) : find_attribute_end(q, until);
        }
        value = std::string_view(begin, static_cast<std::size_t>(dst - begin));
        tree_.commit_values(value.size());
        p_ = q;
        return true;
    }

    // The quote that ends an attribute value, or its first '&'; end_ (declined) at a '<'
    // (pugixml's call) or a NUL.
    const char* find_attribute_end(const char* q, char quote) const {
#if defined(__SSE2__)
        const __m128i qv = _mm_set1_epi8(quote), lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&');
        const __m128i nul = _mm_setzero_si128();
        while (end_ - q >= 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
            const auto m = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, qv), _mm_cmpeq_epi8(v, amp)),
                _mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, nul)))));
            if (m) {
                q += std::countr_zero(m);
                return *q == '<' || *q == '\0' ? end_ : q;
            }
            q += 16;
        }
#endif
        while (q < end_ && *q != quote && *q != '&' && *q != '<' && *q != '\0') ++q;
        if (q < end_ && (*q == '<' || *q == '\0')) return end_;
        return q;
    }

    // One reference at q ('&'), written decoded at dst; both move on. Only what pugixml
    // decodes itself: the five XML escapes and well-formed character references.
    bool reference(const char*& q, char*& dst) {
        const auto left = static_cast<std::size_t>(end_ - q);
        if constexpr (std::endian::native == std::endian::little) {
            // Escaped HTML is full of these: one 8-byte load decides.
            if (left >= 8) {
                std::uint64_t w;
                std::memcpy(&w, q, 8);
                const auto low4 = w & 0xFFFFFFFFull, low5 = w & 0xFFFFFFFFFFull, low6 = w & 0xFFFFFFFFFFFFull;
                if (low4 == packed("&lt;")) return put('<', 4, q, dst);
                if (low4 == packed("&gt;")) return put('>', 4, q, dst);
                if (low5 == packed("&amp;")) return put('&', 5, q, dst);
                if (low6 == packed("&quot;")) return put('"', 6, q, dst);
                if (low6 == packed("&apos;")) return put('\'', 6, q, dst);
            }
        }
        auto is = [&](std::string_view s) { return left >= s.size() && std::memcmp(q, s.data(), s.size()) == 0; };
        if (left >= 4 && q[1] != '#') {
            if (is("&lt;")) return put('<', 4, q, dst);
            if (is("&gt;")) return put('>', 4, q, dst);
            if (is("&amp;")) return put('&', 5, q, dst);
            if (is("&quot;")) return put('"', 6, q, dst);
            if (is("&apos;")) return put('\'', 6, q, dst);
            return false;
        }
        const char* r = q + 2;
        const bool hex = r < end_ && *r == 'x';
        if (hex) ++r;
        std::uint64_t cp = 0;
        const char* digits = r;
        for (; r < end_ && r - digits < 16; ++r) {
            const char c = *r;
            unsigned d;
            if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
            else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = static_cast<unsigned>((c | 0x20) - 'a' + 10);
            else break;
            cp = cp * (hex ? 16 : 10) + d;
        }
        if (r == digits || r >= end_ || *r != ';') return false;
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        dst = append_utf8(static_cast<std::uint32_t>(cp), dst);
        q = r + 1;
        return true;
    }

    static bool put(char c, std::size_t length, const char*& q, char*& dst) {
        *dst++ = c;
        q += length;
        return true;
    }

    // A start tag at p_ ('<' + name): the element, its attributes, and '>' or "/>".
    bool element() {
        const char* n = p_ + 1;
        if (n >= end_ || !name_start(*n)) return false;
        const char* q = n + 1;
        while (q < end_ && name_char(*q)) ++q;
        if (q >= end_) return false;
        if (++elements_ > max_elements_) return false;
        const std::uint32_t parent = open_.empty() ? 0 : open_.back().index;
        const auto name = std::string_view(n, static_cast<std::size_t>(q - n));
        const auto index = tree_.add(NodeType::element, name, parent);
        for (;;) {
            const char* before = q;
            while (q < end_ && is_space(*q)) ++q;
            if (q >= end_) return false;
            if (*q == '>') {
                if (open_.size() >= max_depth_) return false;
                open_.push_back({index, name});
                p_ = q + 1;
                return true;
            }
            if (*q == '/') {
                if (q + 1 >= end_ || q[1] != '>') return false;
                p_ = q + 2;
                return true;
            }
            if (q == before || !name_start(*q)) return false;  // attributes are separated by space
            const char* an = q;
            while (q < end_ && name_char(*q)) ++q;
            const auto attr_name = std::string_view(an, static_cast<std::size_t>(q - an));
            while (q < end_ && is_space(*q)) ++q;
            if (q >= end_ || *q != '=') return false;
            ++q;
            while (q < end_ && is_space(*q)) ++q;
            if (q >= end_ || (*q != '"' && *q != '\'')) return false;
            const char quote = *q++;
            const char* v = q;
            const char* stop = find_attribute_end(q, quote);
            if (stop >= end_ || *stop == '\0') return false;
            std::string_view value;
            if (*stop == quote) {
                value = std::string_view(v, static_cast<std::size_t>(stop - v));
                q = stop + 1;
            } else {
                if (!decode(v, stop, quote, value)) return false;
                q = p_ + 1;
            }
            tree_.add_attribute(index, attr_name, value);
        }
    }

    // "</name>" closing the innermost open element, white space allowed before '>'.
    bool end_tag() {
        const auto& top = open_.back();
        const char* q = p_ + 2;
        if (static_cast<std::size_t>(end_ - q) < top.name.size() ||
            std::memcmp(q, top.name.data(), top.name.size()) != 0)
            return false;
        q += top.name.size();
        while (q < end_ && is_space(*q)) ++q;
        if (q >= end_ || *q != '>') return false;
        open_.pop_back();
        p_ = q + 1;
        return true;
    }

    struct Open {
        std::uint32_t index;
        std::string_view name;
    };
    const char* p_;
    const char* const end_;
    XmlTree& tree_;
    std::size_t max_depth_, max_elements_, elements_ = 0;
    std::vector<Open> open_;
};

}  // namespace

bool read_well_formed(std::string_view doc, std::size_t max_depth, std::size_t max_elements, XmlTree& tree) {
    tree.clear();
    tree.reserve_values(doc.size());
    return Reader(doc, max_depth, max_elements, tree).run();
}

}  // namespace ww::feed
