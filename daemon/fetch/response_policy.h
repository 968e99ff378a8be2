#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "core/item.h"
#include "fetch/http_client.h"

namespace ww::fetch {

// Pure decisions over a response: no curl, no clock of their own.

// false for 304 Not Modified.
bool is_modified(const Response& r);
// Validators worth storing for the next conditional GET. Empty when the response carries
// `Cache-Control: no-store`: the server forbids keeping anything about it, validators included.
struct Validators {
    std::string etag;
    std::string last_modified;
};
Validators validators_of(const Response& r);
// Retry-After as seconds or an HTTP date, relative to now (never negative).
std::optional<std::chrono::seconds> retry_after(const Response& r, SysSeconds now);

// How long the server says the response stays fresh: `Cache-Control: max-age` (which wins),
// else `Expires` minus `Date` (or minus now without Date). `no-cache`, `no-store`, a bad
// Expires or `Expires: 0` mean zero: "fresh for no time", never a reason to poll sooner.
std::optional<std::chrono::seconds> freshness_of(const Response& r, SysSeconds now);

// The per-feed error a completed HTTP exchange stands for, or nullopt when it is usable
// (2xx with a body, or 304). Kinds: "empty" (2xx without a body), "gone" (410),
// "not_found" (404), "denied" (401, 403), "rate_limited" (429), "unavailable" (503),
// "http_4xx", "http_5xx", "http_status" (anything else, e.g. a 3xx left unfollowed).
// `feed` names the feed in the message.
std::optional<Error> status_error(const Response& r, std::string_view feed);

}  // namespace ww::fetch
