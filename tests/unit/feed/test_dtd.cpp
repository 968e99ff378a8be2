#include "feed/dtd.h"

#include <gtest/gtest.h>

namespace ww::feed {
namespace {

struct Case {
    const char* name;
    const char* prolog;
    const char* body;
    EntityExpansion outcome;
    const char* out;  // the expanded body, when expanded
};

class ExpandEntities : public testing::TestWithParam<Case> {};

TEST_P(ExpandEntities, Table) {
    const auto& c = GetParam();
    std::string out;
    const auto r = expand_internal_entities(c.prolog, c.body, 1000, out);
    EXPECT_EQ(r.outcome, c.outcome) << r.reason;
    if (c.outcome == EntityExpansion::expanded) EXPECT_EQ(out, c.out);
    EXPECT_EQ(r.reason.empty(), c.outcome != EntityExpansion::refused) << r.reason;
}

constexpr auto kExpanded = EntityExpansion::expanded;
constexpr auto kRefused = EntityExpansion::refused;
constexpr auto kNone = EntityExpansion::none;

INSTANTIATE_TEST_SUITE_P(
    Cases, ExpandEntities,
    testing::Values(
        Case{"no_doctype", "<?xml version='1.0'?>", "<a>&x;</a>", kNone, ""},
        Case{"doctype_without_subset", "<!DOCTYPE rss SYSTEM 'x.dtd'>", "<a>&x;</a>", kNone, ""},
        Case{"simple", "<!DOCTYPE a [<!ENTITY x 'y'>]>", "<a t='&x;'>&x;&amp;</a>", kExpanded,
             "<a t='y'>y&amp;</a>"},
        Case{"first_declaration_wins", "<!DOCTYPE a [<!ENTITY x \"1\"><!ENTITY x \"2\">]>",
             "<a>&x;</a>", kExpanded, "<a>1</a>"},
        Case{"external_never", "<!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'><!ENTITY y 'ok'>]>",
             "<a>&x;&y;</a>", kExpanded, "<a>&x;ok</a>"},
        Case{"only_external", "<!DOCTYPE a [<!ENTITY x SYSTEM 'http://x/'>]>", "<a>&x;</a>", kNone, ""},
        Case{"parameter_entity_skipped", "<!DOCTYPE a [<!ENTITY % p 'z'><!ENTITY y '%p;'>]>",
             "<a>&p;&y;</a>", kExpanded, "<a>&p;%p;</a>"},
        Case{"cdata_comment_pi_untouched", "<!DOCTYPE a [<!ENTITY x 'y'>]>",
             "<a><![CDATA[&x;]]><!--&x;--><?pi &x;?>&x;</a>", kExpanded,
             "<a><![CDATA[&x;]]><!--&x;--><?pi &x;?>y</a>"},
        Case{"nested", "<!DOCTYPE a [<!ENTITY x '&y;&y;'><!ENTITY y 'z'>]>", "<a>&x;</a>", kExpanded,
             "<a>zz</a>"},
        Case{"cycle", "<!DOCTYPE a [<!ENTITY x '&x;'>]>", "<a>&x;</a>", kRefused, ""},
        Case{"too_deep",
             "<!DOCTYPE a [<!ENTITY a0 '&a1;'><!ENTITY a1 '&a2;'><!ENTITY a2 '&a3;'><!ENTITY a3 '&a4;'>"
             "<!ENTITY a4 '&a5;'><!ENTITY a5 '&a6;'><!ENTITY a6 '&a7;'><!ENTITY a7 '&a8;'>"
             "<!ENTITY a8 '&a9;'><!ENTITY a9 'end'>]>",
             "<a>&a0;</a>", kRefused, ""},
        Case{"entity_too_long",
             "<!DOCTYPE a [<!ENTITY x '0123456789012345678901234567890123456789'>"
             "<!ENTITY y '&x;&x;&x;&x;&x;&x;&x;&x;&x;&x;'><!ENTITY z '&y;&y;&y;&y;&y;&y;&y;&y;&y;&y;'>]>",
             "<a>&z;</a>", kRefused, ""},
        Case{"document_growth_capped",
             "<!DOCTYPE a [<!ENTITY x '0123456789012345678901234567890123456789'>"
             "<!ENTITY y '&x;&x;&x;&x;&x;&x;&x;&x;&x;&x;'>]>",
             "<a>&y;&y;&y;</a>", kRefused, ""}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace ww::feed
