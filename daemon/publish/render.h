#pragma once

#include <string>
#include <string_view>

namespace ww::publish {

// The readable form of an envelope for `wirewatch sub` and `wirewatch replay`: a header line
// (seq, detection time, watchlist, title) and an indented line with the link, the feed and
// why it matched. Ends with '\n'. An envelope that does not parse is shown raw, flagged.
std::string render_alert_text(std::string_view topic, std::string_view envelope);

}  // namespace ww::publish
