// The whole parse path: bytes plus a Content-Type. The first line of the input (up to 100
// bytes) is the Content-Type, the rest the body, so that the fuzzer explores charset labels
// too. Seeds: tests/fixtures/feed/ (whole files: their first line becomes the type).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/text.h"
#include "feed/json_out.h"
#include "feed/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    const auto nl = in.substr(0, 100).find('\n');
    const auto content_type = nl == std::string_view::npos ? std::string_view{} : in.substr(0, nl);
    const auto body = nl == std::string_view::npos ? in : in.substr(nl + 1);
    ww::feed::ParseOptions options;
    options.content_type = content_type;
    options.url = "http://fuzz.example/feed/";
    options.max_items = 1000;
    const auto feed = ww::feed::parse(body, options);
    if (!feed) return 0;
    // Everything the parser hands out must be valid UTF-8 with its keys assigned.
    for (const auto& item : feed->items) {
        if (item.key.empty() || !ww::utf8_valid(item.title) || !ww::utf8_valid(item.summary) ||
            !ww::utf8_valid(item.content))
            __builtin_trap();
    }
    if (!ww::utf8_valid(feed->title) || !ww::utf8_valid(feed->description)) __builtin_trap();
    (void)ww::feed::feed_to_json(*feed);
    return 0;
}
