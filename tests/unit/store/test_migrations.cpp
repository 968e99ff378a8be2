#include "store/migrations.h"

#include <gtest/gtest.h>

namespace ww::store {
namespace {

// Migrations are append-only: the first one must keep creating the tables other code and
// shipped databases rely on.
TEST(Migrations, FirstCreatesTheCoreTables) {
    ASSERT_FALSE(migrations().empty());
    const auto v1 = migrations()[0];
    for (const char* table : {"feeds", "seen_items", "alerts", "sequence", "sink_cursors"})
        EXPECT_NE(v1.find(std::string("CREATE TABLE ") + table), std::string_view::npos) << table;
}

}  // namespace
}  // namespace ww::store
