#include "schedule/policy.h"

#include <algorithm>

#include "schedule/arrival.h"
#include "schedule/backoff.h"
#include "schedule/skip_window.h"

namespace ww::schedule {
namespace {

Seconds scaled(Seconds s, double factor) {
    return Seconds(static_cast<long long>(static_cast<double>(s.count()) * factor));
}

Decision after_failure(const Policy& p, const Input& in, Decision d) {
    const auto& r = in.result;
    auto& st = d.state;
    st.last_error_kind = r.error_kind;
    if (r.error_kind == "gone") {
        st.status = FeedStatus::gone;
        d.reason = "gone";
        d.next_check = std::nullopt;
        return d;
    }
    if (in.network_down && is_network_error(r.error_kind)) {
        // Not the feed's fault: keep its streak, come back when the network may be back.
        d.reason = "network_down";
        d.delay = std::max(Seconds(1), scaled(p.network_down_retry, 1.0 + p.jitter * in.jitter));
        d.next_check = in.now + d.delay;
        return d;
    }
    ++st.error_streak;
    d.counted_error = true;
    d.reason = "backoff";
    d.delay = backoff_delay(p, st.error_streak, in.jitter);
    if (r.retry_after) {
        // The server named its price; it is bounded by the cap so a feed is never dropped.
        const auto wait = std::min(*r.retry_after, p.backoff_cap);
        d.host_hold_until = in.now + wait;
        if (wait >= d.delay) {
            d.delay = wait;
            d.reason = "retry_after";
        }
    }
    d.next_check = in.now + d.delay;
    return d;
}

// Updates what the feed taught us about its rhythm; sets d.gap.
void learn(const Policy& p, const Input& in, Decision& d) {
    const auto& r = in.result;
    auto& st = d.state;
    if (r.outcome != Outcome::modified) return;
    if (!st.fetched_before) {
        // Catch-up fetch: the document's own dates are the only history there is.
        if (auto guess = estimate_from_dates(p, r.item_dates, in.now)) st.learned_interval = *guess;
        st.last_arrival_at = in.now;
        return;
    }
    if (r.new_items == 0) return;
    if (st.last_arrival_at) {
        const auto since = std::max(in.now - *st.last_arrival_at, Seconds(0));
        st.learned_interval = learn_interval(p, st.learned_interval, since, r.new_items);
    }
    if (r.items > 0 && r.new_items >= r.items) {
        // Everything is new: older new items fell off the document before we looked, so the
        // real rate is higher than we measured. Poll twice as often.
        d.gap = true;
        const auto base = st.learned_interval.count() > 0 ? st.learned_interval : p.initial_interval;
        st.learned_interval = std::max(p.min_interval, base / 2);
    }
    st.last_arrival_at = in.now;
}

Decision auto_interval(const Policy& p, const Input& in, Decision d) {
    const auto& st = d.state;
    const auto max_interval = std::max(p.min_interval, p.max_interval);
    Seconds base = st.learned_interval.count() > 0 ? st.learned_interval : p.initial_interval;
    if (st.last_arrival_at)
        base = std::max(base, scaled(in.now - *st.last_arrival_at, p.silence_factor));
    base = std::clamp(base, p.min_interval, max_interval);

    // What the publisher asked for is a floor, bounded by max_interval so that a broken ttl
    // (a year) does not stop polling.
    Seconds floor = p.min_interval;
    const auto& r = in.result;
    if (r.hints.ttl_seconds > 0) floor = std::max(floor, Seconds(r.hints.ttl_seconds));
    if (r.freshness) floor = std::max(floor, *r.freshness);
    floor = std::min(floor, max_interval);

    const auto jittered = scaled(base, 1.0 + p.jitter * std::clamp(in.jitter, -1.0, 1.0));
    d.delay = std::clamp(jittered, floor, max_interval);
    d.reason = floor > base ? "hint" : "auto";
    d.next_check = skip_to_allowed(in.now + d.delay, r.hints.skip_hours, r.hints.skip_days);
    return d;
}

}  // namespace

bool is_network_error(std::string_view kind) { return kind == "dns" || kind == "connect"; }

Decision next_check(const Policy& p, const Input& in) {
    Decision d;
    d.state = in.state;
    if (in.result.outcome == Outcome::failed) return after_failure(p, in, std::move(d));

    learn(p, in, d);
    d.state.fetched_before = true;
    d.state.error_streak = 0;
    d.state.last_error_kind.clear();
    d.state.status = FeedStatus::active;
    if (in.interval) {
        d.delay = *in.interval;
        d.reason = "explicit";
        d.next_check = in.now + d.delay;
        return d;
    }
    return auto_interval(p, in, std::move(d));
}

}  // namespace ww::schedule
