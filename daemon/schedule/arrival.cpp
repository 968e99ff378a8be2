#include "schedule/arrival.h"

#include <algorithm>

namespace ww::schedule {
namespace {

Seconds clamp_interval(const Policy& p, Seconds s) {
    return std::clamp(s, p.min_interval, std::max(p.min_interval, p.max_interval));
}

}  // namespace

Seconds learn_interval(const Policy& policy, Seconds learned, Seconds since_last,
                       std::size_t new_items) {
    if (new_items == 0) return learned;
    const double observed = static_cast<double>(since_last.count()) / static_cast<double>(new_items);
    const double previous = learned.count() > 0 ? static_cast<double>(learned.count()) : observed;
    const double mean = policy.ewma_weight * observed + (1.0 - policy.ewma_weight) * previous;
    return clamp_interval(policy, Seconds(static_cast<long long>(mean)));
}

std::optional<Seconds> estimate_from_dates(const Policy& policy, std::vector<SysSeconds> dates,
                                           SysSeconds now) {
    std::erase_if(dates, [&](SysSeconds d) { return d > now; });
    std::sort(dates.begin(), dates.end());
    dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
    if (dates.size() < 2) return std::nullopt;
    const auto span = dates.back() - dates.front();
    return clamp_interval(policy, span / static_cast<long long>(dates.size() - 1));
}

}  // namespace ww::schedule
