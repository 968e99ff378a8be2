#include "sink/apprise_url.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ww::sink {
namespace {

using Options = std::map<std::string, std::string>;

TEST(ParseSinkUrl, EveryScheme) {
    struct Case {
        const char* url;
        const char* hint;
        const char* plugin;
        Options options;
        const char* secret;
    } cases[] = {
        {"slack://T000/B000/XXXX", "", "slack", {{"url", "https://hooks.slack.com/services/T000/B000/XXXX"}}, "XXXX"},
        {"slack://bot@T1/B2/C3/%23news", "", "slack",
         {{"url", "https://hooks.slack.com/services/T1/B2/C3"}, {"channel", "#news"}, {"username", "bot"}}, "C3"},
        {"discord://1234/tok-en", "", "discord", {{"url", "https://discord.com/api/webhooks/1234/tok-en"}}, "tok-en"},
        {"tgram://123456:ABC-def/-100200", "", "telegram", {{"bot_token", "123456:ABC-def"}, {"chat_id", "-100200"}},
         "123456:ABC-def"},
        {"matrixs://syt_tok@matrix.example:8448/!room:example", "", "matrix",
         {{"homeserver", "https://matrix.example:8448"}, {"access_token", "syt_tok"}, {"room_id", "!room:example"}},
         "syt_tok"},
        {"matrix://syt_tok@127.0.0.1:9/%21r%3Ax", "", "matrix",
         {{"homeserver", "http://127.0.0.1:9"}, {"access_token", "syt_tok"}, {"room_id", "!r:x"}}, "syt_tok"},
        {"mmosts://chat.example/sub/path/hooktoken", "", "mattermost",
         {{"url", "https://chat.example/sub/path/hooks/hooktoken"}}, "hooktoken"},
        {"mmost://chat.example:8065/hooktoken", "", "mattermost", {{"url", "http://chat.example:8065/hooks/hooktoken"}},
         "hooktoken"},
        {"ntfy://alerts-topic", "", "ntfy", {{"server", "https://ntfy.sh"}, {"topic", "alerts-topic"}}, ""},
        {"ntfys://me:pa55word@ntfy.example/alerts", "", "ntfy",
         {{"server", "https://ntfy.example"}, {"topic", "alerts"}, {"username", "me"}, {"password", "pa55word"}},
         "pa55word"},
        {"ntfy://127.0.0.1:8080/alerts?token=tk_secret1", "", "ntfy",
         {{"server", "http://127.0.0.1:8080"}, {"topic", "alerts"}, {"token", "tk_secret1"}}, "tk_secret1"},
        {"jsons://hooks.example/in?x=1", "", "webhook", {{"url", "https://hooks.example/in"}, {"x", "1"}}, ""},
        {"https://hooks.slack.com/services/A/B/C", "slack", "slack",
         {{"url", "https://hooks.slack.com/services/A/B/C"}}, "https://hooks.slack.com/services/A/B/C"},
        {"http://127.0.0.1:1/x", "", "webhook", {{"url", "http://127.0.0.1:1/x"}}, ""},
        {"smtp://127.0.0.1:2525", "email", "email", {{"url", "smtp://127.0.0.1:2525"}}, ""},
        {"smtps://relay:s3cr%40t@mail.example", "", "email",
         {{"url", "smtps://mail.example"}, {"username", "relay"}, {"password", "s3cr@t"}}, "s3cr@t"},
        {"mailto://ww:pw1@example.org:2525?to=desk@example.org,night@example.org", "", "email",
         {{"url", "smtp://example.org:2525"}, {"username", "ww"}, {"password", "pw1"}, {"from", "ww@example.org"},
          {"to", "desk@example.org,night@example.org"}},
         "pw1"},
        {"mailtos://ww:pw2@example.org/desk@example.org/night@example.org?smtp=smtp.example.net:587", "", "email",
         {{"url", "smtp://smtp.example.net:587"}, {"starttls", "require"}, {"username", "ww"}, {"password", "pw2"},
          {"from", "ww@example.org"}, {"to", "desk@example.org, night@example.org"}},
         "pw2"},
        {"mailtos://me%40example.org:pw3@smtp.example.org:465", "", "email",
         {{"url", "smtps://smtp.example.org:465"}, {"username", "me@example.org"}, {"password", "pw3"},
          {"from", "me@example.org"}, {"to", "me@example.org"}},
         "pw3"},
        {"mailto://mail.example?from=ww@example.org&to=desk@example.org", "", "email",
         {{"url", "smtp://mail.example"}, {"from", "ww@example.org"}, {"to", "desk@example.org"}}, ""},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.url);
        auto a = parse_sink_url(c.url, c.hint);
        ASSERT_TRUE(a.has_value()) << a.error().message;
        EXPECT_EQ(a->plugin, c.plugin);
        EXPECT_EQ(a->options, c.options);
        if (*c.secret) EXPECT_NE(std::ranges::find(a->secrets, c.secret), a->secrets.end());
        // The whole URL is always a secret.
        EXPECT_NE(std::ranges::find(a->secrets, c.url), a->secrets.end());
    }
}

TEST(ParseSinkUrl, ErrorsNeverEchoTheUrl) {
    for (const char* url : {"slack://onlyone-SECRETX", "tgram://SECRETX", "matrixs://host/!r", "mmosts://SECRETX",
                            "gopher://SECRETX/x", "no-scheme-SECRETX"}) {
        auto a = parse_sink_url(url, "");
        ASSERT_FALSE(a.has_value()) << url;
        EXPECT_EQ(a.error().message.find("SECRETX"), std::string::npos) << a.error().message;
        EXPECT_TRUE(a.error().message.starts_with("sink: ")) << a.error().message;
    }
}

TEST(PercentDecode, DecodesAndKeepsBrokenEscapes) {
    EXPECT_EQ(percent_decode("%21room%3Aexample"), "!room:example");
    EXPECT_EQ(percent_decode("100%"), "100%");
    EXPECT_EQ(percent_decode("%zz"), "%zz");
}

}  // namespace
}  // namespace ww::sink
