#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "store/store.h"

namespace ww::app {

// How a feed is named in logs and /metrics labels: its configured name, else its URL with
// userinfo and query values redacted (a nameless feed's name is its URL, which may carry a
// token). Two nameless feeds that differ only in their secrets share a label: name them.
std::string feed_label(const config::FeedConfig& feed);

// The feed status shown by `wirewatch feeds` and /api/feeds: one source for both. URLs and
// errors are shown redacted (core/url.h): the status is for people, the secrets stay in the config.
std::string feeds_json(const std::vector<store::FeedState>& feeds);   // a JSON array
std::string feeds_table(const std::vector<store::FeedState>& feeds);  // aligned text, one line a feed
// The same with WebSub subscriptions: a "push" object per feed in JSON, a PUSH column in the
// table (shown only when there is any subscription).
// With the configured feeds (matched by their configured URL), each feed also shows its name
// and its configured interval beside the learned one, and its last error a hint
// (app/error_hints.h).
std::string feeds_json(const std::vector<store::FeedState>& feeds, const std::vector<store::Subscription>& subs,
                       const std::vector<config::FeedConfig>& configured = {});
std::string feeds_table(const std::vector<store::FeedState>& feeds, const std::vector<store::Subscription>& subs,
                        const std::vector<config::FeedConfig>& configured = {});

}  // namespace ww::app
