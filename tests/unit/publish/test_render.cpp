#include "publish/render.h"

#include <gtest/gtest.h>

#include "core/alert.h"
#include "core/time.h"

namespace ww::publish {
namespace {

Alert alert_at(std::int64_t seq, std::string watchlist, AlertFeed feed) {
    Alert a;
    a.seq = seq;
    a.detected_at = *parse_rfc3339("2026-11-27T14:05:00Z");
    a.watchlist = std::move(watchlist);
    a.feed = std::move(feed);
    return a;
}

TEST(Render, ReadableTwoLines) {
    Alert a = alert_at(12, "china-russia-security", {1, "World", "http://x/feed"});
    a.item.title = "Russia and China deepen security co-operation";
    a.item.link = "http://x/1";
    a.match = {{"china", "russia"}, {"title", "summary"}, ""};
    EXPECT_EQ(render_alert_text("alert.china-russia-security", to_envelope_json(a)),
              "#12 2026-11-27T14:05:00Z china-russia-security: Russia and China deepen security "
              "co-operation\n    http://x/1 | World | matched china, russia in title, summary\n");
}

// Issue 16, items 15 and 16: what `wirewatch sub` prints must not drive the terminal or
// reorder text, and only web links are shown, encoded where they would break.
TEST(Render, HostileTextAndLinksAreMadeSafeForATerminal) {
    Alert a = alert_at(3, "w", {1, "", "https://u:pw@x.example/feed?token=s3cret"});
    a.item.title = "Bill \u202Efdp.exe\u202C \u2066iso\u2069 c1\xC2\x9B" "x \x1B[31mred\nforged";
    a.item.link = "javascript:alert(1)";
    const auto text = render_alert_text("alert.w", to_envelope_json(a));
    EXPECT_EQ(text, "#3 2026-11-27T14:05:00Z w: Bill fdp.exe iso c1x  [31mred forged\n"
                    "    https://***@x.example/feed?token=***\n");
    a.item.link = "https://x.example/a b(c)";
    EXPECT_NE(render_alert_text("alert.w", to_envelope_json(a)).find("    https://x.example/a%20b%28c%29 | "),
              std::string::npos);
}

TEST(Render, AnUnreadableEnvelopeIsShownFlagged) {
    const auto text = render_alert_text("alert.x", "not json");
    EXPECT_TRUE(text.starts_with("[unreadable alert.x: envelope:")) << text;
    EXPECT_TRUE(text.ends_with("not json\n"));
}

}  // namespace
}  // namespace ww::publish
