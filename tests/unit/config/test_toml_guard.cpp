#include "config/toml_guard.h"

#include <gtest/gtest.h>

namespace ww::config {
namespace {

TEST(TomlGuard, KnowsWhereTomlppsWhitespaceCheckIsUndefined) {
    struct Case {
        char32_t c;
        bool undefined;
        const char* why;
    };
    const Case cases[] = {
        {U'a', false, "ASCII"},
        {0x9F, false, "below the table"},
        {0xA0, false, "no-break space, answered before the switch"},
        {0xA1, true, "first of block 0"},
        {0xE9, true, "e acute"},
        {0x2A9, true, "the fuzzer's U+02A9"},
        {0x499, true, "last of block 0"},
        {0x49A, false, "block 1: the mask answers"},
        {0x1680, false, "block 5: a case of the switch"},
        {0x2000, false, "block 7: a case of the switch"},
        {0x2C5D, false, "block 10"},
        {0x2C5E, true, "first of block 11"},
        {0x3000, false, "ideographic space, answered before the switch"},
        {0x3001, true, "block 11"},
        {0x3057, true, "last of block 11"},
        {0xFB25, false, "block 62"},
        {0xFB26, true, "first of block 63"},
        {0xFEFE, true, "last before the byte order mark"},
        {0xFEFF, false, "byte order mark"},
        {0xFF00, false, "above the table"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(toml_whitespace_check_is_undefined(c.c), c.undefined) << c.why;
}

TEST(TomlGuard, RefusesUnsafeCharactersWhereTomlppWouldCheckThemWithTheirPlace) {
    struct Case {
        const char* text;
        int line;  // 0: accepted
        int column;
        const char* why;
    };
    const Case cases[] = {
        {"name = \"\xCA\xA9\"\n", 0, 0, "in a basic string"},
        {"name = '\xCA\xA9'\n", 0, 0, "in a literal string"},
        {"# \xCA\xA9 note\na = 1\n", 0, 0, "in a comment"},
        {"\"\xCA\xA9\" = 1\n", 0, 0, "in a quoted key"},
        {"a = \"\"\"\xCA\xA9\"\"\"\n", 0, 0, "in a multi-line string"},
        {"a = '''\\\n \xCA\xA9'''\n", 0, 0, "a literal string has no escapes"},
        {"a = \"\\\"\xCA\xA9\"\n", 0, 0, "after an escaped quote, still in the string"},
        {"a = \"\xCE\xB1\xCE\xB2\" # \xCE\xB3\n", 0, 0, "Greek where TOML allows it"},
        {"a = 1 \xCA\xA9\n", 1, 7, "after a value"},
        {"\xCA\xA9 = 1\n", 1, 1, "as a key"},
        {"[t]\nx = \"\xC3\xA9\xC3\xA9\" \xCA\xA9\n", 2, 10, "columns count code points"},
        {"a = \"x\\\\\" \xCA\xA9\n", 1, 11, "an escaped backslash does not escape the quote"},
        {"a = \"\"\"x\"\"\"\"\xCA\xA9\n", 1, 13, "four quotes: one is content, then the string ends"},
        {"a = \"\"\"\\\xCA\xA9\"\"\"\n", 1, 9, "right after a backslash in a multi-line string"},
        {"a = \"\"\"\\\n  \xCA\xA9\"\"\"\n", 2, 3, "first character after a line-ending backslash"},
        {"a = \"\"\"\\\n  x\xCA\xA9\"\"\"\n", 0, 0, "later in the same line is content"},
        {"a = \"unterminated\n\xCA\xA9 = 1\n", 2, 1, "a basic string ends at the line break"},
        {"a = 1 \xCA", 0, 0, "a truncated sequence is toml++'s to reject"},
    };
    for (const auto& c : cases) {
        const auto p = find_unsafe_toml_character(c.text, "g.toml");
        if (c.line == 0) {
            EXPECT_FALSE(p.has_value()) << c.why << ": " << (p ? to_string(*p) : "");
            continue;
        }
        ASSERT_TRUE(p.has_value()) << c.why;
        EXPECT_EQ(p->where.file, "g.toml") << c.why;
        EXPECT_EQ(p->where.line, c.line) << c.why;
        EXPECT_EQ(p->where.column, c.column) << c.why;
        EXPECT_NE(p->message.find("U+02A9"), std::string::npos) << c.why << ": " << p->message;
    }
}

TEST(TomlGuard, TheLoaderReportsTheCharacterInsteadOfReachingTomlpp) {
    const auto bad = load_string("[daemon]\nlog_level = \"info\" \xCA\xA9\n", "bad.toml");
    ASSERT_FALSE(bad.has_value());
    ASSERT_EQ(bad.error().size(), 1u);
    EXPECT_EQ(to_string(bad.error()[0]),
              "bad.toml:2:20: character U+02A9 outside a string or comment is not valid TOML");

    const auto good = load_string("[[feed]]\nurl = \"https://example.org/a.rss\"\n"
                                  "name = \"\xCE\x95\xCE\xBB\xCE\xBB\xCE\xAC\xCE\xB4\xCE\xB1\" # Greek\n",
                                  "good.toml");
    ASSERT_TRUE(good.has_value()) << to_string(good.error()[0]);
    EXPECT_EQ(good->feeds.at(0).name, "\xCE\x95\xCE\xBB\xCE\xBB\xCE\xAC\xCE\xB4\xCE\xB1");
}

}  // namespace
}  // namespace ww::config
