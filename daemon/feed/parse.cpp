#include "feed/parse.h"

#include <pugixml.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "core/text.h"
#include "feed/cpu.h"
#include "feed/dates.h"
#include "feed/detect.h"
#include "feed/dtd.h"
#include "feed/encoding.h"
#include "feed/formats.h"
#include "feed/html_text.h"
#include "feed/identify.h"
#include "feed/url.h"
#include "feed/xml_tree.h"

namespace ww::feed {

// ---- Context (shared by the XML readers) ----

std::optional<SysSeconds> Context::date(std::string_view text) {
    if (text.empty()) return std::nullopt;
    auto t = parse_date(text);
    if (!t) {
        bool blank = true;
        for (const char c : text) blank = blank && static_cast<unsigned char>(c) <= ' ';
        if (!blank) ++feed_.bad_dates;
    }
    return t;
}

std::string_view Context::text(XmlNode n) {
    std::string_view v;
    if (single_text(n, v)) return v;
    auto& s = storage_.emplace_back();
    append_text(n, s);
    return s;
}

std::string_view Context::markup(XmlNode n) {
    std::string_view v;
    if (single_text(n, v)) return v;
    auto& s = storage_.emplace_back();
    if (has_element_child(n)) append_markup(n, s);
    else append_text(n, s);
    return s;
}

std::string Context::base_of(XmlNode n, const std::string& parent_base) const {
    const auto a = n.attribute("xml:base");
    if (!a) return parent_base;
    return resolve_url(parent_base, a.value());
}

std::string Context::html(std::string_view markup) const {
    auto text = html_to_text(markup, maybe_double_encoded);
    if (text.size() > options_.max_text_bytes) text.resize(utf8_prefix(text, options_.max_text_bytes).size());
    return text;
}

std::string Context::plain(std::string_view raw) const {
    auto text = fold_text(raw, maybe_double_encoded);
    if (text.size() > options_.max_text_bytes) text.resize(utf8_prefix(text, options_.max_text_bytes).size());
    return text;
}

namespace {

void add_reason(Feed& feed, std::string_view reason) {
    if (reason.empty()) return;
    feed.bozo = true;
    if (!feed.bozo_reason.empty()) feed.bozo_reason += "; ";
    feed.bozo_reason += reason;
}

}  // namespace

void Context::flag(std::string_view reason) {
    if (feed_.bozo_reason.find(reason) != std::string::npos) return;
    add_reason(feed_, reason);
}

namespace {

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_hex(char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

// Why the reference at s[pos] == '&' is not one XML defines, or empty when it is fine.
std::string_view check_reference(std::string_view s, std::size_t pos) {
    // The usual ones first, from one 8-byte load: "&lt;" "&gt;" "&amp;" "&quot;" "&apos;".
    if (pos + 8 <= s.size()) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + pos, 8);
        const auto low4 = w & 0xFFFFFFFFull, low5 = w & 0xFFFFFFFFFFull, low6 = w & 0xFFFFFFFFFFFFull;
        auto word = [](std::string_view k) {
            std::uint64_t v = 0;
            std::memcpy(&v, k.data(), k.size());
            return v;
        };
        static const std::uint64_t lt = word("&lt;"), gt = word("&gt;"), amp = word("&amp;"),
                                   quot = word("&quot;"), apos = word("&apos;");
        if (low4 == lt || low4 == gt || low5 == amp || low6 == quot || low6 == apos) return {};
    }
    std::size_t i = pos + 1;
    if (i < s.size() && s[i] == '#') {
        ++i;
        if (i < s.size() && (s[i] == 'x' || s[i] == 'X')) ++i;
        const auto start = i;
        while (i < s.size() && is_hex(s[i])) ++i;
        if (i == start || i >= s.size() || s[i] != ';') return "bare '&' in text";
        return {};
    }
    const auto start = i;
    while (i < s.size() && i - start < 40 && is_alnum(s[i])) ++i;
    if (i >= s.size() || s[i] != ';' || i == start) return "bare '&' in text";
    const auto name = s.substr(start, i - start);
    if (name != "amp" && name != "lt" && name != "gt" && name != "quot" && name != "apos")
        return "undefined entity in text";
    return {};
}

struct MarkupScan {
    std::size_t tags = 0;         // '<' outside CDATA and comments: at least the element count
    std::size_t depth = 0;        // deepest nesting, from start, end and empty-element tags
    std::string_view bad_reference;  // the first undefined entity or bare '&', if any
};

// The state of one scan, shared by the byte-wise path and the block loops.
struct Scanner {
    std::string_view s;
    MarkupScan scan;
    std::ptrdiff_t depth = 0;

