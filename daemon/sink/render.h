#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <wirewatch/plugin.h>

#include "core/error.h"

namespace ww::sink {

enum class Escape { none = WW_ESCAPE_NONE, html = WW_ESCAPE_HTML, slack = WW_ESCAPE_SLACK, markdown = WW_ESCAPE_MARKDOWN };

std::string escape_text(std::string_view text, Escape e);

// Breaks every mass mention a chat service acts on (@channel @all @here @everyone, Matrix's
// @room, Slack's <!channel> <!here> <!everyone>) with a zero-width joiner (U+200D) after the
// '@' or '<', so that the word still reads the same but no longer pings a whole room.
std::string neutralize_mentions(std::string_view text);

// Feed text made fit for a chat message: C1 controls and bidi overrides removed
// (core/text.h), then mentions neutralised. Applied to every feed-supplied field.
std::string chat_text(std::string_view text);

// UTF-16 code units of `text` (what Telegram, Discord and JavaScript count).
std::size_t utf16_length(std::string_view text);
// Visible UTF-16 length: for html and slack markup, an entity counts one and a tag none.
std::size_t visible_length(std::string_view text, Escape e);

// Cuts `text` to at most `max_units` visible UTF-16 units including `ellipsis`. Never cuts
// inside a UTF-8 sequence, an entity or a tag; for html, closes the tags left open.
std::string cut_text(std::string_view text, std::size_t max_units, std::string_view ellipsis, Escape e);

// Renders a mustache template against an alert (variables listed in plugin.h). Feed text goes
// through chat_text, the link through safe_link (http/https only, else has_link is false) and
// the feed URL through redact_url, whatever the caller passes. When max_units
// is set the summary and snippet are shortened first, then the whole text is cut.
Result<std::string> render_alert(std::string_view tmpl, Escape e, std::size_t max_units,
                                 std::string_view ellipsis, const ww_alert& alert);

}  // namespace ww::sink
