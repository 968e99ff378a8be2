#pragma once

#include <string>
#include <string_view>

namespace ww::app {

// What an operator can do about a feed's error of this kind, in a few words ("" when the error
// says it all). The kinds are the stable ones of fetch (error_kind_of, status_error), feed
// ("not_a_feed", "parse") and store.
std::string_view hint_for(std::string_view kind);

// For a start-up error that an address is in use: which config key to change, and that another
// wirewatchd may hold it ("" for any other error). The listen values tell the two HTTP
// listeners apart, whose errors both read "http: cannot listen on ADDR".
std::string address_in_use_hint(std::string_view message, std::string_view http_listen,
                                std::string_view websub_listen);

}  // namespace ww::app