    // Visits s[k], one of '<', '&', '>'; returns the index to go on from (past a CDATA
    // section or comment that starts there).
    std::size_t at_special(std::size_t k) {
        const std::size_t n = s.size();
        if (s[k] == '>') {
            if (k > 0 && s[k - 1] == '/' && depth > 0) --depth;  // <empty/> opened a level
            return k + 1;
        }
        if (s[k] == '<') {
            if (k + 1 < n && s[k + 1] == '!') {
                const auto rest = s.substr(k);
                const char* close = rest.starts_with("<![CDATA[") ? "]]>" : rest.starts_with("<!--") ? "-->" : nullptr;
                if (close) {
                    const auto end = s.find(close, k + 4);
                    return end == std::string_view::npos ? n : end + 3;
                }
            }
            ++scan.tags;
            if (k + 1 < n) {
                const char c = s[k + 1];
                if (c == '/') {
                    if (depth > 0) --depth;
                } else if (c != '?' && c != '!') {
                    scan.depth = std::max(scan.depth, static_cast<std::size_t>(++depth));
                }
            }
        } else if (scan.bad_reference.empty()) {
            scan.bad_reference = check_reference(s, k);
        }
        return k + 1;
    }
};

// The five references XML defines, as little-endian words: the block loops test each '&'
// against them inline and call check_reference only for the rest (numeric references and
// the bad ones), so that the common case is not a call that spills the loop's registers.
constexpr std::uint64_t packed_le(std::string_view k) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < k.size(); ++i) v |= std::uint64_t(static_cast<unsigned char>(k[i])) << (8 * i);
    return v;
}

[[gnu::always_inline]] inline bool is_xml_escape(std::string_view s, std::size_t pos) {
    if constexpr (std::endian::native != std::endian::little) {
        return false;
    } else {
        if (pos + 8 > s.size()) return false;
        std::uint64_t w;
        std::memcpy(&w, s.data() + pos, 8);
        const auto low4 = w & 0xFFFFFFFFull, low5 = w & 0xFFFFFFFFFFull, low6 = w & 0xFFFFFFFFFFFFull;
        return low4 == packed_le("&lt;") || low4 == packed_le("&gt;") || low5 == packed_le("&amp;") ||
               low6 == packed_le("&quot;") || low6 == packed_le("&apos;");
    }
}

#if defined(__SSE2__)
// Register copies of the scan's counters for the block loops; synced around the rare calls
// of the byte-wise path.
struct BlockCounters {
    std::size_t tags = 0, max_depth = 0;
    std::ptrdiff_t d = 0;

    void sync_out(Scanner& sc) {
        sc.scan.tags += tags;
        sc.scan.depth = std::max(sc.scan.depth, max_depth);
        sc.depth = d;
        tags = 0;
    }
    void sync_in(const Scanner& sc) {
        d = sc.depth;
        max_depth = sc.scan.depth;
    }
};

// A block of sixteen bytes at i holds "<!" at `stop` (a CDATA section or comment to skip):
// byte by byte up to it, then past its end. Returns the index to go on from.
std::size_t through_bang(Scanner& sc, BlockCounters& c, std::size_t i, std::size_t stop) {
    c.sync_out(sc);
    for (std::size_t k = i; k < stop; ++k)
        if (sc.s[k] == '<' || sc.s[k] == '&' || sc.s[k] == '>') sc.at_special(k);
    const std::size_t next = sc.at_special(stop);
    c.sync_in(sc);
    return next;
}

