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
// Validators worth storing for the next conditional GET.
struct Validators {
    std::string etag;
    std::string last_modified;
};
Validators validators_of(const Response& r);
// Retry-After as seconds or an HTTP date, relative to now.
std::optional<std::chrono::seconds> retry_after(const Response& r, SysSeconds now);

}  // namespace ww::fetch
