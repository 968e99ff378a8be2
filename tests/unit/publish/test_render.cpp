#include "publish/render.h"

#include <gtest/gtest.h>

#include "core/alert.h"
#include "core/time.h"

namespace ww::publish {
namespace {

TEST(Render, ReadableTwoLines) {
    Alert a;
    a.seq = 12;
    a.detected_at = *parse_rfc3339("2026-11-27T14:05:00Z");
    a.watchlist = "china-russia-security";
    a.feed = {1, "World", "http://x/feed"};
    a.item.title = "Russia and China deepen security co-operation";
    a.item.link = "http://x/1";
    a.match = {{"china", "russia"}, {"title", "summary"}, ""};
    EXPECT_EQ(render_alert_text("alert.china-russia-security", to_envelope_json(a)),
              "#12 2026-11-27T14:05:00Z china-russia-security: Russia and China deepen security "
              "co-operation\n    http://x/1 | World | matched china, russia in title, summary\n");
}

TEST(Render, AnUnreadableEnvelopeIsShownFlagged) {
    const auto text = render_alert_text("alert.x", "not json");
    EXPECT_TRUE(text.starts_with("[unreadable alert.x: envelope:")) << text;
    EXPECT_TRUE(text.ends_with("not json\n"));
}

}  // namespace
}  // namespace ww::publish
