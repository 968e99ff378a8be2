#include "schedule/network_health.h"

namespace ww::schedule {

NetworkHealth::NetworkHealth(Seconds window, std::size_t min_hosts)
    : window_(window), min_hosts_(min_hosts) {}

void NetworkHealth::record(std::string_view host, std::string_view error_kind, SysSeconds at) {
    latest_[std::string(host)] = Latest{at, is_network_error(error_kind)};
    // Forget hosts not heard from within the window, amortised over the records.
    if (++records_ % 1024 == 0)
        std::erase_if(latest_, [&](const auto& e) { return e.second.at + window_ < at; });
}

bool NetworkHealth::down(SysSeconds now) const {
    std::size_t recent = 0, failed = 0;
    for (const auto& [host, latest] : latest_) {
        if (latest.at + window_ < now) continue;
        ++recent;
        failed += latest.network_failure;
    }
    return failed >= min_hosts_ && failed * 3 > recent * 2;
}

}  // namespace ww::schedule
