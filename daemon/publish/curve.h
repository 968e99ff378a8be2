#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace ww::publish {

// A CURVE key pair, both keys Z85-encoded (40 characters).
struct CurveKeyPair {
    std::string public_key;
    std::string secret_key;
};

bool is_z85_key(std::string_view text);

// Key files use ZeroMQ's certificate layout (`public-key = "..."`, `secret-key = "..."`), which
// pyzmq's zmq.auth.load_certificate also reads; a bare Z85 key on a line is accepted too.
// Lines starting with '#' are comments.
struct ParsedKeys {
    std::vector<std::string> public_keys;
    std::vector<std::string> secret_keys;
};
Result<ParsedKeys> parse_key_text(std::string_view text, std::string_view origin);

Result<CurveKeyPair> generate_keypair();
// Derives the public key from the secret one (CURVE public keys are a function of it).
Result<std::string> public_key_of(std::string_view secret_z85);

// A secret key file (from `wirewatch keygen`): the pair, the public half derived when missing.
Result<CurveKeyPair> load_secret_key_file(const std::filesystem::path& file);
// `--server-key`: a Z85 public key given inline, or a file that holds one.
Result<std::string> load_public_key(std::string_view key_or_file);
// `curve_allowed_clients`: every public key in the file (bare lines or `public-key = ...`).
Result<std::vector<std::string>> load_allowlist(const std::filesystem::path& file);

// Writes `<base>.key` (public) and `<base>.key_secret` (both halves), mode 0600, and refuses
// to overwrite an existing key: losing a secret key locks every client out.
struct KeyFiles {
    std::filesystem::path public_file;
    std::filesystem::path secret_file;
};
Result<KeyFiles> write_keypair(const CurveKeyPair& pair, const std::filesystem::path& base);

// Server-side CURVE for the PUB and ROUTER sockets.
struct PeerRefusal {
    std::string socket;      // "pub" or "replay"
    std::string address;     // peer IP address as ZAP reports it
    std::string client_key;  // Z85, empty when none was offered
    std::string reason;
};

struct CurveServerOptions {
    std::string secret_key;  // Z85; empty = CURVE off
    // Client public keys allowed in. nullopt = any client that completes the CURVE handshake
    // (encryption without client authentication).
    std::optional<std::vector<std::string>> allowed_clients;
    // Called on the ZAP thread for every refused connection; by default a spdlog warning.
    std::function<void(const PeerRefusal&)> on_refused;

    bool enabled() const { return !secret_key.empty(); }
};

// Fills CurveServerOptions from `[publish] curve_secret_key_file` and `curve_allowed_clients`
// (either may be empty; an allowlist without a secret key is a configuration error).
Result<CurveServerOptions> curve_server_from(const std::filesystem::path& secret_key_file,
                                             const std::filesystem::path& allowed_clients_file);

// Client-side CURVE for `wirewatch sub`, `wirewatch replay` and the bridge.
struct CurveClientOptions {
    std::string server_public_key;  // Z85; empty = CURVE off
    CurveKeyPair client;            // the client's own pair

    bool enabled() const { return !server_public_key.empty(); }
};

// Fills CurveClientOptions from `--server-key` and `--client-key-file`; a client without its
// own key file gets a fresh ephemeral pair (enough when the server has no allowlist).
Result<CurveClientOptions> curve_client_from(std::string_view server_key,
                                             const std::filesystem::path& client_key_file);

}  // namespace ww::publish
