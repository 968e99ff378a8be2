#include "websub/signature.h"

#include <gtest/gtest.h>

namespace ww::websub {
namespace {

// RFC 2202 / RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
constexpr std::string_view kKey = "Jefe";
constexpr std::string_view kData = "what do ya want for nothing?";
constexpr std::string_view kSha1 = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";
constexpr std::string_view kSha256 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

TEST(Signature, KnownAnswers) {
    EXPECT_EQ(sign("sha1", kKey, kData), "sha1=" + std::string(kSha1));
    EXPECT_EQ(sign("sha256", kKey, kData), "sha256=" + std::string(kSha256));
    EXPECT_EQ(sign("md5", kKey, kData), "");
}

TEST(Signature, VerifiesEveryMethodAndRejectsTheRest) {
    const std::string sha1 = "sha1=" + std::string(kSha1);
    const std::string sha256 = "sha256=" + std::string(kSha256);
    std::string flipped = sha256;
    flipped.back() = flipped.back() == '3' ? '4' : '3';
    std::string upper = sha256;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    struct Case {
        const char* name;
        std::string header;
        std::string_view secret;
        std::string_view body;
        SignatureCheck expected;
    };
    const Case cases[] = {
        {"sha1", sha1, kKey, kData, SignatureCheck::ok},
        {"sha256", sha256, kKey, kData, SignatureCheck::ok},
        {"sha384 round trip", sign("sha384", kKey, kData), kKey, kData, SignatureCheck::ok},
        {"sha512 round trip", sign("sha512", kKey, kData), kKey, kData, SignatureCheck::ok},
        {"upper-case method and hex", upper, kKey, kData, SignatureCheck::ok},
        {"surrounding spaces", "  " + sha256 + " ", kKey, kData, SignatureCheck::ok},
        {"missing", "", kKey, kData, SignatureCheck::missing},
        {"blank", "   ", kKey, kData, SignatureCheck::missing},
        {"wrong secret", sha256, "jefe", kData, SignatureCheck::mismatch},
        {"body changed", sha256, kKey, "what do ya want for nothing!", SignatureCheck::mismatch},
        {"one digit flipped", flipped, kKey, kData, SignatureCheck::mismatch},
        {"sha1 value under sha256", "sha256=" + std::string(kSha1), kKey, kData, SignatureCheck::malformed},
        {"truncated", sha256.substr(0, sha256.size() - 2), kKey, kData, SignatureCheck::malformed},
        {"not hex", "sha1=" + std::string(40, 'z'), kKey, kData, SignatureCheck::malformed},
        {"no method", std::string(kSha256), kKey, kData, SignatureCheck::malformed},
        {"md5 unsupported", "md5=0123", kKey, kData, SignatureCheck::unsupported},
    };
    for (const auto& c : cases)
        EXPECT_EQ(verify_signature(c.header, c.secret, c.body), c.expected) << c.name;
}

TEST(Signature, RandomHexIsFreshAndTheRightLength) {
    auto a = random_hex(16), b = random_hex(16);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->size(), 32u);
    EXPECT_NE(*a, *b);
    EXPECT_EQ(a->find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace ww::websub
