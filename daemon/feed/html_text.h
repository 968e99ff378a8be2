#pragma once

#include <string>
#include <string_view>

namespace ww::feed {

// HTML (or plain text with entities) -> plain text: tags removed, script/style dropped, block
// elements become '\n', entities decoded, whitespace folded, C1 controls read as windows-1252.
// With `repair`, a string that is consistently double-encoded UTF-8 (`â€¦`) is put back; the
// parser turns it off for documents without a single C3 byte, where it cannot apply.
std::string html_to_text(std::string_view html, bool repair = true);

// Plain text -> the same folded form (runs of whitespace become one space, ends trimmed), with
// no tag or entity interpretation: for fields that declare themselves text (Atom type="text").
std::string fold_text(std::string_view text, bool repair = true);

}  // namespace ww::feed
