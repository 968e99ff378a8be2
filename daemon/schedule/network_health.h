#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "schedule/policy.h"

namespace ww::schedule {

// Tells "the network is down" from "these feeds are broken": when most hosts heard from
// recently failed with DNS or connect errors, those failures say nothing about the feeds.
// Pure bookkeeping: the caller records each fetch's outcome with its time.
class NetworkHealth {
public:
    explicit NetworkHealth(Seconds window = std::chrono::minutes(10), std::size_t min_hosts = 3);

    // error_kind "" for a success (any HTTP answer counts as the network being up).
    void record(std::string_view host, std::string_view error_kind, SysSeconds at);
    // True when, among hosts whose latest outcome is within the window, at least min_hosts
    // failed at the network level and they are more than two thirds of those hosts.
    bool down(SysSeconds now) const;

private:
    struct Latest {
        SysSeconds at;
        bool network_failure;
    };
    Seconds window_;
    std::size_t min_hosts_;
    std::unordered_map<std::string, Latest> latest_;
    std::size_t records_ = 0;
};

}  // namespace ww::schedule
