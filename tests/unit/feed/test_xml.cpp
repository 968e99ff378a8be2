#include "feed/xml.h"

#include <gtest/gtest.h>

namespace ww::feed {
namespace {

TEST(Namespaces, KnownUrisWithOrWithoutSlash) {
    EXPECT_EQ(ns_of_uri("http://purl.org/dc/elements/1.1/"), Ns::dc);
    EXPECT_EQ(ns_of_uri("http://search.yahoo.com/mrss"), Ns::media);
    EXPECT_EQ(ns_of_uri("https://www.w3.org/2005/Atom"), Ns::atom);
    EXPECT_EQ(ns_of_uri("http://example.com/custom"), Ns::other);
}

TEST(Names, ResolvesDeclaredAndGuessedPrefixes) {
    XmlTree tree;
    ASSERT_TRUE(read_well_formed(
        "<rss xmlns:x='http://purl.org/dc/elements/1.1/'><x:creator/><dc:date/><foo:bar/></rss>", 256, 1000, tree));
    Names names;
    const auto root = tree.document_element();
    auto c = root.first_child();
    EXPECT_EQ(names.of(c, Ns::none).ns, Ns::dc);  // an unusual prefix, declared
    EXPECT_FALSE(names.guessed());
    c = c.next_sibling();
    EXPECT_EQ(names.of(c, Ns::none).ns, Ns::dc);  // the usual prefix, undeclared
    EXPECT_TRUE(names.guessed());
    c = c.next_sibling();
    EXPECT_EQ(names.of(c, Ns::none).ns, Ns::other);
    EXPECT_EQ(names.of(c, Ns::none).local, "bar");
}

}  // namespace
}  // namespace ww::feed
