#pragma once

#include <span>
#include <string_view>

namespace ww::store {

// Append-only: migration i takes the schema from version i to i + 1. Never edit a shipped
// entry (databases in the field already ran it); add a new one instead.
std::span<const std::string_view> migrations();

}  // namespace ww::store
