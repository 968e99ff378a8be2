#include "publish/replay_protocol.h"

#include <cstring>

namespace ww::publish {

std::optional<std::int64_t> parse_seq_text(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::int64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

Result<ReplayRequest> parse_replay_request(std::span<const std::string_view> frames) {
    if (frames.empty() || frames[0] != kReplayVerb)
        return fail("replay", "expected REPLAY as the first frame");
    if (frames.size() != 3)
        return fail("replay", "REPLAY takes 3 frames (REPLAY, seq, topic prefix), got " +
                                  std::to_string(frames.size()));
    const auto after = parse_seq_text(frames[1]);
    if (!after)
        return fail("replay", "seq must be decimal digits (0 for everything), got \"" +
                                  std::string(frames[1].substr(0, 40)) + "\"");
    if (frames[2].size() > 256) return fail("replay", "topic prefix longer than 256 bytes");
    return ReplayRequest{*after, std::string(frames[2])};
}

ReplayPlan plan_replay(const ReplayRequest& request, std::int64_t earliest_seq,
                       std::int64_t last_seq) {
    if (request.after + 1 < earliest_seq)
        return {"pruned earliest=" + std::to_string(earliest_seq) + ": alerts after seq " +
                std::to_string(request.after) + " were removed by retention; the earliest seq kept is " +
                std::to_string(earliest_seq)};
    if (request.after > last_seq)
        return {"ahead last=" + std::to_string(last_seq) + ": seq " + std::to_string(request.after) +
                " is beyond the last recorded seq " + std::to_string(last_seq) +
                " (was the state database replaced?)"};
    return {};
}

std::optional<std::int64_t> pruned_earliest(std::string_view reason) {
    constexpr std::string_view kPrefix = "pruned earliest=";
    const auto at = reason.find(kPrefix);
    if (at == std::string_view::npos) return std::nullopt;
    reason.remove_prefix(at + kPrefix.size());
    return parse_seq_text(reason.substr(0, reason.find(':')));
}

std::optional<std::int64_t> envelope_seq(std::string_view json) {
    // A scanner that knows strings and nesting: "seq" counts only as a key of the top-level
    // object, never inside a string or a nested object.
    std::size_t i = 0;
    const auto skip_ws = [&] {
        while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) ++i;
    };
    skip_ws();
    if (i >= json.size() || json[i] != '{') return std::nullopt;
    int depth = 0;
    bool expect_key = false;
    for (; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '"') {
            const std::size_t start = ++i;
            // memchr to the next quote, then count the backslashes before it: envelopes are
            // mostly long strings (the summary), and this keeps replay cheap.
            for (;;) {
                const void* hit = i < json.size() ? std::memchr(json.data() + i, '"', json.size() - i) : nullptr;
                if (!hit) return std::nullopt;
                i = std::size_t(static_cast<const char*>(hit) - json.data());
                std::size_t slashes = 0;
                while (i - slashes > start && json[i - slashes - 1] == '\\') ++slashes;
                if (slashes % 2 == 0) break;
                ++i;
            }
            const std::string_view str = json.substr(start, i - start);
            if (depth == 1 && expect_key) {
                expect_key = false;
                ++i;
                skip_ws();
                if (i >= json.size() || json[i] != ':') return std::nullopt;
                if (str != "seq") continue;
                ++i;
                skip_ws();
                std::size_t end = i;
                while (end < json.size() && json[end] >= '0' && json[end] <= '9') ++end;
                return parse_seq_text(json.substr(i, end - i));
            }
        } else if (c == '{' || c == '[') {
            ++depth;
            expect_key = c == '{' && depth == 1;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) return std::nullopt;
        } else if (c == ',' && depth == 1) {
            expect_key = true;
        }
    }
    return std::nullopt;
}

}  // namespace ww::publish
