#include "sink/redactor.h"

#include <algorithm>

namespace ww::sink {

void Redactor::add(std::string_view secret) {
    // Very short values ("1", "on") would shred every log line while protecting nothing.
    if (secret.size() < 4) return;
    std::lock_guard lock(mutex_);
    if (std::ranges::find(secrets_, secret) != secrets_.end()) return;
    secrets_.emplace_back(secret);
    std::ranges::sort(secrets_, [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

std::string Redactor::apply(std::string_view text) const {
    std::string out(text);
    std::lock_guard lock(mutex_);
    for (const auto& s : secrets_) {
        for (auto pos = out.find(s); pos != std::string::npos; pos = out.find(s, pos + 3))
            out.replace(pos, s.size(), "***");
    }
    return out;
}

}  // namespace ww::sink
