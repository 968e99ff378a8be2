#include "story/link.h"

#include <gtest/gtest.h>

namespace {

using ww::story::canonical_link;
using ww::story::is_tracking_param;
using ww::story::link_key;

struct LinkCase {
    const char* name;
    const char* url;
    const char* preferred;
    const char* expected;
};

const LinkCase kCases[] = {
    {"scheme_and_host_lowered_path_case_kept", "HTTPS://WWW.Example.COM/News/Story-ABC", "",
     "https://www.example.com/News/Story-ABC"},
    {"default_https_port_dropped", "https://example.com:443/a", "", "https://example.com/a"},
    {"default_http_port_dropped", "http://example.com:80/a", "", "http://example.com/a"},
    {"other_port_kept", "https://example.com:8443/a", "", "https://example.com:8443/a"},
    {"fragment_dropped", "https://example.com/a#comments", "", "https://example.com/a"},
    {"hashbang_route_kept", "https://example.com/#!/story/1", "", "https://example.com/#!/story/1"},
    {"utm_dropped", "https://example.com/a?utm_source=rss&utm_medium=feed&utm_campaign=x", "",
     "https://example.com/a"},
    {"utm_upper_case_dropped", "https://example.com/a?UTM_Source=rss", "", "https://example.com/a"},
    {"click_ids_dropped", "https://example.com/a?fbclid=IwAR1&gclid=abc&yclid=1&igshid=z&_ga=2.1", "",
     "https://example.com/a"},
    {"mailchimp_and_msn_dropped", "https://example.com/a?mc_cid=1&mc_eid=2&ocid=msedgntp&cmpid=rss", "",
     "https://example.com/a"},
    {"real_params_sorted", "https://example.com/a?b=2&a=1&utm_term=x", "", "https://example.com/a?a=1&b=2"},
    {"repeated_names_keep_order", "https://example.com/a?tag=z&id=7&tag=b", "",
     "https://example.com/a?id=7&tag=z&tag=b"},
    {"ref_tracker_dropped", "https://example.com/a?ref=rss&id=1", "", "https://example.com/a?id=1"},
    {"ref_src_dropped", "https://example.com/a?ref_src=twsrc%5Etfw", "", "https://example.com/a"},
    {"ref_with_content_kept", "https://github.com/o/r/blob/x?ref=release-1.2", "",
     "https://github.com/o/r/blob/x?ref=release-1.2"},
    {"empty_pieces_dropped", "https://example.com/a?&&id=1&", "", "https://example.com/a?id=1"},
    {"empty_path_becomes_slash", "https://example.com?id=1", "", "https://example.com/?id=1"},
    {"escapes_normalised", "https://example.com/%7euser/a%2fb?q=%e2%82%ac", "",
     "https://example.com/~user/a%2Fb?q=%E2%82%AC"},
    {"dot_segments_removed", "https://example.com/a/./b/../c", "", "https://example.com/a/c"},
    {"trailing_host_dot_dropped", "https://example.com./a", "", "https://example.com/a"},
    {"whitespace_trimmed", "  https://example.com/a \n", "", "https://example.com/a"},
    {"not_http_comes_back_trimmed", " mailto:desk@example.com ", "", "mailto:desk@example.com"},
    {"relative_comes_back_trimmed", "/news/1", "", "/news/1"},
    {"ipv6_port_dropped", "http://[::1]:80/a", "", "http://[::1]/a"},
    {"preferred_origlink_wins", "http://feeds.feedburner.com/~r/site/~3/abc/",
     "https://site.example/2024/01/story?utm_source=feedburner", "https://site.example/2024/01/story"},
    {"preferred_ignored_when_not_http", "https://example.com/a", "/relative/canonical", "https://example.com/a"},
    {"preferred_ignored_when_empty", "https://example.com/a?utm_source=x", "   ", "https://example.com/a"},
};

class CanonicalLink : public testing::TestWithParam<LinkCase> {};

TEST_P(CanonicalLink, Table) {
    const auto& c = GetParam();
    EXPECT_EQ(canonical_link(c.url, c.preferred), c.expected) << c.url;
}

INSTANTIATE_TEST_SUITE_P(Cases, CanonicalLink, testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(CanonicalLink, IsIdempotent) {
    for (const auto& c : kCases) {
        const auto once = canonical_link(c.url, c.preferred);
        EXPECT_EQ(canonical_link(once), once) << c.name;
    }
}

TEST(LinkKey, IgnoresSchemeAndWww) {
    EXPECT_EQ(link_key("https://www.example.com/a?b=1"), "example.com/a?b=1");
    EXPECT_EQ(link_key("http://example.com/a?b=1"), "example.com/a?b=1");
    EXPECT_EQ(link_key(canonical_link("http://WWW.example.com:80/a?utm_source=x#top")),
              link_key(canonical_link("https://example.com/a")));
    // Only a leading "www." goes: "www2." and "wwwx" are other hosts.
    EXPECT_EQ(link_key("https://www2.example.com/a"), "www2.example.com/a");
    EXPECT_EQ(link_key(""), "");
}

TEST(TrackingParam, Table) {
    EXPECT_TRUE(is_tracking_param("utm_content", "x"));
    EXPECT_TRUE(is_tracking_param("fbclid", ""));
    EXPECT_TRUE(is_tracking_param("gclid", "x"));
    EXPECT_TRUE(is_tracking_param("CMP", "share_btn_tw"));
    EXPECT_TRUE(is_tracking_param("ref", "Twitter"));
    EXPECT_TRUE(is_tracking_param("ref", "rss_feed"));
    EXPECT_FALSE(is_tracking_param("ref", "main"));
    EXPECT_FALSE(is_tracking_param("id", "1"));
    EXPECT_FALSE(is_tracking_param("page", "2"));
    EXPECT_FALSE(is_tracking_param("utm", "x"));  // only the utm_ prefix
}

}  // namespace
