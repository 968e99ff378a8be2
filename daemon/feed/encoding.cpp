#include "feed/encoding.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <utility>

#include "core/text.h"
#include "feed/entities.h"

namespace ww::feed {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = lower(c);
    return out;
}

// Move-only owner of an iconv descriptor.
class Iconv {
public:
    static std::optional<Iconv> open(const std::string& from) {
        const iconv_t cd = iconv_open("UTF-8", from.c_str());
        if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
        return Iconv(cd);
    }
    Iconv(Iconv&& other) noexcept : cd_(std::exchange(other.cd_, invalid())) {}
    Iconv& operator=(Iconv&& other) noexcept {
        if (this != &other) {
            reset();
            cd_ = std::exchange(other.cd_, invalid());
        }
        return *this;
    }
    Iconv(const Iconv&) = delete;
    Iconv& operator=(const Iconv&) = delete;
    ~Iconv() { reset(); }

    // Converts everything; an undecodable byte becomes U+FFFD and conversion goes on after it.
    // Returns the number of replacements.
    std::size_t convert(std::string_view in, std::string& out) {
        std::size_t replaced = 0;
        char* src = const_cast<char*>(in.data());
        std::size_t src_left = in.size();
        out.resize(in.size() * 2 + 64);
        std::size_t used = 0;
        iconv(cd_, nullptr, nullptr, nullptr, nullptr);
        while (src_left > 0) {
            if (out.size() - used < 16) out.resize(out.size() * 2);
            char* dst = out.data() + used;
            std::size_t dst_left = out.size() - used;
            const std::size_t r = iconv(cd_, &src, &src_left, &dst, &dst_left);
            used = out.size() - dst_left;
            if (r != static_cast<std::size_t>(-1)) break;
            if (errno == E2BIG) {
                out.resize(out.size() * 2);
            } else if (errno == EILSEQ || errno == EINVAL) {
                if (out.size() - used < 3) out.resize(out.size() + 64);
                std::memcpy(out.data() + used, "\xEF\xBF\xBD", 3);
                used += 3;
                ++src;
                --src_left;
                ++replaced;
                iconv(cd_, nullptr, nullptr, nullptr, nullptr);
            } else {
                break;
            }
        }
        out.resize(used);
        return replaced;
    }

private:
    explicit Iconv(iconv_t cd) : cd_(cd) {}
    static iconv_t invalid() { return reinterpret_cast<iconv_t>(-1); }
    void reset() {
        if (cd_ != invalid()) iconv_close(cd_);
        cd_ = invalid();
    }
    iconv_t cd_;
};

bool is_utf8_label(std::string_view c) { return c == "utf-8" || c == "utf8"; }
bool is_wide(std::string_view c) {
    return c.starts_with("utf-16") || c.starts_with("utf-32") || c.starts_with("ucs-2") ||
           c.starts_with("ucs-4") || c == "unicode" || c == "iso-10646-ucs-2";
}

