#pragma once

#include <string>
#include <string_view>

namespace ww::feed {

// HTML (or plain text with entities) -> plain text: tags removed, script/style dropped, block
// elements become '\n', entities decoded, whitespace folded.
std::string html_to_text(std::string_view html);

// Plain text -> the same folded form (runs of whitespace become one space, ends trimmed), with
// no tag or entity interpretation: for fields that declare themselves text (Atom type="text").
std::string fold_text(std::string_view text);

}  // namespace ww::feed
