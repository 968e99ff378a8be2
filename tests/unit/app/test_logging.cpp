#include "app/logging.h"

#include <gtest/gtest.h>

namespace ww::app {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

TEST(JournalFields, ModuleAndKeyValuePairs) {
    EXPECT_EQ(journal_fields(R"(fetch: error feed="BBC World" kind=dns streak=3 error="fetch: Could not resolve \"x\"")"),
              (Fields{{"WW_MODULE", "fetch"},
                      {"WW_FEED", "BBC World"},
                      {"WW_KIND", "dns"},
                      {"WW_STREAK", "3"},
                      {"WW_ERROR", "fetch: Could not resolve \"x\""}}));
}

TEST(JournalFields, BareWordsAreSkippedAndNamesSanitised) {
    EXPECT_EQ(journal_fields("publish: alert seq=12 topic=alert.china-russia first-fetch=true"),
              (Fields{{"WW_MODULE", "publish"}, {"WW_SEQ", "12"}, {"WW_TOPIC", "alert.china-russia"},
                      {"WW_FIRST_FETCH", "true"}}));
}

TEST(JournalFields, LinesWithoutStructureGiveNothingButTheModule) {
    EXPECT_EQ(journal_fields("just words here"), Fields{});
    EXPECT_EQ(journal_fields("app: stopped"), (Fields{{"WW_MODULE", "app"}}));
    EXPECT_EQ(journal_fields("app: x =y"), (Fields{{"WW_MODULE", "app"}}));  // an empty key is no field
    EXPECT_EQ(journal_fields(R"(store: a="unterminated)"), (Fields{{"WW_MODULE", "store"}, {"WW_A", "unterminated"}}));
}

TEST(EscapeLogText, ControlCharactersCannotStartALineOrDriveTheTerminal) {
    EXPECT_EQ(escape_log_text("websub: refused mode=\r\nfake line"), "websub: refused mode=\\r\\nfake line");
    EXPECT_EQ(escape_log_text("a\tb\x1b[31mred\x7f\x01"), "a\\tb\\x1b[31mred\\x7f\\x01");
    EXPECT_EQ(escape_log_text("next\xc2\x85line \xc2\x9b" "1m"), "next\\u0085line \\u009b1m");  // C1: NEL, CSI
    // Printable text, Latin-1 letters (U+00A0.. also start with 0xc2) and stray bytes are kept.
    EXPECT_EQ(escape_log_text("caf\xc3\xa9 \xc2\xa0 \xc2 \xff \"q\""), "caf\xc3\xa9 \xc2\xa0 \xc2 \xff \"q\"");
    EXPECT_EQ(escape_log_text(std::string_view("nul\0byte", 8)), "nul\\x00byte");
}

}  // namespace
}  // namespace ww::app
