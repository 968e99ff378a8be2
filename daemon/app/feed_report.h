#pragma once

#include <string>
#include <vector>

#include "store/store.h"

namespace ww::app {

// The feed status shown by `wirewatch feeds` and /api/feeds: one source for both.
std::string feeds_json(const std::vector<store::FeedState>& feeds);   // a JSON array
std::string feeds_table(const std::vector<store::FeedState>& feeds);  // aligned text, one line a feed

}  // namespace ww::app
