#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/delivery.h"
#include "core/item.h"
#include "core/zone.h"

namespace ww::app {

// A watchlist's delivery policy (docs/delivery-policy.md): `cooldown`, `digest`, `priority`.
struct WatchlistPolicy {
    std::optional<std::chrono::seconds> cooldown;
    std::optional<DigestSpec> digest;
    std::shared_ptr<const ZoneRules> digest_zone;  // loaded with the config; null = UTC
    Priority priority = Priority::normal;

    // True when every match is simply sent now (no store work at all).
    bool immediate() const { return priority == Priority::high || (!cooldown && !digest); }
};

inline constexpr std::string_view kHoldCooldown = "cooldown";
inline constexpr std::string_view kHoldDigest = "digest";

// What to do with one match, given the watchlist's open cooldown window (durable, per
// watchlist) and the policy clock.
struct Disposition {
    bool hold = false;
    std::string kind;       // kHoldCooldown | kHoldDigest, when held
    SysSeconds due_at{};    // when held: the summary or digest that will carry it
    std::optional<SysSeconds> window_until;  // a cooldown window to record (opened by this send)
};

// Pure. priority=high: send, the window untouched. digest: hold for the next digest instant.
// cooldown: hold until the window ends when one is open at `now`; when it has ended but its
// summary is not out yet (`pending_summary_due`, the emission runs once a second) join that
// summary, which will open the next window; else send and open a window of `cooldown`.
Disposition decide(const WatchlistPolicy& policy, std::optional<SysSeconds> window_until, SysSeconds now,
                   std::optional<SysSeconds> pending_summary_due = std::nullopt);

// A held match as the store gives it back.
struct HeldEntry {
    std::int64_t id = 0;
    std::string envelope;  // the match's own envelope, rendered with seq 0
    SysSeconds held_at{};
};

// One summary or digest to emit: every held match of a watchlist with the same kind and due time.
struct DueGroup {
    std::string watchlist;
    std::string kind;
    SysSeconds due_at{};
    std::vector<HeldEntry> entries;
};

// The alert that closes a group: the topic (`alert.<w>` for a cooldown summary, `digest.<w>`
// for a digest), a stable alert_id (the same group always gets the same id, so a retried
// emission can never be recorded twice), and the cooldown window it opens.
struct SummaryPlan {
    std::string topic;
    std::string alert_id;
    std::optional<SysSeconds> window_until;
};
SummaryPlan plan_summary(const DueGroup& group, const WatchlistPolicy* policy, SysSeconds now);

// The summary envelope (wire format v1, so every subscriber and sink can read it; the extra
// `summary` object lists the matches): "7 more matches for <watchlist>" or the digest, whose
// entries are grouped by story id when the envelopes carry one, with sources counted.
std::string render_summary(const DueGroup& group, std::string_view query, std::string_view alert_id,
                           std::int64_t seq, SysSeconds now);

}  // namespace ww::app
