// libFuzzer target for what the replay server and its clients parse from the network: the
// frames of a REPLAY request (split at NUL bytes here), envelopes read for their seq, ERROR
// reasons and key files. None may crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "publish/curve.h"
#include "publish/replay_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::vector<std::string_view> frames;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= input.size(); ++i) {
        if (i == input.size() || input[i] == '\0') {
            frames.push_back(input.substr(start, i - start));
            start = i + 1;
        }
    }
    if (auto request = ww::publish::parse_replay_request(frames)) {
        // Whatever parses must be a request the planner can answer.
        (void)ww::publish::plan_replay(*request, 1, request->after);
        if (request->after < 0) __builtin_trap();
    }
    (void)ww::publish::envelope_seq(input);
    (void)ww::publish::pruned_earliest(input);
    (void)ww::publish::parse_key_text(input, "fuzz");
    return 0;
}