// The counts of one sixteen-byte block at i from its bit masks, without visiting each tag.
// Within a block the depth bound adds all its start tags before any end tag, so it may
// overestimate by a few levels, never underestimate; because that bound depends on the block
// size, every block loop counts sixteen bytes at a time (the AVX2 one in two halves), and
// the answer is the same whichever runs.
// References are checked where they are (escaped HTML is full of them), without leaving the
// block loop; only the first bad one is kept.
[[gnu::always_inline]] inline void count_block(Scanner& sc, BlockCounters& c, std::size_t i, unsigned m_lt,
                                               unsigned m_amp, unsigned m_close, unsigned m_open,
                                               unsigned m_empty) {
    for (unsigned m = m_amp; m && sc.scan.bad_reference.empty(); m &= m - 1) {
        const std::size_t at = i + static_cast<std::size_t>(std::countr_zero(m));
        if (!is_xml_escape(sc.s, at)) sc.scan.bad_reference = check_reference(sc.s, at);
    }
    auto count = [](unsigned x) { return static_cast<std::ptrdiff_t>(__builtin_popcount(x)); };
    c.tags += static_cast<std::size_t>(count(m_lt));
    c.d += count(m_open);
    c.max_depth = std::max(c.max_depth, static_cast<std::size_t>(c.d));
    c.d = std::max<std::ptrdiff_t>(0, c.d - count(m_close) - count(m_empty));
}
#endif

#if defined(__x86_64__) && defined(__GNUC__)
#define WW_SCAN_AVX2 1
// Thirty-two bytes per load where the CPU has AVX2 (checked at run time): the blocks without
// '<', '&' or '/' (text) are skipped twice as fast, and the masks of the others are built
// once for both halves. Returns where it stopped (fewer than 33 bytes before the end).
__attribute__((target("avx2,popcnt"))) std::size_t scan_blocks_avx2(Scanner& sc, BlockCounters& counters,
                                                                      std::size_t i) {
    // A local copy whose address never escapes, so that the counters stay in registers
    // across the calls of check_reference; written back at the end and around through_bang.
    BlockCounters c = counters;
    auto bang_at = [&](std::size_t from, std::size_t stop) {
        counters = c;
        const std::size_t next = through_bang(sc, counters, from, stop);
        c = counters;
        return next;
    };
    const std::string_view s = sc.s;
    const std::size_t n = s.size();
    // No lambdas here: they would not inherit the function's target and could not use AVX2.
    const __m256i lt = _mm256_set1_epi8('<'), amp = _mm256_set1_epi8('&'), gt = _mm256_set1_epi8('>');
    const __m256i slash = _mm256_set1_epi8('/'), bang = _mm256_set1_epi8('!'), q = _mm256_set1_epi8('?');
#define WW_BITS(m) static_cast<unsigned>(_mm256_movemask_epi8(m))
#define WW_LOAD(k) _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.data() + (k)))
    while (i + 33 <= n) {
        const __m256i v = WW_LOAD(i);
        const __m256i is_lt = _mm256_cmpeq_epi8(v, lt), is_amp = _mm256_cmpeq_epi8(v, amp);
        const __m256i is_slash = _mm256_cmpeq_epi8(v, slash);
        const unsigned any = WW_BITS(_mm256_or_si256(_mm256_or_si256(is_lt, is_amp), is_slash));
        if (!any) {
            i += 32;
            continue;
        }
        const __m256i nx = WW_LOAD(i + 1);
        const unsigned m_lt = WW_BITS(is_lt), m_amp = WW_BITS(is_amp);
        const unsigned m_bang = m_lt & WW_BITS(_mm256_cmpeq_epi8(nx, bang));
        const unsigned m_close = m_lt & WW_BITS(_mm256_cmpeq_epi8(nx, slash));
        const unsigned m_open = m_lt & ~m_close & ~WW_BITS(_mm256_cmpeq_epi8(nx, q));
        const unsigned m_empty = WW_BITS(_mm256_and_si256(is_slash, _mm256_cmpeq_epi8(nx, gt)));
        const unsigned low_bang = m_bang & 0xFFFFu;
        if (low_bang) {
            i = bang_at(i, i + static_cast<std::size_t>(std::countr_zero(low_bang)));
            continue;
        }
        count_block(sc, c, i, m_lt & 0xFFFFu, m_amp & 0xFFFFu, m_close & 0xFFFFu, m_open & 0xFFFFu,
                    m_empty & 0xFFFFu);
        if (m_bang) {
            i = bang_at(i + 16, i + static_cast<std::size_t>(std::countr_zero(m_bang)));
            continue;
        }
        count_block(sc, c, i + 16, m_lt >> 16, m_amp >> 16, m_close >> 16, m_open >> 16, m_empty >> 16);
        i += 32;
    }
#undef WW_BITS
#undef WW_LOAD
    counters = c;
    return i;
}
#endif

