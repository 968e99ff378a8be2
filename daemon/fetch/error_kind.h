#pragma once

#include <string_view>

namespace ww::fetch {

// What the client knew about a failed transfer besides curl's code.
struct TransferFacts {
    int curl_code = 0;        // CURLcode
    bool blocked = false;     // the address guard refused a connection
    bool too_large = false;   // the body or header cap stopped the transfer
};

// The stable error kind for a failed transfer (see HttpClient::get): "dns", "connect", "tls",
// "timeout", "too_large", "redirects", "blocked", "reset" or "protocol".
std::string_view error_kind_of(const TransferFacts& facts);

}  // namespace ww::fetch
