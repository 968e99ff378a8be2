#pragma once

#include <memory>
#include <string>
#include <vector>

#include <wirewatch/plugin.h>

#include "core/alert.h"
#include "core/error.h"
#include "sink/types.h"

namespace ww::sink {

// An offered alert decoded once and laid out as the C struct handed to plugins. `c` borrows
// from the strings held here, so an AlertView never moves (it lives behind a unique_ptr).
struct AlertView {
    AlertView() = default;
    AlertView(const AlertView&) = delete;
    AlertView& operator=(const AlertView&) = delete;

    Alert alert;
    std::string topic, envelope, published, detected_at;
    std::vector<ww_str> terms, categories, authors;
    ww_alert c{};
};

// The envelope must parse (core/alert.h); its seq must equal the offered seq.
Result<std::unique_ptr<AlertView>> make_alert_view(const OfferedAlert& offered);

inline ww_str to_ww_str(std::string_view s) { return ww_str{s.data(), s.size()}; }

}  // namespace ww::sink
