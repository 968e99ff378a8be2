#include "schedule/host_gate.h"

#include <cctype>

namespace ww::schedule {

void HostGate::hold(std::string_view host, SysSeconds until) {
    auto [it, inserted] = until_.try_emplace(std::string(host), until);
    if (!inserted && it->second < until) it->second = until;
}

std::optional<SysSeconds> HostGate::held_until(std::string_view host, SysSeconds now) const {
    auto it = until_.find(std::string(host));
    if (it == until_.end() || it->second <= now) return std::nullopt;
    return it->second;
}

void HostGate::prune(SysSeconds now) {
    std::erase_if(until_, [&](const auto& entry) { return entry.second <= now; });
}

std::string host_of(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return {};
    auto rest = url.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
    if (!rest.empty() && rest.front() == '[') {
        rest = rest.substr(0, rest.find(']') == std::string_view::npos ? rest.size()
                                                                        : rest.find(']') + 1);
    } else {
        rest = rest.substr(0, rest.find(':'));
    }
    std::string host(rest);
    for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return host;
}

}  // namespace ww::schedule
