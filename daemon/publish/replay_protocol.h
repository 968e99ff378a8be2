#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

// The replay protocol of docs/protocol.md, as pure functions shared by server and client.
namespace ww::publish {

inline constexpr std::string_view kReplayVerb = "REPLAY";
inline constexpr std::string_view kAlertVerb = "ALERT";
inline constexpr std::string_view kEndVerb = "END";
inline constexpr std::string_view kErrorVerb = "ERROR";
inline constexpr std::string_view kMore = "more";
inline constexpr std::string_view kDone = "done";

// Decimal text of a non-negative seq: digits only, no sign, at most 18 digits.
std::optional<std::int64_t> parse_seq_text(std::string_view text);

struct ReplayRequest {
    std::int64_t after = 0;
    std::string prefix;
};
// The frames after the ROUTER's routing id. An error's message is the reason sent back in the
// ERROR frame.
Result<ReplayRequest> parse_replay_request(std::span<const std::string_view> frames);

// What the server answers, decided from what the log holds.
struct ReplayPlan {
    std::optional<std::string> error;  // send ERROR with this reason and nothing else
};
ReplayPlan plan_replay(const ReplayRequest& request, std::int64_t earliest_seq,
                       std::int64_t last_seq);

// The reason of a "pruned" error starts with "pruned earliest=<seq>"; clients read it back
// (also from a longer message that quotes the reason).
std::optional<std::int64_t> pruned_earliest(std::string_view reason);

// The top-level "seq" of an envelope without a full JSON parse (replay of 100k alerts must
// stay cheap); nullopt when there is none or the text is not an object.
std::optional<std::int64_t> envelope_seq(std::string_view json);

}  // namespace ww::publish