bool has_high_bytes(std::string_view s) {
    for (const char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return true;
    return false;
}

// The byte at p starts a non-ASCII sequence: the position after it, or nullptr when it is not
// well-formed UTF-8 (overlongs, surrogates and code points past U+10FFFF are not).
const unsigned char* utf8_sequence(const unsigned char* p, const unsigned char* end) {
    const unsigned char c = *p;
    if (c >= 0xC2 && c <= 0xDF) {
        if (end - p < 2 || (p[1] & 0xC0) != 0x80) return nullptr;
        return p + 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return nullptr;
        if (c == 0xE0 && p[1] < 0xA0) return nullptr;  // overlong
        if (c == 0xED && p[1] >= 0xA0) return nullptr;  // surrogate
        return p + 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return nullptr;
        if (c == 0xF0 && p[1] < 0x90) return nullptr;  // overlong
        if (c == 0xF4 && p[1] >= 0x90) return nullptr;  // > U+10FFFF
        return p + 4;
    }
    return nullptr;
}

// Validates the sequences that start in [p, stop) (the last may run on up to `end`): the
// position after the last of them, or nullptr at the first malformed one.
const unsigned char* utf8_validate(const unsigned char* p, const unsigned char* stop,
                                   const unsigned char* end) {
    while (p < stop) {
        if (stop - p >= 16) {
            std::uint64_t a, b;
            std::memcpy(&a, p, 8);
            std::memcpy(&b, p + 8, 8);
            if (((a | b) & 0x8080808080808080ull) == 0) {
                p += 16;
                continue;
            }
        }
        if (*p < 0x80) {
            ++p;
            continue;
        }
        p = utf8_sequence(p, end);
        if (!p) return nullptr;
    }
    return p;
}

#if defined(__SSE2__)
// Bit i set where byte i of the 64 at p is a continuation byte (80-BF), a two-byte lead
// (C2-DF), a three-byte lead that constrains nothing but its continuations (E1-EC, EE-EF), or
// any other non-ASCII byte.
struct HighBytes {
    std::uint64_t cont = 0, lead2 = 0, lead3 = 0, other = 0;
};

HighBytes classify_high(const __m128i (&v)[4]) {
    HighBytes h;
    // As signed bytes: 80-BF are -128..-65, C2-DF -62..-33, E1-EF -31..-17 (ED is -19).
    const __m128i cont_end = _mm_set1_epi8(-64), lead2_start = _mm_set1_epi8(-63);
    const __m128i lead2_end = _mm_set1_epi8(-32), lead3_end = _mm_set1_epi8(-16);
    const __m128i ed = _mm_set1_epi8(static_cast<char>(0xED));
    for (int k = 0; k < 4; ++k) {
        auto bits = [](__m128i m) { return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(m))); };
        const __m128i x = v[k];
        const std::uint64_t high = bits(x);
        const std::uint64_t cont = bits(_mm_cmplt_epi8(x, cont_end));
        const std::uint64_t lead2 = bits(_mm_and_si128(_mm_cmpgt_epi8(x, lead2_start), _mm_cmplt_epi8(x, lead2_end)));
        const std::uint64_t lead3 = bits(_mm_andnot_si128(
            _mm_cmpeq_epi8(x, ed), _mm_and_si128(_mm_cmpgt_epi8(x, lead2_end), _mm_cmplt_epi8(x, lead3_end))));
        h.cont |= cont << (16 * k);
        h.lead2 |= lead2 << (16 * k);
        h.lead3 |= lead3 << (16 * k);
        h.other |= (high & ~cont & ~lead2 & ~lead3) << (16 * k);
    }
    return h;
}

// True when the 64 bytes are certainly well-formed from the masks alone: every lead is a
// two-byte one or an unconstrained three-byte one, each lead's continuations are inside the 64
// bytes, and the continuation bytes are exactly those the leads call for (bytes before `from`
// were validated already and are left out). Anything else (four-byte sequences, E0 and ED,
// a sequence across the end) is for utf8_validate to judge, so this never refuses.
bool plainly_utf8(const HighBytes& h, unsigned from) {
    if (h.other || (h.lead2 >> 63) || (h.lead3 >> 62)) return false;
    const std::uint64_t done = from >= 64 ? ~0ull : (1ull << from) - 1;
    if ((h.lead2 | h.lead3) & done) return false;
    return (h.cont & ~done) == ((h.lead2 << 1) | (h.lead3 << 1) | (h.lead3 << 2));
}
#endif

