#pragma once

#include <cstddef>
#include <string_view>

namespace ww::match {

// Calls f(line, line_no) for each line of a text file's contents (numbered from 1, without
// its '\n' or a '\r' before it): the reader of the stem overrides, the entity table and the
// Debian data files alike.
template <class F>
void for_each_line(std::string_view text, F f) {
    std::size_t line_no = 0;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        f(line, line_no);
    }
}

}  // namespace ww::match
