#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ww::feed {

// The code point of an HTML named entity (without '&' and ';'), or 0 when unknown.
char32_t named_entity(std::string_view name);

// Appends code point cp as UTF-8; invalid values (surrogates, > U+10FFFF, NUL) become U+FFFD.
void append_utf8(std::string& out, char32_t cp);

// Decodes a character reference starting at text[0] == '&'. On success appends the text to out
// and returns the number of bytes consumed; returns 0 when it is not a reference (bare '&').
std::size_t decode_reference(std::string_view text, std::string& out);

}  // namespace ww::feed
