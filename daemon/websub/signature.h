#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace ww::websub {

// The verdict on a push's X-Hub-Signature ("sha256=<hex>"; sha1, sha384 and sha512 too).
enum class SignatureCheck { ok, missing, malformed, unsupported, mismatch };
std::string_view to_string(SignatureCheck c);

// HMAC of `body` under `secret` with the method the header names, compared in constant time.
// Pure (OpenSSL's HMAC is a function of its inputs).
SignatureCheck verify_signature(std::string_view header, std::string_view secret, std::string_view body);

// "sha256=<hex>" for a body: what a hub sends (tests and the documentation's examples).
// `method` is sha1, sha256, sha384 or sha512; an unknown one gives "".
std::string sign(std::string_view method, std::string_view secret, std::string_view body);

// `bytes` bytes from the operating system's CSPRNG as lower-case hex: subscription secrets and
// callback ids. Fails only when the generator does.
Result<std::string> random_hex(std::size_t bytes);

}  // namespace ww::websub
