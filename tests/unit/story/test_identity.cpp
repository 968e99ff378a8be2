#include "story/identity.h"

#include <gtest/gtest.h>

#include <ostream>

namespace {

using ww::story::is_edit;
using ww::story::ItemFacts;
using ww::story::same_item;
using ww::story::text_hash;

struct SameCase {
    const char* name;
    ItemFacts stored;
    ItemFacts fresh;
    bool same;
};

// gtest would otherwise print the case's raw bytes, padding included.
void PrintTo(const SameCase& c, std::ostream* os) { *os << c.name; }

const std::uint64_t kText = text_hash("Leaders meet in Beijing", "Talks on security.");
const std::uint64_t kEdited = text_hash("Leaders meet in Beijing, agree on talks", "Talks on security.");

const SameCase kSame[] = {
    {"same_guid", {"g1", "https://a.example/1", kText}, {"g1", "https://a.example/1", kText}, true},
    {"same_guid_edited_text_is_same_item", {"g1", "https://a.example/1", kText},
     {"g1", "https://a.example/1", kEdited}, true},
    {"same_guid_moved_link", {"g1", "https://a.example/1", kText}, {"g1", "https://a.example/2", kText}, true},
    {"guid_changed_link_and_text_same", {"g1", "https://a.example/1", kText},
     {"https://a.example/?p=1", "https://a.example/1", kText}, true},
    {"guid_changed_link_same_modulo_www_and_scheme", {"g1", "http://www.a.example/1", kText},
     {"g2", "https://a.example/1", kText}, true},
    {"guid_changed_text_changed", {"g1", "https://a.example/1", kText}, {"g2", "https://a.example/1", kEdited},
     false},
    {"guid_changed_link_changed", {"g1", "https://a.example/1", kText}, {"g2", "https://a.example/2", kText},
     false},
    {"no_links_no_guid_match", {"g1", "", kText}, {"g2", "", kText}, false},
    {"unknown_stored_hash", {"g1", "https://a.example/1", 0}, {"g2", "https://a.example/1", kText}, false},
    {"both_guids_empty_same_link_same_text", {"", "https://a.example/1", kText},
     {"", "https://a.example/1", kText}, true},
};

class SameItem : public testing::TestWithParam<SameCase> {};

TEST_P(SameItem, Table) {
    const auto& c = GetParam();
    EXPECT_EQ(same_item(c.stored, c.fresh), c.same);
}

INSTANTIATE_TEST_SUITE_P(Cases, SameItem, testing::ValuesIn(kSame),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(TextHash, IgnoresWhitespaceOnly) {
    EXPECT_EQ(text_hash("A  title", " body\n text "), text_hash("A title", "body text"));
    EXPECT_NE(text_hash("A title", "body text"), text_hash("A title", "body texts"));
    // The boundary between title and text is part of the text.
    EXPECT_NE(text_hash("a b", ""), text_hash("a", "b"));
    EXPECT_NE(text_hash("", ""), 0u);
}

TEST(IsEdit, Table) {
    EXPECT_FALSE(is_edit(kText, kText));
    EXPECT_TRUE(is_edit(kText, kEdited));
    EXPECT_FALSE(is_edit(0, kEdited));  // stored before hashes existed
    EXPECT_FALSE(is_edit(kText, 0));
}

}  // namespace
