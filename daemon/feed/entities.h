#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ww::feed {

// The code point of an HTML named entity (without '&' and ';'), or 0 when unknown.
char32_t named_entity(std::string_view name);

// What windows-1252 has at byte b (0x80..0xFF): the C1 range's printable characters, Latin-1
// above it; 0 for the five bytes windows-1252 leaves undefined (81, 8D, 8F, 90, 9D).
char32_t cp1252_char(unsigned char b);

// Appends code point cp as UTF-8; invalid values (surrogates, > U+10FFFF, NUL) become U+FFFD.
void append_utf8(std::string& out, char32_t cp);

// Decodes a character reference starting at text[0] == '&'. On success appends the text to out
// and returns the number of bytes consumed; returns 0 when it is not a reference (bare '&').
std::size_t decode_reference(std::string_view text, std::string& out);

}  // namespace ww::feed
