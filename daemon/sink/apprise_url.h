#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace ww::sink {

// What an Apprise-style sink URL stands for: the plugin, the plugin's own keys, and which of
// the values are secrets (tokens) to redact.
struct SinkAddress {
    std::string plugin;
    std::map<std::string, std::string> options;
    std::vector<std::string> secrets;
};

// slack://TokenA/TokenB/TokenC[/#channel]   -> slack    url=https://hooks.slack.com/services/A/B/C
// discord://WebhookID/WebhookToken          -> discord  url=https://discord.com/api/webhooks/ID/TOKEN
// tgram://BotToken/ChatID                   -> telegram bot_token, chat_id
// matrix[s]://AccessToken@host[:port]/RoomID -> matrix  homeserver=http[s]://host[:port], access_token, room_id
// mmost[s]://host[:port][/path]/Token       -> mattermost url=http[s]://host[:port][/path]/hooks/Token
// ntfy[s]://[user:pass@]host/topic, ntfy://topic (ntfy.sh) -> ntfy server, topic[, username, password]
// json[s]://host[:port]/path                -> webhook  url=http[s]://host[:port]/path
// smtp[s]://[user[:pass]@]host[:port]         -> email    url=smtp[s]://host[:port][, username, password]
// mailto[s]://[user[:pass]@]domain[:port][/to...][?to=a,b&from=f&smtp=server] -> email  url, from
//                                            (user@domain), to (path or ?to, else from); mailtos:
//                                            smtps:// on port 465, else starttls = "require"
// http[s]://...                             -> `url` for the plugin named in the table (webhook if none)
// Query parameters (?key=value) become options too. The URL is never echoed in an error.
Result<SinkAddress> parse_sink_url(std::string_view url, std::string_view plugin_hint);

std::string percent_decode(std::string_view s);

}  // namespace ww::sink