// With Store, dst = s as well (s.size() bytes of room); without, only the answer.
template <bool Store>
bool copy_and_validate(std::string_view s, unsigned char* dst) {
    const auto* const begin = reinterpret_cast<const unsigned char*>(s.data());
    const auto* const end = begin + s.size();
    const unsigned char* checked = begin;  // sequences before this one are known good
    const unsigned char* p = begin;
#if defined(__SSE2__)
    for (; end - p >= 64; p += 64, dst = Store ? dst + 64 : dst) {
        const auto* v = reinterpret_cast<const __m128i*>(p);
        auto* w = reinterpret_cast<__m128i*>(dst);
        const __m128i a = _mm_loadu_si128(v), b = _mm_loadu_si128(v + 1);
        const __m128i c = _mm_loadu_si128(v + 2), d = _mm_loadu_si128(v + 3);
        if constexpr (Store) {
            _mm_storeu_si128(w, a);
            _mm_storeu_si128(w + 1, b);
            _mm_storeu_si128(w + 2, c);
            _mm_storeu_si128(w + 3, d);
        }
        if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d)))) {
            // Text in Cyrillic, Greek, accented Latin, or English with typographic quotes and
            // dashes (E2 80 xx) is settled from bit masks; the rest sequence by sequence.
            const __m128i block[4] = {a, b, c, d};
            const unsigned from = checked > p ? static_cast<unsigned>(checked - p) : 0;
            if (plainly_utf8(classify_high(block), from)) {
                checked = p + 64;
                continue;
            }
            checked = utf8_validate(std::max(checked, p), p + 64, end);
            if (!checked) {
                // Not UTF-8: the caller replaces the copy, but it is finished so that out
                // never holds uninitialised bytes.
                if constexpr (Store) std::memcpy(dst + 64, p + 64, static_cast<std::size_t>(end - p - 64));
                return false;
            }
        } else if (checked < p + 64) {
            // A sequence of the previous stretch may have ended inside this one; every byte
            // here is ASCII, so it did not (it would have been refused) and none starts here.
            checked = p + 64;
        }
    }
#endif
    if constexpr (Store) std::memcpy(dst, p, static_cast<std::size_t>(end - p));
    return utf8_validate(std::max(checked, p), end, end) != nullptr;
}

// UTF-8 text with stray 8-bit bytes (a UTF-8 feed that pasted in a windows-1252 "don\x92t"):
// each byte that starts no valid sequence is read as windows-1252 would have it, the ones it
// leaves undefined as U+FFFD.
void utf8_mending_cp1252(std::string_view s, std::string& out) {
    out.clear();
    out.reserve(s.size() + s.size() / 8);
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* const end = p + s.size();
    while (p < end) {
        if (*p < 0x80) {
            out.push_back(static_cast<char>(*p++));
            continue;
        }
        if (const auto* next = utf8_sequence(p, end)) {
            out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(next - p));
            p = next;
            continue;
        }
        const char32_t cp = cp1252_char(*p++);
        append_utf8(out, cp ? cp : 0xFFFD);
    }
}

}  // namespace

bool copy_if_utf8(std::string_view s, std::string& out) {
    // The copy pugixml will parse in place is made anyway: validating the bytes while they
    // pass through registers saves reading them a second time. out keeps its old bytes up to
    // here (the caller does not clear it) so that resize zero-fills only what it grows by.
    // (Not resize_and_overwrite: libstdc++ 12 sets the wrong size when it leaves the small
    // string buffer.)
    out.resize(s.size());
    return copy_and_validate<true>(s, reinterpret_cast<unsigned char*>(out.data()));
}

bool is_utf8(std::string_view s) {
    // The copy's validation without the copy: 64 bytes per step while they are ASCII or
    // plainly UTF-8, sequence by sequence otherwise.
    return copy_and_validate<false>(s, nullptr);
}

Bom detect_bom(std::string_view b) {
    if (b.starts_with("\xEF\xBB\xBF")) return {"utf-8", 3};
    if (b.starts_with(std::string_view("\xFF\xFE\x00\x00", 4))) return {"utf-32le", 4};
    if (b.starts_with(std::string_view("\x00\x00\xFE\xFF", 4))) return {"utf-32be", 4};
    if (b.starts_with("\xFF\xFE")) return {"utf-16le", 2};
    if (b.starts_with("\xFE\xFF")) return {"utf-16be", 2};
    return {};
}

std::string_view sniff_wide_charset(std::string_view b) {
    if (b.starts_with(std::string_view("\x00\x00\x00<", 4))) return "utf-32be";
    if (b.starts_with(std::string_view("<\x00\x00\x00", 4))) return "utf-32le";
    if (b.starts_with(std::string_view("\x00<\x00?", 4))) return "utf-16be";
    if (b.starts_with(std::string_view("<\x00?\x00", 4))) return "utf-16le";
    // No declaration: the first markup character still shows the layout.
    if (b.size() >= 4 && b[0] == '\0' && b[1] != '\0' && b[2] == '\0' && b[3] != '\0')
        return "utf-16be";
    if (b.size() >= 4 && b[0] != '\0' && b[1] == '\0' && b[2] != '\0' && b[3] == '\0')
        return "utf-16le";
    return {};
}