// One pass over the bytes before pugixml sees them: an upper bound of the element count (so
// that a hostile document is refused before a tree is built for it) and the first reference
// XML does not define. pugixml keeps such references as text (html_to_text decodes the HTML
// ones) but the document was not well-formed: bozo. CDATA and comments are skipped.
// Cloned for CPUs with POPCNT (nearly all x86-64 since 2008): the bit counts below are one
// instruction there and a libgcc call or a dozen instructions elsewhere. Not under
// ThreadSanitizer: the clone's resolver runs while the dynamic loader relocates, before TSan's
// runtime is set up, and its instrumented code crashes there (the binary dies before main).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("popcnt", "default")))
#endif
MarkupScan scan_markup(std::string_view s) {
    Scanner sc{s, {}, 0};
    const std::size_t n = s.size();
    std::size_t i = 0;
#if defined(__SSE2__)
    // Sixteen bytes at a time (after the AVX2 loop where it ran); a block with "<!" (CDATA,
    // comment) goes through the byte-wise path up to it so that its content is skipped.
    BlockCounters counters;
#if defined(WW_SCAN_AVX2)
    if (has_avx2()) i = scan_blocks_avx2(sc, counters, i);
#endif
    BlockCounters c = counters;  // in registers: see scan_blocks_avx2
    const auto set = [](char ch) { return _mm_set1_epi8(ch); };
    const __m128i lt = set('<'), amp = set('&'), gt = set('>'), slash = set('/'), bang = set('!'), q = set('?');
    auto bits = [](__m128i m) { return static_cast<unsigned>(_mm_movemask_epi8(m)); };
    while (i + 17 <= n) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
        const __m128i is_lt = _mm_cmpeq_epi8(v, lt), is_amp = _mm_cmpeq_epi8(v, amp);
        const __m128i is_slash = _mm_cmpeq_epi8(v, slash);
        if (!bits(_mm_or_si128(_mm_or_si128(is_lt, is_amp), is_slash))) {
            i += 16;  // plain text: the common case
            continue;
        }
        const __m128i nx = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i + 1));
        const unsigned m_lt = bits(is_lt);
        const unsigned m_bang = m_lt & bits(_mm_cmpeq_epi8(nx, bang));
        if (m_bang) {
            counters = c;
            i = through_bang(sc, counters, i, i + static_cast<std::size_t>(std::countr_zero(m_bang)));
            c = counters;
            continue;
        }
        const unsigned m_close = m_lt & bits(_mm_cmpeq_epi8(nx, slash));
        const unsigned m_open = m_lt & ~m_close & ~bits(_mm_cmpeq_epi8(nx, q));
        const unsigned m_empty = bits(_mm_and_si128(is_slash, _mm_cmpeq_epi8(nx, gt)));
        count_block(sc, c, i, m_lt, bits(is_amp), m_close, m_open, m_empty);
        i += 16;
    }
    c.sync_out(sc);
#endif
    while (i < n) i = (s[i] == '<' || s[i] == '&' || s[i] == '>') ? sc.at_special(i) : i + 1;
    return sc.scan;
}

