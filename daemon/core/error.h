#pragma once

#include <expected>
#include <string>
#include <utility>

namespace ww {

// An expected failure: a stable machine-readable kind ("dns", "timeout", "not_a_feed",
// "config") and a human message that starts with its module ("fetch: ...").
struct Error {
    std::string kind;
    std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string kind, std::string message) {
    return std::unexpected<Error>(Error{std::move(kind), std::move(message)});
}

}  // namespace ww
