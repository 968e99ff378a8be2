// libFuzzer target: the OPML reader on arbitrary bytes, then everything the import does with
// what it read. Invariants: a rejection says it comes from the opml reader; whatever is
// accepted plans into [[feed]] tables that the config loader accepts whole (the import writes
// nothing the daemon would refuse); and the export of the planned feeds reads back to the
// same URLs. Seeds: tests/fixtures/opml/.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "feed/opml.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view xml(reinterpret_cast<const char*>(data), size);
    const auto read = ww::feed::read_opml(xml);
    if (!read) {
        if (read.error().kind != "opml" || !read.error().message.starts_with("opml: ")) __builtin_trap();
        return 0;
    }
    const auto plan = ww::feed::plan_import(*read, {}, {});
    if (plan.add.size() + plan.duplicates.size() + plan.invalid.size() != read->size()) __builtin_trap();
    if (!plan.add.empty() && !ww::config::load_string(ww::feed::to_feed_toml(plan.add), "fuzz.toml"))
        __builtin_trap();
    const auto again = ww::feed::read_opml(ww::feed::write_opml(plan.add, "fuzz"));
    if (!again || again->size() != plan.add.size()) __builtin_trap();
    // The export groups feeds by folder, so the order may change; the set of URLs may not.
    std::vector<std::string> before, after;
    for (const auto& f : plan.add) before.push_back(f.url);
    for (const auto& f : *again) after.push_back(f.url);
    std::ranges::sort(before);
    std::ranges::sort(after);
    if (before != after) __builtin_trap();
    return 0;
}
