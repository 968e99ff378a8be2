#include "store/backfill.h"

#include <algorithm>
#include <numeric>

namespace ww::store {

std::vector<bool> select_backfill(const std::vector<std::optional<SysSeconds>>& published,
                                  std::size_t count) {
    std::vector<std::size_t> order(published.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::ranges::stable_sort(order, [&](std::size_t a, std::size_t b) {
        const auto& pa = published[a];
        const auto& pb = published[b];
        if (pa.has_value() != pb.has_value()) return pa.has_value();
        return pa && *pa > *pb;
    });
    std::vector<bool> chosen(published.size(), false);
    for (std::size_t i = 0; i < std::min(count, order.size()); ++i) chosen[order[i]] = true;
    return chosen;
}

}  // namespace ww::store