std::string sniff_ebcdic_charset(std::string_view b) {
    if (!b.starts_with("\x4C\x6F\xA7\x94")) return {};
    std::string head;
    if (auto cd = Iconv::open("CP037")) cd->convert(b.substr(0, 256), head);
    auto label = declared_charset(head);
    if (label.empty() || is_utf8_label(label) || !Iconv::open(iconv_name(label))) return "cp037";
    return label;
}

std::string charset_param(std::string_view ct) {
    std::size_t pos = 0;
    while ((pos = ct.find(';', pos)) != std::string_view::npos) {
        ++pos;
        while (pos < ct.size() && (ct[pos] == ' ' || ct[pos] == '\t')) ++pos;
        if (ct.size() - pos < 8) return {};
        if (to_lower(ct.substr(pos, 7)) != "charset") continue;
        pos += 7;
        while (pos < ct.size() && ct[pos] == ' ') ++pos;
        if (pos >= ct.size() || ct[pos] != '=') continue;
        ++pos;
        while (pos < ct.size() && ct[pos] == ' ') ++pos;
        std::size_t end = pos;
        if (pos < ct.size() && (ct[pos] == '"' || ct[pos] == '\'')) {
            const char q = ct[pos++];
            end = ct.find(q, pos);
            if (end == std::string_view::npos) end = ct.size();
        } else {
            while (end < ct.size() && ct[end] != ';' && ct[end] != ' ' && ct[end] != '\t') ++end;
        }
        return to_lower(ct.substr(pos, end - pos));
    }
    return {};
}

std::string declared_charset(std::string_view b) {
    // Only a declaration near the start counts; junk before it is tolerated.
    const auto head = b.substr(0, 1024);
    const auto decl = head.find("<?xml");
    if (decl == std::string_view::npos) return {};
    const auto close = head.find("?>", decl);
    const auto d = head.substr(decl, close == std::string_view::npos ? head.npos : close - decl);
    const auto at = d.find("encoding");
    if (at == std::string_view::npos) return {};
    std::size_t pos = at + 8;
    while (pos < d.size() && (d[pos] == ' ' || d[pos] == '=' || d[pos] == '\t')) ++pos;
    if (pos >= d.size() || (d[pos] != '"' && d[pos] != '\'')) return {};
    const char q = d[pos++];
    const auto end = d.find(q, pos);
    if (end == std::string_view::npos || end - pos > 40) return {};
    return to_lower(d.substr(pos, end - pos));
}

