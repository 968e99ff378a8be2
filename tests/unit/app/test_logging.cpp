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

}  // namespace
}  // namespace ww::app
