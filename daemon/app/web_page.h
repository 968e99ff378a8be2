#pragma once

#include <string_view>

namespace ww::app {

// The web page served at / (docs/web.md): daemon/app/web/index.html, built into the binary
// (no file to install, nothing fetched from elsewhere).
std::string_view web_page_html();

}  // namespace ww::app
