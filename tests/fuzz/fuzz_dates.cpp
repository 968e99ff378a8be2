// parse_date on arbitrary text: no crash, and whatever it accepts survives a round trip
// through RFC 3339 unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/time.h"
#include "feed/dates.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    const auto t = ww::feed::parse_date(in);
    if (!t) return 0;
    const auto text = ww::format_rfc3339(*t);
    const auto again = ww::feed::parse_date(text);
    if (!again || *again != *t) __builtin_trap();
    return 0;
}
