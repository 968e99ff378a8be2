#pragma once

#include <string>
#include <string_view>

namespace ww {

// The one redactor of URLs shown to people (logs, /api/feeds, /metrics, `wirewatch feeds`,
// sinks): userinfo becomes "***@", every query value "***" (keys stay, they help debugging),
// a fragment "#***"; scheme, host, port and path are kept. Text without "://" is returned as is.
std::string redact_url(std::string_view url);

// True when redact_url would change the URL (it carries userinfo, a query or a fragment).
bool url_has_secret(std::string_view url);

// Redacts every "scheme://..." run inside free text (an error message that quotes a URL).
std::string redact_urls_in(std::string_view text);

// An item link fit for chat services and terminals: http or https only (else ""), surrounding
// whitespace trimmed, the scheme lower-cased, and after the host every byte that breaks
// Markdown, HTML attributes or Slack's <url|text> (space, controls, ( ) < > " ' ` | \ [ ] { } ^,
// non-ASCII) percent-encoded. Existing %XX escapes are kept, so applying it twice is harmless.
std::string safe_link(std::string_view link);

}  // namespace ww