// Position of the next start tag `<name` (followed by '>', '/' or white space) at or after pos.
std::size_t find_start_tag(std::string_view s, std::string_view name, std::size_t pos) {
    for (;;) {
        pos = s.find(name, pos);
        if (pos == std::string_view::npos) return pos;
        const std::size_t after = pos + name.size();
        if (after >= s.size()) return std::string_view::npos;
        const char c = s[after];
        if (c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r') return pos;
        pos = after;
    }
}

// After a fatal XML error, pugixml's tree stops at the error, and so would the items. The
// items after it are cut out of the remaining bytes one by one and parsed on their own, so
// that one broken item (an unescaped <br> in a description) costs that item only.
std::size_t salvage_items(std::string_view tail, Format format, Context& ctx) {
    const bool atom = format == Format::atom;
    const std::string_view open = atom ? "<entry" : "<item";
    const std::string_view close = atom ? "</entry>" : "</item>";
    Feed& feed = ctx.feed();
    // The same order as the whole document's: the document's URL, then the channel's link.
    const std::string base = !ctx.document_url().empty() ? ctx.document_url() : feed.link;
    const std::vector<std::string> no_authors;
    std::size_t salvaged = 0;
    for (std::size_t pos = find_start_tag(tail, open, 0); pos != std::string_view::npos && ctx.room_for_item();) {
        const auto next = find_start_tag(tail, open, pos + 1);
        const auto end_tag = tail.find(close, pos);
        const std::size_t end = end_tag != std::string_view::npos && (next == std::string_view::npos || end_tag < next)
                                    ? end_tag + close.size()
                                    : (next == std::string_view::npos ? tail.size() : next);
        pugi::xml_document doc;
        doc.load_buffer(tail.data() + pos, end - pos, pugi::parse_cdata | pugi::parse_escapes, pugi::encoding_utf8);
        XmlTree tree;
        tree_of(doc, tree);
        if (const auto e = tree.document_element()) {
            feed.items.push_back(atom ? read_atom_entry(e, Ns::atom, ctx, base, no_authors)
                                      : read_rss_item(e, format == Format::rdf ? Ns::rss10 : Ns::none, ctx, base));
            ++salvaged;
        }
        pos = next;
    }
    return salvaged;
}

std::string where(const ParseOptions& options) {
    return options.url.empty() ? std::string() : " url=" + std::string(options.url);
}

// The lenient path: the pre-scan for limits and bad references, then pugixml's DOM, which keeps
// what it built before a fatal error; the bytes after such an error are left in `tail` for
// salvage_items. Fills `tree` from `doc`, which must outlive it.
Result<void> read_leniently(std::string& text, const Detected& detected, const ParseOptions& options,
                            Feed& feed, pugi::xml_document& doc, XmlTree& tree, std::string& tail) {
    const auto body = std::string_view(text).substr(detected.root_offset);
    const auto scan = scan_markup(body);
    if (scan.tags > 2 * options.max_elements)  // '<' counts end tags too
        return fail("parse", "feed: more than " + std::to_string(options.max_elements) + " elements" + where(options));
    // pugixml parses without recursion, but what reads the tree should not have to care.
    if (scan.depth > options.max_depth)
        return fail("parse", "feed: nested deeper than " + std::to_string(options.max_depth) + where(options));
    add_reason(feed, scan.bad_reference);

    // pugixml sacrifices the last byte of an in-place buffer as its terminator: a document cut
    // off inside text would lose half a UTF-8 sequence. A newline of our own takes that place.
    // No DTD processing exists in pugixml: entity declarations are never expanded (billion
    // laughs stays a few bytes of text). Whitespace and line ends are folded later anyway.
    const std::size_t body_size = body.size();
    text.push_back('\n');
    const auto result = doc.load_buffer_inplace(text.data() + detected.root_offset, body_size + 1,
                                                pugi::parse_cdata | pugi::parse_escapes,
                                                pugi::encoding_utf8);
    // pugixml leaves the bytes after an error untouched; keep them for salvage_items.
    // (`text` grew by one byte above: views taken before that are not used past this point.)
    const std::string_view parsed(text.data() + detected.root_offset, text.size() - detected.root_offset - 1);
    if (!result && static_cast<std::size_t>(result.offset) < parsed.size())
        tail.assign(parsed.substr(static_cast<std::size_t>(result.offset)));
    if (!result) {
        if (!doc.document_element())
            return fail("parse", std::string("feed: ") + result.description() + where(options));
        // pugixml keeps the tree it built before the error: a truncated feed still has items.
        add_reason(feed, std::string("xml: ") + result.description() + " at offset " +
                             std::to_string(result.offset + static_cast<std::ptrdiff_t>(detected.root_offset)));
    }
    tree_of(doc, tree);
    return {};
}

// Internal DTD entities expanded into a copy of the document from its root on, which both XML
// builders then read (neither processes DTDs); `detected` then points at that copy's start.
void expand_entities(Decoded& decoded, Detected& detected, const ParseOptions& options, Feed& feed) {
    if (detected.root_offset == 0) return;  // no prolog, no DOCTYPE
    thread_local std::string expanded;
    const auto r = expand_internal_entities(decoded.view.substr(0, detected.root_offset),
                                            decoded.view.substr(detected.root_offset),
                                            options.max_text_bytes, expanded);
    if (r.outcome == EntityExpansion::refused) add_reason(feed, r.reason);
    if (r.outcome != EntityExpansion::expanded) return;
    decoded.text.swap(expanded);
    if (expanded.capacity() > (8u << 20)) std::string().swap(expanded);  // one huge feed
    decoded.view = decoded.text;
    detected.root_offset = 0;
}

Result<Feed> read_xml(Decoded& decoded, Detected detected, const ParseOptions& options) {
    Feed feed;
    if (detected.junk) add_reason(feed, "junk before the root element");
    expand_entities(decoded, detected, options, feed);
    // One tree per thread, reused like the decode buffer; it views the decoded text (or `doc`)
    // and is done with before this function returns.
    thread_local XmlTree tree;
    struct Shrink {
        XmlTree& t;
        ~Shrink() { t.shrink_if_larger_than(8u << 20); }
    } shrink{tree};
    pugi::xml_document doc;
    std::string tail;
    const auto body = decoded.view.substr(detected.root_offset);
    // The usual feed is read in one pass; every other document the lenient way, as before.
    if (!options.fast_xml || !read_well_formed(body, options.max_depth, options.max_elements, tree)) {
        // pugixml parses in place: it needs a copy of its own when the text is the body itself.
        if (decoded.view.data() != decoded.text.data()) decoded.text.assign(decoded.view);
        decoded.view = {};  // may be invalidated below
        auto r = read_leniently(decoded.text, detected, options, feed, doc, tree, tail);
        if (!r) return std::unexpected(r.error());
    }
    const auto root = tree.document_element();
    Context ctx(options, feed);
    // Double-encoded UTF-8 always holds a C3 byte (Ã, Â, â): without one, no field is checked.
    const auto text = decoded.view.empty() ? std::string_view(decoded.text) : decoded.view;
    ctx.maybe_double_encoded = std::memchr(text.data(), '\xC3', text.size()) != nullptr;
    const Format format = format_of_root(root.name());
    switch (format) {
        case Format::rss: read_rss(root, ctx); break;
        case Format::rdf: read_rdf(root, ctx); break;
        case Format::atom: read_atom(root, ctx); break;
        case Format::html:
            return fail("not_a_feed", "feed: an HTML page, not a feed" + where(options));
        case Format::json:
        case Format::unknown:
            return fail("not_a_feed", "feed: unknown root element <" + std::string(root.name()) + ">" + where(options));
    }
    if (!tail.empty()) {
        if (const auto n = salvage_items(tail, format, ctx))
            add_reason(feed, std::to_string(n) + " items after the error read one by one");
    }
    if (ctx.names().guessed()) add_reason(feed, "namespace prefix used without a declaration");
    if (feed.hints.ttl_seconds == 0 && ctx.sy_period > 0)
        feed.hints.ttl_seconds = ctx.sy_period / std::max<std::int64_t>(1, ctx.sy_frequency);
    return feed;
}

}  // namespace

