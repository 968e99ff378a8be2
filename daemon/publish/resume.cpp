#include "publish/resume.h"

#include <algorithm>

#include "publish/publisher.h"
#include "publish/replay_protocol.h"

namespace ww::publish {

LiveAction on_live_alert(std::int64_t covered, std::int64_t seq) {
    if (seq <= covered) return LiveAction::drop;
    if (seq == covered + 1) return LiveAction::deliver;
    return LiveAction::replay;
}

bool heartbeat_needs_replay(std::int64_t covered, std::int64_t heartbeat_seq) {
    return heartbeat_seq > covered;
}

struct ResumableSubscriber::Impl {
    ResumableOptions options;
    Subscriber live;
    ReplayClient replay;
    std::int64_t covered = 0;
    bool replay_pending = true;  // the first next() replays from the stored cursor

    void warn(const std::string& text) const {
        if (options.on_warning) options.on_warning(text);
    }

    // Replays everything after `covered`; `target` is a seq known to be committed already
    // (a live alert's or a heartbeat's), so once the log says "done" nothing up to it is
    // missing. A replay that cannot complete stays pending and is retried on the next event.
    Result<void> catch_up(std::int64_t target, std::vector<ReplayedAlert>& out) {
        for (;;) {
            auto page = replay.request(covered, options.prefix);
            if (!page) {
                if (page.error().kind == "pruned") {
                    const auto earliest = pruned_earliest(page.error().message).value_or(covered + 1);
                    warn("alerts " + std::to_string(covered + 1) + ".." + std::to_string(earliest - 1) +
                         " were pruned by the server's retention before they could be delivered");
                    covered = std::max(covered, earliest - 1);
                    continue;
                }
                if (page.error().kind == "replay" && page.error().message.find("ahead last=") != std::string::npos)
                    return std::unexpected(page.error());
                warn(page.error().message + "; will retry");
                replay_pending = true;
                return {};
            }
            for (auto& alert : page->alerts) {
                if (alert.seq <= covered) continue;
                covered = alert.seq;
                out.push_back(std::move(alert));
            }
            if (!page->more) break;
        }
        covered = std::max(covered, target);
        replay_pending = false;
        return {};
    }

    Result<void> handle(const Message& message, std::vector<ReplayedAlert>& out) {
        const auto seq = envelope_seq(message.body);
        if (!seq) {
            warn("ignored a message without a seq on topic " + message.topic);
            return {};
        }
        if (message.topic == kHeartbeatTopic) {
            if (replay_pending || heartbeat_needs_replay(covered, *seq)) return catch_up(*seq, out);
            return {};
        }
        switch (replay_pending ? LiveAction::replay : on_live_alert(covered, *seq)) {
            case LiveAction::drop:
                return {};
            case LiveAction::deliver:
                covered = *seq;
                out.push_back({*seq, message.topic, message.body});
                return {};
            case LiveAction::replay:
                return catch_up(*seq, out);
        }
        return {};
    }
};

Result<ResumableSubscriber> ResumableSubscriber::start(ResumableOptions options,
                                                       std::int64_t covered) {
    options.live.topics = {options.prefix};
    options.live.heartbeats = true;
    // Subscribe first: whatever is published while the replay runs is queued, not lost.
    auto live = Subscriber::connect(options.live);
    if (!live) return std::unexpected(live.error());
    auto replay = ReplayClient::connect(options.replay);
    if (!replay) return std::unexpected(replay.error());
    auto impl = std::unique_ptr<Impl>(
        new Impl{std::move(options), std::move(*live), std::move(*replay), covered, true});
    return ResumableSubscriber(std::move(impl));
}

ResumableSubscriber::ResumableSubscriber(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResumableSubscriber::ResumableSubscriber(ResumableSubscriber&&) noexcept = default;
ResumableSubscriber& ResumableSubscriber::operator=(ResumableSubscriber&&) noexcept = default;
ResumableSubscriber::~ResumableSubscriber() = default;

Result<std::vector<ReplayedAlert>> ResumableSubscriber::next(std::chrono::milliseconds timeout) {
    auto& m = *impl_;
    std::vector<ReplayedAlert> out;
    if (m.replay_pending) {
        if (auto r = m.catch_up(m.covered, out); !r) return std::unexpected(r.error());
        if (!out.empty()) return out;
    }
    auto wait = timeout;
    while (out.size() < m.options.max_per_call) {
        auto message = m.live.receive(wait);
        if (!message) return std::unexpected(message.error());
        if (!*message) break;
        if (auto r = m.handle(**message, out); !r) return std::unexpected(r.error());
        wait = std::chrono::milliseconds(0);  // drain what is already here, then hand back
    }
    return out;
}

std::int64_t ResumableSubscriber::covered() const { return impl_->covered; }

}  // namespace ww::publish
