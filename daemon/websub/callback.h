#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.h"

namespace ww::websub {

// application/x-www-form-urlencoded, both ways ('+' is a space; %XX decoded; a bad escape is
// kept as written). Pure.
// Parsed with ww::parse_query_string (core/text.h).
using Params = QueryParams;
std::string form_encode(const Params& params);
std::string_view param(const Params& params, std::string_view name);  // "" when absent

// The body of a subscription request to a hub (WebSub 5.1).
std::string subscription_body(std::string_view mode, std::string_view topic, std::string_view callback,
                              std::string_view secret, std::chrono::seconds lease);

// What the subscriber holds for one callback id, as the verification decision needs it.
enum class Intent { subscribe, unsubscribe };
struct Expected {
    std::string topic;
    Intent intent = Intent::subscribe;
};

// The hub's verification GET or denial, decided (WebSub 5.3, 5.2).
struct VerificationAnswer {
    int status = 404;
    std::string body;  // the challenge when confirmed
    enum class Outcome { refused, subscribed, unsubscribed, denied } outcome = Outcome::refused;
    std::chrono::seconds lease{0};  // when subscribed: what the hub granted
    std::string reason;             // when refused or denied: why (for the log)
};

// `expected` is the subscription behind the callback id, nullopt for an unknown id. A
// challenge is echoed only when the mode is the one we asked for and the topic is ours; a
// subscribe without hub.lease_seconds is refused (the lease could not be renewed in time).
VerificationAnswer answer_verification(const Params& query, const std::optional<Expected>& expected);

}  // namespace ww::websub
