#include "publish/curve.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/time.h"

namespace ww::publish {

namespace {

constexpr std::string_view kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

std::string_view unquote(std::string_view s) {
    s = trim(s);
    if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
        s = s.substr(1, s.size() - 2);
    return s;
}

Result<std::string> read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail("publish", "publish: cannot read key file " + file.string() + ": " +
                                        std::strerror(errno));
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

Result<void> write_private(const std::filesystem::path& file, std::string_view text) {
    // O_EXCL: never overwrite a key; the mode is set at creation so the secret is never
    // readable by others, not even for an instant.
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail("publish", "publish: cannot create key file " + file.string() + ": " +
                                   std::strerror(errno));
    std::size_t done = 0;
    while (done < text.size()) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const std::string why = std::strerror(errno);
            ::close(fd);
            return fail("publish", "publish: cannot write key file " + file.string() + ": " + why);
        }
        done += std::size_t(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) return fail("publish", "publish: cannot sync key file " + file.string());
    return {};
}

}  // namespace

bool is_z85_key(std::string_view text) {
    return text.size() == 40 && text.find_first_not_of(kZ85Alphabet) == std::string_view::npos;
}

Result<ParsedKeys> parse_key_text(std::string_view text, std::string_view origin) {
    ParsedKeys keys;
    std::size_t line_no = 0;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = trim(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        ++line_no;
        // '#' is also a Z85 digit: a line that starts with one is a comment unless its first
        // word is a whole key.
        if (line.empty() ||
            (line.front() == '#' && !is_z85_key(line.substr(0, line.find_first_of(" \t")))))
            continue;
        const auto where = [&] { return std::string(origin) + ":" + std::to_string(line_no); };
        if (const auto eq = line.find('='); eq != std::string_view::npos &&
                                            (line.starts_with("public-key") ||
                                             line.starts_with("secret-key"))) {
            const std::string_view value = unquote(line.substr(eq + 1));
            if (!is_z85_key(value))
                return fail("publish", "publish: " + where() + ": not a 40-character Z85 key");
            (line.starts_with("public") ? keys.public_keys : keys.secret_keys)
                .emplace_back(value);
            continue;
        }
        // A bare key, optionally followed by a name: "KEY  alice's laptop".
        const std::string_view token = line.substr(0, line.find_first_of(" \t"));
        if (is_z85_key(token)) {
            keys.public_keys.emplace_back(token);
            continue;
        }
        // zcert section headers and metadata carry no key.
        if (line == "curve" || line == "metadata" || line.find('=') != std::string_view::npos)
            continue;
        return fail("publish", "publish: " + where() + ": not a Z85 key: \"" +
                                   std::string(line.substr(0, 60)) + "\"");
    }
    return keys;
}

Result<CurveKeyPair> generate_keypair() {
    std::array<char, 41> pub{}, sec{};
    if (zmq_curve_keypair(pub.data(), sec.data()) != 0)
        return fail("publish", std::string("publish: cannot generate a CURVE key pair: ") +
                                   zmq_strerror(zmq_errno()));
    return CurveKeyPair{pub.data(), sec.data()};
}

Result<std::string> public_key_of(std::string_view secret_z85) {
    if (!is_z85_key(secret_z85)) return fail("publish", "publish: not a Z85 secret key");
    std::array<char, 41> pub{};
    const std::string secret(secret_z85);
    if (zmq_curve_public(pub.data(), secret.c_str()) != 0)
        return fail("publish", std::string("publish: cannot derive the public key: ") +
                                   zmq_strerror(zmq_errno()));
    return std::string(pub.data());
}

Result<CurveKeyPair> load_secret_key_file(const std::filesystem::path& file) {
    auto text = read_file(file);
    if (!text) return std::unexpected(text.error());
    auto keys = parse_key_text(*text, file.string());
    if (!keys) return std::unexpected(keys.error());
    if (keys->secret_keys.size() != 1)
        return fail("publish", "publish: " + file.string() +
                                   ": expected exactly one secret-key line (is this the "
                                   ".key_secret file from `wirewatch keygen`?)");
    CurveKeyPair pair{{}, keys->secret_keys.front()};
    auto derived = public_key_of(pair.secret_key);
    if (!derived) return std::unexpected(derived.error());
    if (!keys->public_keys.empty() && keys->public_keys.front() != *derived)
        return fail("publish", "publish: " + file.string() +
                                   ": the public key does not belong to the secret key");
    pair.public_key = *derived;
    return pair;
}

