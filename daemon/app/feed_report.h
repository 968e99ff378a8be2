#pragma once

#include <string>
#include <vector>

#include "store/store.h"

namespace ww::app {

// The feed status shown by `wirewatch feeds` and /api/feeds: one source for both.
std::string feeds_json(const std::vector<store::FeedState>& feeds);   // a JSON array
std::string feeds_table(const std::vector<store::FeedState>& feeds);  // aligned text, one line a feed
// The same with WebSub subscriptions: a "push" object per feed in JSON, a PUSH column in the
// table (shown only when there is any subscription).
std::string feeds_json(const std::vector<store::FeedState>& feeds, const std::vector<store::Subscription>& subs);
std::string feeds_table(const std::vector<store::FeedState>& feeds, const std::vector<store::Subscription>& subs);

}  // namespace ww::app
