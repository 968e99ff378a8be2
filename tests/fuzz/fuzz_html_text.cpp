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
        // A reference never grows ("&#x10FFFF;" is 10 bytes for 4), but a bare 0xC2 may
        // stand beside one: bounded by the input either way.
        if (out.size() > in.size() + 4) __builtin_trap();
        if (!out.empty() && (out.front() == ' ' || out.front() == '\n' || out.back() == ' ' ||
                             out.back() == '\n'))
            __builtin_trap();
        if (ww::utf8_valid(in) && !ww::utf8_valid(out)) __builtin_trap();
    }
    return 0;
}
