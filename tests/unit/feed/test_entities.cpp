#include "feed/entities.h"

#include <gtest/gtest.h>

namespace ww::feed {
namespace {

TEST(Entities, NamedAndNumeric) {
    EXPECT_EQ(named_entity("eacute"), U'\u00e9');
    EXPECT_EQ(named_entity("hellip"), U'\u2026');
    EXPECT_EQ(named_entity("nosuch"), 0u);
    std::string out;
    EXPECT_EQ(decode_reference("&#x41;rest", out), 6u);
    EXPECT_EQ(out, "A");
    out.clear();
    EXPECT_EQ(decode_reference("&amp", out), 0u);  // a name needs its ';'
    EXPECT_EQ(decode_reference("&#xD800;", out), 8u);
    EXPECT_EQ(out, "\xEF\xBF\xBD");  // a surrogate is replaced
}

}  // namespace
}  // namespace ww::feed
