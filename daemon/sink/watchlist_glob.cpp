#include "sink/watchlist_glob.h"

namespace ww::sink {

bool glob_match(std::string_view pattern, std::string_view name) {
    // Iterative matcher with one backtrack point: linear in practice, no recursion blow-up.
    std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
            ++p;
            ++n;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = n;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            n = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

bool routes_to(const std::vector<std::string>& globs, std::string_view watchlist) {
    if (globs.empty()) return true;
    for (const auto& g : globs)
        if (glob_match(g, watchlist)) return true;
    return false;
}

std::string_view watchlist_of_topic(std::string_view topic) {
    // A digest (docs/delivery-policy.md) routes like its watchlist's alerts.
    for (const std::string_view prefix : {std::string_view("alert."), std::string_view("digest.")})
        if (topic.starts_with(prefix)) return topic.substr(prefix.size());
    return topic;
}

}  // namespace ww::sink
