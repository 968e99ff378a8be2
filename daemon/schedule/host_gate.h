#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/item.h"

namespace ww::schedule {

// "The whole host waits": a 429 or 503 with Retry-After from one feed holds back every feed
// on that host. Pure bookkeeping over times the caller passes in.
class HostGate {
public:
    // Holds `host` until `until`; an earlier hold never shortens a later one.
    void hold(std::string_view host, SysSeconds until);
    // When the host may be fetched again, or nullopt when it may be fetched now.
    std::optional<SysSeconds> held_until(std::string_view host, SysSeconds now) const;
    // Drops holds that have ended (memory stays bounded by the hosts held right now).
    void prune(SysSeconds now);
    std::size_t size() const { return until_.size(); }

private:
    std::unordered_map<std::string, SysSeconds> until_;
};

// The lower-cased host of an absolute URL ("HTTPS://User@Feeds.Example.org:8443/x" ->
// "feeds.example.org"; IPv6 literals keep their brackets), or "" when there is none.
std::string host_of(std::string_view url);

}  // namespace ww::schedule
