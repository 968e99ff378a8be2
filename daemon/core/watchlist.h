#pragma once

#include <string>
#include <vector>

namespace ww {

struct Watchlist {
    std::string name;   // [a-z0-9-]+, unique
    std::string query;  // the query text as written
    std::vector<std::string> feeds;  // restrict to these feed names; empty = all feeds
    bool enabled = true;
};

}  // namespace ww
