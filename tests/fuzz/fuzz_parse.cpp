// The whole parse path: bytes plus a Content-Type. The first line of the input (up to 100
// bytes) is the Content-Type, the rest the body, so that the fuzzer explores charset labels
// too. Seeds: tests/fixtures/feed/ (whole files: their first line becomes the type).
// Differential as well: the one-pass reader for well-formed XML and the lenient path through
// pugixml's DOM must give the same feed (or the same error) for every input.
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
    options.content_location = "../moved/feed.xml";  // the document URL is resolved, then used
    options.max_items = 1000;
    const auto feed = ww::feed::parse(body, options);
    auto lenient_options = options;
    lenient_options.fast_xml = false;
    const auto lenient = ww::feed::parse(body, lenient_options);
    if (feed.has_value() != lenient.has_value()) __builtin_trap();
    if (!feed) {
        if (feed.error().message != lenient.error().message) __builtin_trap();
        return 0;
    }
    if (ww::feed::feed_to_json(*feed) != ww::feed::feed_to_json(*lenient)) __builtin_trap();
    // Everything the parser hands out must be valid UTF-8 with its keys assigned.
    for (const auto& item : feed->items) {
        if (item.key.empty() || !ww::utf8_valid(item.title) || !ww::utf8_valid(item.summary) ||
            !ww::utf8_valid(item.content))
            __builtin_trap();
    }
    if (!ww::utf8_valid(feed->title) || !ww::utf8_valid(feed->description)) __builtin_trap();
    return 0;
}
