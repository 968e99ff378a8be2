#include "sink/render.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "sink/alert_view.h"

namespace ww::sink {
namespace {

TEST(EscapeText, PerService) {
    EXPECT_EQ(escape_text(R"(a<b>&"c")", Escape::html), "a&lt;b&gt;&amp;&quot;c&quot;");
    EXPECT_EQ(escape_text(R"(a<b>&"c")", Escape::slack), R"(a&lt;b&gt;&amp;"c")");
    EXPECT_EQ(escape_text("*bold* _x_ [l](u) `c` a|b", Escape::markdown), R"(\*bold\* \_x\_ \[l\]\(u\) \`c\` a\|b)");
    EXPECT_EQ(escape_text("<as is>", Escape::none), "<as is>");
}

TEST(Utf16Length, CountsCodeUnits) {
    EXPECT_EQ(utf16_length("abc"), 3u);
    EXPECT_EQ(utf16_length("Китай"), 5u);    // 2 bytes each, 1 unit each
    EXPECT_EQ(utf16_length("中国"), 2u);      // 3 bytes each, 1 unit each
    EXPECT_EQ(utf16_length("\xF0\x9F\x93\xB0"), 2u);  // U+1F4F0, a surrogate pair
}

TEST(VisibleLength, EntitiesCountOneTagsNone) {
    EXPECT_EQ(visible_length("<b>a&amp;b</b>", Escape::html), 3u);
    EXPECT_EQ(visible_length("<b>a&amp;b</b>", Escape::none), 14u);
    EXPECT_EQ(visible_length("a & b", Escape::html), 5u);  // a bare & is one character
}

TEST(CutText, NeverInsideASequenceAnEntityOrATag) {
    struct Case {
        const char* text;
        std::size_t max;
        Escape e;
        const char* want;
    } cases[] = {
        {"hello world", 8, Escape::none, "hello w…"},
        {"short", 10, Escape::none, "short"},
        {"Китай Россия", 4, Escape::none, "Кит…"},
        {"中国与俄罗斯", 3, Escape::none, "中国…"},
        {"ab\xF0\x9F\x93\xB0z", 4, Escape::none, "ab…"},  // the pair does not fit in the one unit left
        {"a&amp;b&lt;c", 3, Escape::html, "a&amp;…"},
        {"<b>bold text</b> tail", 6, Escape::html, "<b>bold …</b>"},
        {"<a href=\"https://x/?a=1&amp;b=2\">link text</a>", 5, Escape::html, "<a href=\"https://x/?a=1&amp;b=2\">link…</a>"},
        {"<b>x</b><i>yyyyyy</i>", 3, Escape::html, "<b>x</b><i>y…</i>"},
        {"line<br>next line", 6, Escape::html, "line<br>n…"},
        {"<https://x|title> more", 3, Escape::slack, "<https://x|title> m…"},
    };
    for (const auto& c : cases) {
        const std::string got = cut_text(c.text, c.max, "…", c.e);
        EXPECT_EQ(got, c.want) << c.text << " max " << c.max;
        EXPECT_LE(visible_length(got, c.e), c.max) << got;
        EXPECT_TRUE(utf8_valid(got)) << got;
    }
}

std::unique_ptr<AlertView> sample(std::string summary, std::string snippet = "the snippet") {
    nlohmann::json j = {
        {"v", 1}, {"seq", 5}, {"alert_id", "id5"}, {"detected_at", "2026-11-27T14:05:00Z"},
        {"watchlist", {{"name", "china-trade"}, {"query", "China trade"}}},
        {"feed", {{"id", 1}, {"title", "Wire & Co"}, {"url", "https://w.example/feed"}}},
        {"item", {{"key", "k"}, {"title", "Tariffs <up> & down"}, {"link", "https://w.example/a?x=1&y=2"},
                  {"published", "2026-11-27T13:00:00Z"}, {"authors", {"A"}}, {"categories", {"trade", "china"}},
                  {"summary", summary}, {"language", "en"}}},
        {"match", {{"terms", {"china", "trade"}}, {"fields", {"title"}}, {"snippet", snippet}}},
    };
    return std::move(make_alert_view({5, "alert.china-trade", j.dump()}).value());
}

TEST(RenderAlert, FillsEveryVariableWithTheServicesEscaping) {
    auto v = sample("s");
    const char* tmpl =
        "{{watchlist}}|{{title}}|{{{title}}}|{{link}}|{{feed_title}}|{{published}}|{{terms_text}}|"
        "{{#terms}}[{{.}}]{{/terms}}|{{#categories}}{{.}};{{/categories}}|{{seq}}|{{alert_id}}|"
        "{{#has_snippet}}yes{{/has_snippet}}";
    EXPECT_EQ(render_alert(tmpl, Escape::html, 0, "", v->c).value(),
              "china-trade|Tariffs &lt;up&gt; &amp; down|Tariffs <up> & down|https://w.example/a?x=1&amp;y=2|"
              "Wire &amp; Co|2026-11-27T13:00:00Z|china, trade|[china][trade]|trade;china;|5|id5|yes");
    EXPECT_EQ(render_alert("{{title}}", Escape::none, 0, "", v->c).value(), "Tariffs <up> & down");
}

TEST(RenderAlert, ShortensTheSummaryBeforeCuttingTheStructure) {
    auto v = sample(std::string(500, 'x'));
    const auto out = render_alert("<b>{{title}}</b>\n{{summary}}\n<i>end</i>", Escape::html, 100, "", v->c).value();
    EXPECT_LE(visible_length(out, Escape::html), 100u) << out;
    EXPECT_TRUE(out.starts_with("<b>Tariffs &lt;up&gt; &amp; down</b>\nxxx")) << out;
    EXPECT_TRUE(out.ends_with("…\n<i>end</i>")) << out;  // the closing line survives
}

TEST(RenderAlert, CutsWhenTheFixedPartAloneIsTooLong) {
    auto v = sample("");
    const auto out = render_alert("<b>{{title}} {{title}} {{title}}</b>", Escape::html, 20, "...", v->c).value();
    EXPECT_EQ(out, "<b>Tariffs &lt;up&gt; &amp; do...</b>");
    EXPECT_EQ(visible_length(out, Escape::html), 20u);
}

TEST(RenderAlert, ABrokenTemplateIsAnError) {
    auto v = sample("");
    auto r = render_alert("{{#open}} never closed", Escape::none, 0, "", v->c);
    ASSERT_FALSE(r.has_value());
    EXPECT_TRUE(r.error().message.starts_with("sink: template")) << r.error().message;
}

// Issue 16, items 5, 15, 16: what feed text must never do in a chat message.
TEST(NeutralizeMentions, EveryMassMentionGetsAJoiner) {
    const std::string zwj = "\u200D";
    const struct {
        const char *in, *out;
    } cases[] = {
        {"@channel", "@\u200Dchannel"},
        {"hi @ALL, @here.", "hi @\u200DALL, @\u200Dhere."},
        {"@everyone @room", "@\u200Deveryone @\u200Droom"},
        {"<!channel> <!here|here> <!everyone>", "<!\u200Dchannel> <!\u200Dhere|here> <!\u200Deveryone>"},
        {"@allison and @channels and mail@example.org", "@allison and @channels and mail@example.org"},
        {"@ alone", "@ alone"},
    };
    for (const auto& c : cases) EXPECT_EQ(neutralize_mentions(c.in), c.out) << c.in;
    EXPECT_EQ(neutralize_mentions(neutralize_mentions("@channel")), "@" + zwj + "channel");  // idempotent
}

TEST(RenderAlert, FeedTextCannotPingStripsControlsAndKeepsOnlyWebLinks) {
    nlohmann::json j = nlohmann::json::parse(R"j({"v":1,"seq":7,"alert_id":"a7","detected_at":"2026-11-27T14:05:00Z",
        "watchlist":{"name":"w","query":"q"},
        "feed":{"id":1,"title":"@here news","url":"https://u:pw@w.example/f?token=s3cret"},
        "item":{"key":"k","title":"x","link":"javascript:alert(1)","summary":"s"},
        "match":{"terms":["t"],"fields":["title"],"snippet":"n"}})j");
    j["item"]["title"] = "@channel <!channel> \u202Egnp.exe\u202C \u2066iso\u2069 c1\xC2\x9B" "end";
    auto v = make_alert_view({7, "alert.w", j.dump()}).value();
    const char* tmpl = "{{title}}|{{{title}}}|{{feed_title}}|{{#has_link}}L={{link}}{{/has_link}}|{{{feed_url}}}";
    for (Escape e : {Escape::none, Escape::markdown, Escape::html, Escape::slack}) {
        const auto out = render_alert(tmpl, e, 0, "", v->c).value();
        for (const char* bad : {"@channel", "!channel", "@here", "\u202E", "\u202C", "\u2066", "\u2069", "\xC2\x9B",
                                "javascript", "s3cret", "pw@"})
            EXPECT_EQ(out.find(bad), std::string::npos) << bad << " in " << out;
        EXPECT_NE(out.find("gnp.exe"), std::string::npos) << out;  // the text itself stays
        EXPECT_NE(out.find("https://***@w.example/f?token=***"), std::string::npos) << out;
    }
    // Plugins that read the struct directly get the same.
    EXPECT_EQ(std::string(v->c.link.data, v->c.link.size), "");
    EXPECT_EQ(std::string(v->c.feed_url.data, v->c.feed_url.size), "https://***@w.example/f?token=***");

    j["item"]["link"] = " https://w.example/a b(c)<d>|e ";
    auto w = make_alert_view({7, "alert.w", j.dump()}).value();
    EXPECT_EQ(render_alert("[t]({{{link}}})", Escape::markdown, 0, "", w->c).value(),
              "[t](https://w.example/a%20b%28c%29%3Cd%3E%7Ce)");
    EXPECT_EQ(std::string(w->c.link.data, w->c.link.size), "https://w.example/a%20b%28c%29%3Cd%3E%7Ce");
}

}  // namespace
}  // namespace ww::sink
