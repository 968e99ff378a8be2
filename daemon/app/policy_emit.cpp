#include "app/policy_emit.h"

#include <spdlog/spdlog.h>

#include "core/time.h"

namespace ww::app {

std::vector<DueGroup> group_due(const std::vector<store::HeldMatch>& held) {
    std::vector<DueGroup> groups;
    for (const auto& h : held) {
        if (groups.empty() || groups.back().watchlist != h.watchlist || groups.back().kind != h.kind ||
            groups.back().due_at != h.due_at)
            groups.push_back({h.watchlist, h.kind, h.due_at, {}});
        groups.back().entries.push_back({h.id, h.envelope, h.held_at});
    }
    return groups;
}

Result<std::vector<store::RecordedAlert>> emit_due(store::Store& store, const MatchSnapshot& watchlists,
                                                   SysSeconds now) {
    auto held = store.due_held(now);
    if (!held) return std::unexpected(held.error());
    if (held->empty()) return std::vector<store::RecordedAlert>{};
    std::vector<store::HeldEmission> emissions;
    for (auto& group : group_due(*held)) {
        const auto p = watchlists.policies.find(group.watchlist);
        const auto q = watchlists.queries.find(group.watchlist);
        const auto plan = plan_summary(group, p == watchlists.policies.end() ? nullptr : &p->second, now);
        store::HeldEmission e;
        e.watchlist = group.watchlist;
        e.topic = plan.topic;
        e.alert_id = plan.alert_id;
        e.window_until = plan.window_until;
        for (const auto& entry : group.entries) e.held_ids.push_back(entry.id);
        spdlog::info("policy: due watchlist={} kind={} due_at={} matches={}", group.watchlist, group.kind,
                     format_rfc3339(group.due_at), group.entries.size());
        e.render = [group = std::move(group), query = q == watchlists.queries.end() ? std::string() : q->second,
                    alert_id = plan.alert_id, now](std::int64_t seq) {
            return render_summary(group, query, alert_id, seq, now);
        };
        emissions.push_back(std::move(e));
    }
    return store.emit_held(emissions, now);
}

}  // namespace ww::app
