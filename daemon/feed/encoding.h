#pragma once

#include <string>
#include <string_view>

namespace ww::feed {

// The charset a byte-order mark announces ("utf-8", "utf-16le", "utf-16be", "utf-32le",
// "utf-32be") and its length, or an empty name.
struct Bom {
    std::string_view charset;
    std::size_t length = 0;
};
Bom detect_bom(std::string_view bytes);

// UTF-16/32 without a BOM, recognised from how "<?" is laid out (XML 1.0 appendix F).
std::string_view sniff_wide_charset(std::string_view bytes);

// An EBCDIC document, recognised from "<?xml" in EBCDIC (4C 6F A7 94, XML 1.0 appendix F):
// the label its declaration names, read through CP037 (the declaration's characters are the
// same in every EBCDIC code page), when iconv opens it; else "cp037". Empty when not EBCDIC.
std::string sniff_ebcdic_charset(std::string_view bytes);

// The charset parameter of a Content-Type, lower-cased and unquoted; empty when absent.
std::string charset_param(std::string_view content_type);

// The encoding="..." of an XML declaration at the start of an ASCII-compatible document.
std::string declared_charset(std::string_view bytes);

// A charset label -> the name iconv knows, following the WHATWG Encoding Standard's label table
// where it differs (gb2312 -> GBK, iso-8859-1 -> windows-1252, ...). Lower-case in, iconv out.
std::string iconv_name(std::string_view label);

// The RFC 7303 precedence: BOM, then the HTTP charset, then the XML declaration, then UTF-8.
// Pure: returns the label to try first and where it came from ("bom", "http", "xml", "default").
struct CharsetChoice {
    std::string charset;
    std::string source;
};
CharsetChoice choose_charset(std::string_view bom, std::string_view http, std::string_view xml);

struct Decoded {
    // The UTF-8 text, BOM removed, invalid sequences replaced by U+FFFD: `text`, or, when the
    // caller allowed it and the body was UTF-8 as it stands, the body itself after its BOM.
    std::string_view view;
    std::string text;      // the decoded copy, when one was made
    std::string encoding;  // the charset the bytes were read as, lower-case
    std::string lenient;   // why the declared charset was not used as is, empty when it was
};

// Bytes + Content-Type -> UTF-8 text (in `text`; `view` is left empty). Never fails: a
// declaration that lies gives way to valid UTF-8, an unknown charset to UTF-8 (then
// windows-1252), invalid bytes become U+FFFD.
Decoded decode_to_utf8(std::string_view body, std::string_view content_type);
// The same into `out`, reusing the capacity of out.text (the parser keeps one per thread, so
// that a fresh multi-megabyte buffer is not page-faulted in for every feed).
// With `borrow`, a body that is UTF-8 already is not copied (out.view points into it, and must
// not outlive it).
void decode_to_utf8(std::string_view body, std::string_view content_type, Decoded& out, bool borrow = false);

// True when s is well-formed UTF-8 (fast path for ASCII).
bool is_utf8(std::string_view s);
// out = s (resized, capacity reused); true when s is well-formed UTF-8. The same answer as
// is_utf8, in the pass that makes the copy.
bool copy_if_utf8(std::string_view s, std::string& out);

}  // namespace ww::feed
