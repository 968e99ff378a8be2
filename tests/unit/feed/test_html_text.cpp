#include "feed/html_text.h"

#include <gtest/gtest.h>

namespace ww::feed {
namespace {

struct Case {
    const char* name;
    const char* html;
    const char* text;
};

class HtmlToText : public testing::TestWithParam<Case> {};

TEST_P(HtmlToText, Reduces) { EXPECT_EQ(html_to_text(GetParam().html), GetParam().text); }

INSTANTIATE_TEST_SUITE_P(
    Table, HtmlToText,
    testing::Values(
        Case{"plain", "Hello world", "Hello world"},
        Case{"tags_removed", "<b>Bold</b> and <i>italic</i>", "Bold and italic"},
        Case{"inline_joins_word", "co<b>op</b>eration", "cooperation"},
        Case{"blocks_break", "<p>One</p><p>Two</p>", "One\nTwo"},
        Case{"br_breaks", "line one<br/>line two<br>three", "line one\nline two\nthree"},
        Case{"breaks_do_not_pile", "<p>a</p>\n\n<p></p><div><p>b</p></div>", "a\nb"},
        Case{"script_dropped", "x<script>var a = '<p>';</script>y", "xy"},
        Case{"style_dropped", "<style>p{color:red}</style>Text", "Text"},
        Case{"uppercase_script", "a<SCRIPT type=x>alert(1)</SCRIPT>b", "ab"},
        Case{"comment_dropped", "a<!-- <p>hidden</p> -->b", "ab"},
        Case{"named_entities", "caf&eacute; &amp; cr&egrave;me", "caf\u00e9 & cr\u00e8me"},
        Case{"numeric_entities", "&#8220;quoted&#x201D;", "\u201cquoted\u201d"},
        Case{"c1_reference_as_cp1252", "it&#146;s", "it\u2019s"},
        Case{"nbsp_is_space", "a&nbsp;&nbsp;b\xC2\xA0" "c", "a b c"},
        Case{"unknown_entity_kept", "&bogus; & more", "&bogus; & more"},
        Case{"lone_lt", "a < b and c > d", "a < b and c > d"},
        Case{"whitespace_folded", "  a \t\n b\r\n  ", "a b"},
        Case{"attribute_with_gt", "<a title=\"x > y\" href='/'>link</a> text", "link text"},
        Case{"truncated_tag", "text <a href=\"http://x", "text"},
        Case{"escaped_markup_stays_text", "&lt;b&gt;not bold&lt;/b&gt;", "<b>not bold</b>"},
        Case{"cells_space", "<table><tr><td>a</td><td>b</td></tr></table>", "a b"},
        Case{"cdata_in_html", "x<![CDATA[ y ]]>z", "x y z"},
        Case{"reference_to_space_folds", "&#&#32", "&#"},
        Case{"reference_to_control_vanishes", "a&#1;b", "ab"},
        Case{"empty", "", ""},
        // Issue 20, class 1: elements that embed or are void drop themselves, not what follows.
        Case{"unclosed_object_drops_itself", "safe<object data=\"x.swf\"> description",
             "safe description"},
        Case{"unclosed_iframe_drops_itself", "a<iframe src=\"/x\"> b", "a b"},
        Case{"closed_iframe_drops_fallback", "a <iframe src=x>no frames</IFRAME >b", "a b"},
        Case{"unclosed_applet_drops_itself", "a <applet code=x> b", "a b"},
        Case{"embed_separates_words", "x<embed src=a>y", "x y"},
        Case{"frame_separates_words", "x<frame src=a>y", "x y"},
        Case{"link_and_meta_drop_themselves", "a <link rel=x> b<meta name=y> c", "a b c"},
        Case{"unclosed_title_drops_itself", "a <title> b", "a b"},
        Case{"end_tag_needs_whole_name", "a<script>x</scriptx>y</script>b", "ab"},
        Case{"end_tag_any_case_with_space", "a<Style>p{}</STYLE >b", "ab"},
        Case{"unclosed_script_drops_rest", "a<script>var x = 1;", "a"},
        Case{"many_unclosed_iframes", "a<iframe>b<iframe>c<iframe>d", "abcd"},
        // Issue 20, class 5: windows-1252 that went through the wrong decoder.
        Case{"c1_control_as_cp1252", "don\xC2\x92t \xC2\x93q\xC2\x94", "don\u2019t \u201cq\u201d"},
        Case{"undefined_c1_dropped", "a\xC2\x81" "b", "ab"},
        Case{"double_encoded_repaired", "Wait\xC3\xA2\xE2\x82\xAC\xC2\xA6 caf\xC3\x83\xC2\xA9",
             "Wait\u2026 caf\u00e9"},
        Case{"double_encoded_via_latin1", "it\xC3\xA2\xC2\x80\xC2\x99s", "it\u2019s"},
        Case{"mixed_text_not_repaired", "caf\xC3\xA9 \xC3\xA2\xE2\x82\xAC\xC2\xA6",
             "caf\u00e9 \u00e2\u20ac\u00a6"},
        Case{"real_accents_untouched", "\xC3\x83 la carte \xC3\xA9t\xC3\xA9", "\u00c3 la carte \u00e9t\u00e9"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(FoldText, KeepsMarkupCharacters) {
    EXPECT_EQ(fold_text("  a <b> &amp;\n c "), "a <b> &amp; c");
}

}  // namespace
}  // namespace ww::feed
