// libFuzzer target: the configuration loader on arbitrary text. toml++ comes from Debian,
// built with -DNDEBUG, so its internal asserts do not fire on malformed input; what is explored
// is our reading of the parsed tree (types, ranges, durations, names, locations). Invariant: a
// rejected config always says why, and every problem has a location in the named file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto loaded = ww::config::load_string(text, "fuzz.toml");
    if (loaded) return 0;
    if (loaded.error().empty()) __builtin_trap();
    for (const auto& p : loaded.error()) {
        if (p.where.file != "fuzz.toml" || p.message.empty()) __builtin_trap();
        if (!ww::config::to_string(p).starts_with("fuzz.toml")) __builtin_trap();
    }
    return 0;
}
