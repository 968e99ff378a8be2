// html_to_text and fold_text on arbitrary bytes: no crash, no runaway output, and valid UTF-8
// in gives valid UTF-8 out with no leading or trailing whitespace.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/text.h"
#include "feed/html_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    for (const auto& out : {ww::feed::html_to_text(in), ww::feed::fold_text(in)}) {
        // A reference never grows ("&#x10FFFF;" is 10 bytes for 4), but a stray byte that is
        // read as windows-1252 does (0x80 is "€", three bytes: docs/parsing.md), and a C1
        // control mapped the same way grows from two bytes to three: at most three bytes out
        // for each byte in.
        if (out.size() > 3 * in.size() + 4) __builtin_trap();
        if (!out.empty() && (out.front() == ' ' || out.front() == '\n' || out.back() == ' ' ||
                             out.back() == '\n'))
            __builtin_trap();
        if (ww::utf8_valid(in) && !ww::utf8_valid(out)) __builtin_trap();
    }
    return 0;
}