Result<std::string> load_public_key(std::string_view key_or_file) {
    const std::filesystem::path file{std::string(key_or_file)};
    // A path can be 40 characters of the Z85 alphabet too: an existing file wins.
    std::error_code ec;
    if (is_z85_key(key_or_file) && !std::filesystem::is_regular_file(file, ec))
        return std::string(key_or_file);
    auto text = read_file(file);
    if (!text) return std::unexpected(text.error());
    auto keys = parse_key_text(*text, file.string());
    if (!keys) return std::unexpected(keys.error());
    if (keys->public_keys.size() != 1)
        return fail("publish", "publish: " + file.string() + ": expected exactly one public key");
    return keys->public_keys.front();
}

Result<std::vector<std::string>> load_allowlist(const std::filesystem::path& file) {
    auto text = read_file(file);
    if (!text) return std::unexpected(text.error());
    auto keys = parse_key_text(*text, file.string());
    if (!keys) return std::unexpected(keys.error());
    if (!keys->secret_keys.empty())
        return fail("publish", "publish: " + file.string() +
                                   ": an allowlist holds public keys only; found a secret key");
    return keys->public_keys;
}

Result<KeyFiles> write_keypair(const CurveKeyPair& pair, const std::filesystem::path& base) {
    KeyFiles files{base.string() + ".key", base.string() + ".key_secret"};
    const std::string stamp = format_rfc3339(now_seconds());
    const std::string header = "#   wirewatch CURVE certificate, generated " + stamp + "\n";
    const std::string pub = header + "#   Public key: give it to servers and allowlists.\n\n" +
                            "curve\n    public-key = \"" + pair.public_key + "\"\n";
    const std::string sec = header + "#   SECRET key: keep it private.\n\n" +
                            "curve\n    public-key = \"" + pair.public_key +
                            "\"\n    secret-key = \"" + pair.secret_key + "\"\n";
    if (std::filesystem::exists(files.public_file) || std::filesystem::exists(files.secret_file))
        return fail("publish", "publish: refusing to overwrite existing key files " +
                                   files.public_file.string() + " / " + files.secret_file.string());
    if (auto r = write_private(files.secret_file, sec); !r) return std::unexpected(r.error());
    if (auto r = write_private(files.public_file, pub); !r) return std::unexpected(r.error());
    return files;
}

Result<CurveServerOptions> curve_server_from(const std::filesystem::path& secret_key_file,
                                             const std::filesystem::path& allowed_clients_file) {
    CurveServerOptions options;
    if (secret_key_file.empty()) {
        if (!allowed_clients_file.empty())
            return fail("config", "publish: curve_allowed_clients (" + allowed_clients_file.string() +
                                      ") needs curve_secret_key_file: without CURVE there is no "
                                      "client key to check");
        return options;
    }
    auto pair = load_secret_key_file(secret_key_file);
    if (!pair) return std::unexpected(pair.error());
    options.secret_key = pair->secret_key;
    if (!allowed_clients_file.empty()) {
        auto allowed = load_allowlist(allowed_clients_file);
        if (!allowed) return std::unexpected(allowed.error());
        options.allowed_clients = std::move(*allowed);
    }
    return options;
}

Result<CurveClientOptions> curve_client_from(std::string_view server_key,
                                             const std::filesystem::path& client_key_file) {
    CurveClientOptions options;
    if (server_key.empty()) {
        if (!client_key_file.empty())
            return fail("publish", "publish: --client-key-file needs --server-key");
        return options;
    }
    auto server = load_public_key(server_key);
    if (!server) return std::unexpected(server.error());
    options.server_public_key = *server;
    auto client = client_key_file.empty() ? generate_keypair() : load_secret_key_file(client_key_file);
    if (!client) return std::unexpected(client.error());
    options.client = *client;
    return options;
}

}  // namespace ww::publish
