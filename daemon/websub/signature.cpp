// The only translation unit that sees OpenSSL (linked PRIVATE to ww_websub).
#include "websub/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <vector>

namespace ww::websub {

namespace {

const EVP_MD* digest_of(std::string_view method) {
    if (method == "sha1") return EVP_sha1();
    if (method == "sha256") return EVP_sha256();
    if (method == "sha384") return EVP_sha384();
    if (method == "sha512") return EVP_sha512();
    return nullptr;
}

std::vector<unsigned char> hmac(const EVP_MD* md, std::string_view secret, std::string_view body) {
    std::vector<unsigned char> out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    HMAC(md, secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(body.data()),
         body.size(), out.data(), &len);
    out.resize(len);
    return out;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string to_hex(const unsigned char* data, std::size_t n) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        out += kDigits[data[i] >> 4];
        out += kDigits[data[i] & 15];
    }
    return out;
}

}  // namespace

std::string_view to_string(SignatureCheck c) {
    switch (c) {
        case SignatureCheck::ok: return "ok";
        case SignatureCheck::missing: return "missing";
        case SignatureCheck::malformed: return "malformed";
        case SignatureCheck::unsupported: return "unsupported";
        case SignatureCheck::mismatch: return "mismatch";
    }
    return "?";
}

SignatureCheck verify_signature(std::string_view header, std::string_view secret, std::string_view body) {
    while (!header.empty() && (header.front() == ' ' || header.front() == '\t')) header.remove_prefix(1);
    while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) header.remove_suffix(1);
    if (header.empty()) return SignatureCheck::missing;
    const auto eq = header.find('=');
    if (eq == std::string_view::npos) return SignatureCheck::malformed;
    std::string method(header.substr(0, eq));
    for (auto& c : method) c = c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
    const EVP_MD* md = digest_of(method);
    if (!md) return SignatureCheck::unsupported;
    const auto hex = header.substr(eq + 1);
    const auto expected = hmac(md, secret, body);
    if (hex.size() != 2 * expected.size()) return SignatureCheck::malformed;
    std::vector<unsigned char> given(expected.size());
    for (std::size_t i = 0; i < given.size(); ++i) {
        const int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return SignatureCheck::malformed;
        given[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    // Constant time: how long the comparison takes says nothing of how much of a forged
    // signature was right.
    return CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0 ? SignatureCheck::ok
                                                                              : SignatureCheck::mismatch;
}

std::string sign(std::string_view method, std::string_view secret, std::string_view body) {
    const EVP_MD* md = digest_of(method);
    if (!md) return {};
    const auto mac = hmac(md, secret, body);
    return std::string(method) + "=" + to_hex(mac.data(), mac.size());
}

Result<std::string> random_hex(std::size_t bytes) {
    std::vector<unsigned char> buf(bytes);
    if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1)
        return fail("websub", "websub: the random number generator failed");
    return to_hex(buf.data(), buf.size());
}

}  // namespace ww::websub
