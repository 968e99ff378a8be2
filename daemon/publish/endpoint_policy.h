#pragma once

#include <string_view>

#include "core/error.h"

namespace ww::publish {

// True for endpoints only this machine can reach: ipc://, inproc://, and tcp:// on a loopback
// address (127.0.0.0/8, ::1, localhost, the `lo` interface). Wildcards (`*`, 0.0.0.0, ::) and
// every other host are not local.
bool is_local_endpoint(std::string_view endpoint);

// DESIGN.md section 4: a non-local bind without CURVE is refused unless explicitly allowed.
// `what` names the setting in the message ("endpoint", "replay_endpoint").
Result<void> check_bind_allowed(std::string_view what, std::string_view endpoint, bool curve,
                                bool allow_insecure);

}  // namespace ww::publish
