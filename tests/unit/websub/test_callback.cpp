#include "websub/callback.h"

#include <gtest/gtest.h>

namespace ww::websub {
namespace {

using Outcome = VerificationAnswer::Outcome;

TEST(Query, DecodesAndEncodes) {
    const auto p = parse_query_string("hub.mode=subscribe&hub.topic=https%3A%2F%2Fa.example%2Ff%3Fx%3D1&a+b=c+d&flag&&bad=%zz");
    ASSERT_EQ(p.size(), 5u);
    EXPECT_EQ(param(p, "hub.topic"), "https://a.example/f?x=1");
    EXPECT_EQ(param(p, "a b"), "c d");
    EXPECT_EQ(param(p, "flag"), "");
    EXPECT_EQ(param(p, "bad"), "%zz");
    EXPECT_EQ(param(p, "absent"), "");
    EXPECT_EQ(form_encode({{"hub.topic", "https://a.example/f?x=1 y"}}), "hub.topic=https%3A%2F%2Fa.example%2Ff%3Fx%3D1%20y");
    EXPECT_EQ(parse_query_string(form_encode({{"k", "é&=+%"}})), (Params{{"k", "é&=+%"}}));
}

TEST(Query, SubscriptionBodyCarriesEveryParameter) {
    const auto p = parse_query_string(subscription_body("subscribe", "https://t/", "https://cb/x", "s3", std::chrono::seconds(600)));
    EXPECT_EQ(p, (Params{{"hub.mode", "subscribe"}, {"hub.topic", "https://t/"}, {"hub.callback", "https://cb/x"},
                         {"hub.secret", "s3"}, {"hub.lease_seconds", "600"}}));
    // An unsubscription names topic and callback only.
    EXPECT_EQ(parse_query_string(subscription_body("unsubscribe", "https://t/", "https://cb/x", "s3", std::chrono::seconds(600))),
              (Params{{"hub.mode", "unsubscribe"}, {"hub.topic", "https://t/"}, {"hub.callback", "https://cb/x"}}));
}

TEST(Verification, EchoesTheChallengeOnlyForWhatWeAsked) {
    const Expected sub{"https://t/", Intent::subscribe};
    const Expected unsub{"https://t/", Intent::unsubscribe};
    struct Case {
        const char* name;
        const char* query;
        std::optional<Expected> expected;
        int status;
        Outcome outcome;
        const char* body;
    };
    const Case cases[] = {
        {"subscribe confirmed", "hub.mode=subscribe&hub.topic=https%3A%2F%2Ft%2F&hub.challenge=abc&hub.lease_seconds=60",
         sub, 200, Outcome::subscribed, "abc"},
        {"unsubscribe confirmed", "hub.mode=unsubscribe&hub.topic=https%3A%2F%2Ft%2F&hub.challenge=xyz", unsub, 200,
         Outcome::unsubscribed, "xyz"},
        {"unknown callback", "hub.mode=subscribe&hub.topic=https%3A%2F%2Ft%2F&hub.challenge=abc&hub.lease_seconds=60",
         std::nullopt, 404, Outcome::refused, "not found\n"},
        {"other topic", "hub.mode=subscribe&hub.topic=https%3A%2F%2Fother%2F&hub.challenge=abc&hub.lease_seconds=60",
         sub, 404, Outcome::refused, "not found\n"},
        {"unsubscribe we did not ask for", "hub.mode=unsubscribe&hub.topic=https%3A%2F%2Ft%2F&hub.challenge=abc", sub,
         404, Outcome::refused, "not found\n"},
        {"subscribe while unsubscribing", "hub.mode=subscribe&hub.topic=https%3A%2F%2Ft%2F&hub.challenge=abc&hub.lease_seconds=60",
         unsub, 404, Outcome::refused, "not found\n"},
        {"no challenge", "hub.mode=subscribe&hub.topic=https%3A%2F%2Ft%2F&hub.lease_seconds=60", sub, 404,
         Outcome::refused, "not found\n"},
        {"no lease", "hub.mode=subscribe&hub.topic=https%3A%2F%2Ft%2F&hub.challenge=abc", sub, 404, Outcome::refused,
         "not found\n"},
        {"bad lease", "hub.mode=subscribe&hub.topic=https%3A%2F%2Ft%2F&hub.challenge=abc&hub.lease_seconds=-5", sub,
         404, Outcome::refused, "not found\n"},
        {"unknown mode", "hub.mode=publish&hub.topic=https%3A%2F%2Ft%2F&hub.challenge=abc", sub, 404, Outcome::refused,
         "not found\n"},
        {"denied", "hub.mode=denied&hub.topic=https%3A%2F%2Ft%2F&hub.reason=not+allowed", sub, 200, Outcome::denied,
         "ok\n"},
        {"denied for another topic", "hub.mode=denied&hub.topic=https%3A%2F%2Fx%2F", sub, 404, Outcome::refused,
         "not found\n"},
    };
    for (const auto& c : cases) {
        const auto a = answer_verification(parse_query_string(c.query), c.expected);
        EXPECT_EQ(a.status, c.status) << c.name;
        EXPECT_EQ(a.outcome, c.outcome) << c.name;
        EXPECT_EQ(a.body, c.body) << c.name;
    }
    EXPECT_EQ(answer_verification(parse_query_string(cases[0].query), sub).lease, std::chrono::seconds(60));
    EXPECT_EQ(answer_verification(parse_query_string(cases[10].query), sub).reason, "not allowed");
}

}  // namespace
}  // namespace ww::websub
