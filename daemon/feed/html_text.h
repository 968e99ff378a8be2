#pragma once

#include <string>
#include <string_view>

namespace ww::feed {

// HTML (or plain text with entities) -> plain text: tags removed, script/style dropped, block
// elements become '\n', entities decoded, whitespace folded.
std::string html_to_text(std::string_view html);

}  // namespace ww::feed