std::string iconv_name(std::string_view label) {
    struct Alias {
        std::string_view label;
        std::string_view name;
    };
    // Browsers decode these labels as the superset, and so do the feeds' authors' tools.
    static constexpr Alias kAliases[] = {
        {"gb2312", "GBK"},          {"gb_2312-80", "GBK"},      {"x-gbk", "GBK"},
        {"chinese", "GBK"},         {"csgb2312", "GBK"},        {"iso-ir-58", "GBK"},
        {"big5", "BIG5-HKSCS"},     {"x-x-big5", "BIG5-HKSCS"}, {"cn-big5", "BIG5-HKSCS"},
        {"shift_jis", "CP932"},     {"shift-jis", "CP932"},     {"sjis", "CP932"},
        {"x-sjis", "CP932"},        {"ms_kanji", "CP932"},      {"windows-31j", "CP932"},
        {"euc-kr", "CP949"},        {"ks_c_5601-1987", "CP949"}, {"korean", "CP949"},
        // WHATWG: every label of ISO-8859-1 and US-ASCII is windows-1252 (issue 20, class 5).
        {"iso-8859-1", "WINDOWS-1252"}, {"latin1", "WINDOWS-1252"}, {"l1", "WINDOWS-1252"},
        {"us-ascii", "WINDOWS-1252"}, {"ascii", "WINDOWS-1252"}, {"iso_8859-1", "WINDOWS-1252"},
        {"iso8859-1", "WINDOWS-1252"}, {"iso88591", "WINDOWS-1252"}, {"iso_8859-1:1987", "WINDOWS-1252"},
        {"iso-ir-100", "WINDOWS-1252"}, {"csisolatin1", "WINDOWS-1252"}, {"cp819", "WINDOWS-1252"},
        {"ibm819", "WINDOWS-1252"}, {"x-cp1252", "WINDOWS-1252"}, {"ansi_x3.4-1968", "WINDOWS-1252"},
        {"iso646-us", "WINDOWS-1252"}, {"cp367", "WINDOWS-1252"}, {"ibm367", "WINDOWS-1252"},
        {"csascii", "WINDOWS-1252"}, {"us", "WINDOWS-1252"}, {"latin-1", "WINDOWS-1252"},
        {"iso-8859-9", "WINDOWS-1254"}, {"latin5", "WINDOWS-1254"},
        {"tis-620", "WINDOWS-874"}, {"iso-8859-11", "WINDOWS-874"},
        {"x-mac-roman", "MACINTOSH"}, {"mac", "MACINTOSH"}, {"macintosh", "MACINTOSH"},
        {"macroman", "MACINTOSH"}, {"mac-roman", "MACINTOSH"}, {"x-mac-cyrillic", "MACCYRILLIC"},
        {"x-mac-ukrainian", "MACUKRAINIAN"}, {"x-mac-ce", "MAC-CENTRALEUROPE"},
        {"x-mac-centraleurroman", "MAC-CENTRALEUROPE"}, {"x-mac-centraleurope", "MAC-CENTRALEUROPE"},
        {"maccentraleurope", "MAC-CENTRALEUROPE"}, {"x-mac-icelandic", "MAC-IS"},
        {"macicelandic", "MAC-IS"}, {"x-mac-sami", "MAC-SAMI"},
        // IBM's EBCDIC pages under the names Java and Windows give them.
        {"ibm37", "CP037"}, {"ibm-37", "CP037"}, {"cp37", "CP037"}, {"ibm-037", "CP037"},
        {"x-ibm037", "CP037"}, {"ibm-500", "CP500"}, {"x-ibm500", "CP500"}, {"ibm-875", "CP875"},
        {"x-ibm875", "CP875"}, {"ibm-1047", "IBM1047"}, {"x-ibm1047", "IBM1047"},
        {"ebcdic", "CP037"}, {"ebcdic-us", "CP037"},
        {"x-euc-jp", "EUC-JP"},     {"unicode-1-1-utf-8", "UTF-8"}, {"utf8", "UTF-8"},
        {"koi8_r", "KOI8-R"},       {"cp1251", "WINDOWS-1251"}, {"cp1252", "WINDOWS-1252"},
        {"utf-16", "UTF-16"},       {"ucs-2", "UTF-16"},        {"unicode", "UTF-16"},
    };
    const auto l = to_lower(label);
    for (const auto& a : kAliases)
        if (a.label == l) return std::string(a.name);
    std::string out(l);
    for (auto& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    return out;
}

CharsetChoice choose_charset(std::string_view bom, std::string_view http, std::string_view xml) {
    if (!bom.empty()) return {std::string(bom), "bom"};
    if (!http.empty()) return {std::string(http), "http"};
    if (!xml.empty()) return {std::string(xml), "xml"};
    return {"utf-8", "default"};
}

Decoded decode_to_utf8(std::string_view body, std::string_view content_type) {
    Decoded out;
    decode_to_utf8(body, content_type, out);
    out.view = {};  // it would view the local's buffer, which a short string does not move
    return out;
}

namespace {

// decode_to_utf8 but for out.view; returns true when the body itself was taken as the text.
bool decode_into(std::string_view body, std::string_view content_type, Decoded& out, bool borrow) {
    // out.text is not cleared: every path below overwrites all of it, and copy_if_utf8 is
    // cheaper over a buffer that already has the size.
    out.encoding.clear();
    out.lenient.clear();
    const Bom bom = detect_bom(body);
    std::string_view wide = bom.charset.empty() ? sniff_wide_charset(body) : std::string_view{};
    const auto bytes = body.substr(bom.length);
    const auto http = charset_param(content_type);
    // EBCDIC is recognised from its bytes like a BOM: an HTTP label could not be right about
    // a document whose "<?xml" no ASCII-compatible charset reads.
    const auto ebcdic = bom.charset.empty() && wide.empty() ? sniff_ebcdic_charset(bytes) : std::string{};
    const auto xml = bom.charset.empty() && wide.empty() ? declared_charset(bytes) : std::string{};
    auto choice = choose_charset(bom.charset.empty() ? wide : bom.charset, http, xml);
    if (!bom.charset.empty() || !wide.empty()) choice.source = bom.charset.empty() ? "sniff" : "bom";
    if (!ebcdic.empty()) choice = {ebcdic, "sniff"};

    std::optional<bool> valid;  // validated once, lazily: most bodies need it exactly once
    auto utf8_ok = [&] {
        if (!valid) valid = is_utf8(bytes);
        return *valid;
    };
    auto take_utf8 = [&](std::string lenient) {
        if (utf8_ok()) out.text.assign(bytes);
        else utf8_mending_cp1252(bytes, out.text);
        out.encoding = "utf-8";
        out.lenient = std::move(lenient);
        if (out.lenient.empty() && !utf8_ok()) out.lenient = "invalid UTF-8 bytes read as windows-1252";
    };
    // A declared wide charset is trusted only when the bytes look wide (NULs in the markup).
    const bool looks_wide = !bom.charset.empty() ? is_wide(bom.charset) : !wide.empty();
    const std::string& label = choice.charset;
    if (is_utf8_label(label) && !looks_wide) {
        // The common case: one pass that validates (and copies, unless the caller can read
        // the body itself). When the bytes are not UTF-8, every path below overwrites out.text.
        valid = borrow ? is_utf8(bytes) : copy_if_utf8(bytes, out.text);
        if (*valid) {
            out.view = bytes;
            out.encoding = "utf-8";
            return borrow;
        }
        // Undeclared or declared UTF-8 but not UTF-8: the XML declaration may tell the truth
        // when HTTP lied, else the old default of the web.
        const std::string fallback = choice.source == "http" && !xml.empty() && !is_utf8_label(xml)
                                         ? xml
                                         : std::string("windows-1252");
        if (choice.source == "default" || choice.source == "http") {
            if (auto cd = Iconv::open(iconv_name(fallback))) {
                cd->convert(bytes, out.text);
                out.encoding = fallback;
                out.lenient = "bytes are not UTF-8; read as " + fallback;
                return false;
            }
        }
        take_utf8({});
        return false;
    }
    if (!looks_wide && is_wide(label)) {
        // "utf-16" declared over bytes that are plainly 8-bit: the declaration lies.
        take_utf8("declared " + label + " but the bytes are 8-bit");
        return false;
    }
    if (!looks_wide && ebcdic.empty() && has_high_bytes(bytes) && utf8_ok()) {
        // RFC 7303 would trust the label, but a valid UTF-8 body under another label is
        // overwhelmingly a mislabelled UTF-8 feed (feedparser and browsers agree).
        take_utf8("declared " + label + " but the bytes are UTF-8");
        return false;
    }
    const bool stateful = label.starts_with("iso-2022") || label == "utf-7" || label == "hz-gb-2312";
    if (!looks_wide && !stateful && !has_high_bytes(bytes)) {
        out.text.assign(bytes);  // ASCII reads the same in every 8-bit charset
        out.encoding = label;
        return false;
    }
    auto cd = Iconv::open(iconv_name(label));
    if (!cd) {
        take_utf8("unknown charset " + label + "; read as UTF-8");
        return false;
    }
    auto replaced = cd->convert(bytes, out.text);
    // iconv's word is not final: glibc opens labels such as "utf-8<junk>" as UTF-8 and passes
    // sequences past U+10FFFF through (found by fuzz_parse). What leaves here is UTF-8.
    if (!is_utf8(out.text)) {
        out.text = utf8_sanitize(out.text);
        replaced = std::max<std::size_t>(replaced, 1);
    }
    out.encoding = label;
    if (replaced) out.lenient = std::to_string(replaced) + " bytes invalid in " + label + " replaced";
    return false;
}

}  // namespace

void decode_to_utf8(std::string_view body, std::string_view content_type, Decoded& out, bool borrow) {
    if (!decode_into(body, content_type, out, borrow)) out.view = out.text;
}

}  // namespace ww::feed