Result<Feed> parse(std::string_view body, const ParseOptions& options) {
    if (body.starts_with("\x1f\x8b"))
        return fail("not_a_feed", "feed: gzip-compressed bytes (undecoded Content-Encoding?)" + where(options));
    // One text buffer per thread, reused: pugixml parses in place, so a copy is needed anyway,
    // and a warm buffer avoids page-faulting megabytes in for every feed.
    thread_local Decoded decoded;
    // The body itself when it is UTF-8 already: the one-pass reader never writes to its input.
    decode_to_utf8(body, options.content_type, decoded, /*borrow=*/true);
    struct Trim {
        Decoded& d;
        ~Trim() {
            if (d.text.capacity() > (8u << 20)) std::string().swap(d.text);  // one huge feed
        }
    } trim{decoded};
    const auto detected = detect_format(decoded.view);
    Result<Feed> feed = [&]() -> Result<Feed> {
        switch (detected.format) {
            case Format::json: return read_json_feed(decoded.view.substr(detected.root_offset), options);
            case Format::rss:
            case Format::rdf:
            case Format::atom: return read_xml(decoded, detected, options);
            case Format::html: return fail("not_a_feed", "feed: an HTML page, not a feed" + where(options));
            case Format::unknown: break;
        }
        if (decoded.view.find_first_not_of(" \t\r\n") == std::string_view::npos)
            return fail("not_a_feed", "feed: empty document" + where(options));
        return fail("not_a_feed", "feed: no RSS, Atom or JSON Feed root" + where(options));
    }();
    if (!feed) return feed;
    feed->encoding = decoded.encoding;
    if (!decoded.lenient.empty()) {
        // The charset story goes first: it explains any odd text that follows.
        const auto rest = std::move(feed->bozo_reason);
        feed->bozo_reason.clear();
        add_reason(*feed, "encoding: " + decoded.lenient);
        add_reason(*feed, rest);
    }
    assign_keys(feed->items);
    return feed;
}

}  // namespace ww::feed
