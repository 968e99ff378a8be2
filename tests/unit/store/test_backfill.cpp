#include "store/backfill.h"

#include <gtest/gtest.h>

namespace ww::store {
namespace {

SysSeconds at(int minutes) { return SysSeconds{std::chrono::minutes{minutes}}; }

struct Case {
    const char* name;
    std::vector<std::optional<SysSeconds>> published;
    std::size_t count;
    std::vector<bool> expected;
};

TEST(SelectBackfill, Table) {
    const std::vector<Case> cases = {
        {"none asked", {at(1), at(2)}, 0, {false, false}},
        {"newest one", {at(1), at(3), at(2)}, 1, {false, true, false}},
        {"newest two", {at(1), at(3), at(2)}, 2, {false, true, true}},
        {"more than there are", {at(1), at(2)}, 5, {true, true}},
        {"undated rank last", {std::nullopt, at(1), std::nullopt}, 2, {true, true, false}},
        {"ties keep feed order", {at(5), at(5), at(5)}, 2, {true, true, false}},
        {"all undated keep feed order", {std::nullopt, std::nullopt}, 1, {true, false}},
        {"empty feed", {}, 3, {}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(select_backfill(c.published, c.count), c.expected);
    }
}

}  // namespace
}  // namespace ww::store
