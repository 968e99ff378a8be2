#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ww::sink {

// Shell-style glob over a watchlist name: `*` any run, `?` one character, everything else
// literal. Watchlist names are [a-z0-9-]+, so no character classes are needed.
bool glob_match(std::string_view pattern, std::string_view name);

// A sink's routing: no globs means every watchlist.
bool routes_to(const std::vector<std::string>& globs, std::string_view watchlist);

// "alert.china-trade" and "digest.china-trade" -> "china-trade"; the topic itself otherwise.
std::string_view watchlist_of_topic(std::string_view topic);

}  // namespace ww::sink
