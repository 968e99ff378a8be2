// libFuzzer target: the query language end to end. Any byte string as a query must either be
// rejected with a message naming the watchlist and a column, or compile into an index that
// matches a fixed item without crashing; the canonical form of an accepted query must parse
// again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "match/matcher.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 4096) return 0;
    const std::string query(reinterpret_cast<const char*>(data), size);
    const std::vector<ww::Watchlist> watchlists{{"fuzz", query, {}, true}};
    const auto errors = ww::match::check_query(watchlists[0]);
    const auto built = ww::match::build_index(watchlists);
    if (errors.empty() != built.errors.empty()) __builtin_trap();  // two paths, one verdict
    for (const auto& e : built.errors)
        if (e.message.find("watchlist \"fuzz\": column ") == std::string::npos) __builtin_trap();
    if (built.errors.empty()) {
        const auto canonical = ww::match::canonical_query(watchlists[0]);
        if (!canonical) __builtin_trap();
        if (!ww::match::canonical_query({"fuzz", *canonical, {}, true})) __builtin_trap();
    }
    static const std::vector<std::string> categories{"World", "Trade Policy"};
    static const std::vector<std::string> authors{"Jane Doe"};
    ww::match::ItemView item;
    item.title = "Xi’s visit: U.S. tariffs on Chinese clean-energy goods";
    item.summary = "China and Russia will expand joint drills.\nRussia responds to AT&amp;T";
    item.content = "<p>Talks in Zürich</p><p>Новые санкции против России; 中国和俄罗斯举行联合军演</p>";
    item.link = "https://www.bbc.co.uk/news/x";
    item.categories = categories;
    item.authors = authors;
    // The query text doubles as item text: analysis of arbitrary bytes must hold too.
    item.language = size > 0 && data[0] % 2 ? "ru" : "";
    const auto hits = built.index->match(item);
    const auto brute = built.index->match_brute_force(item);
    if (hits.size() != brute.size()) __builtin_trap();
    ww::match::ItemView echo;
    echo.title = query;
    echo.content = query;
    const auto echo_hits = built.index->match(echo);
    if (echo_hits.size() != built.index->match_brute_force(echo).size()) __builtin_trap();
    return 0;
}
