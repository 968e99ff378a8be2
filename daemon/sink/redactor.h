#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ww::sink {

// Replaces every registered secret (tokens, webhook URLs, passwords) with "***" in text bound
// for a log line or an error message. Thread-safe: a plugin may register a secret from its
// sink thread while another line is written.
class Redactor {
public:
    void add(std::string_view secret);
    std::string apply(std::string_view text) const;

private:
    mutable std::mutex mutex_;
    std::vector<std::string> secrets_;  // longest first, so that a secret containing another wins
};

}  // namespace ww::sink
