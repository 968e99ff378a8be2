#include "sink/redactor.h"

#include <gtest/gtest.h>

namespace ww::sink {
namespace {

TEST(Redactor, ReplacesEveryOccurrenceLongestFirst) {
    Redactor r;
    r.add("abcd1234");
    r.add("https://hooks.example/abcd1234");
    r.add("ok");  // too short to be a secret: ignored
    EXPECT_EQ(r.apply("POST https://hooks.example/abcd1234 failed; token abcd1234 twice abcd1234 ok"),
              "POST *** failed; token *** twice *** ok");
}

TEST(Redactor, ASecretThatContainsTheMaskStillTerminates) {
    Redactor r;
    r.add("a***b");
    EXPECT_EQ(r.apply("xa***bx"), "x***x");
}

}  // namespace
}  // namespace ww::sink
