// wirewatch keygen BASE: a CURVE key pair for the daemon or a subscriber.
#include <cstdio>
#include <string>

#include "cli/registry.h"
#include "publish/curve.h"

namespace ww::cli {
namespace {

int keygen(std::span<const std::string_view> args) {
    if (args.size() != 1 || args[0].starts_with("-")) {
        std::FILE* out = !args.empty() && args[0] == "--help" ? stdout : stderr;
        std::fputs(
            "usage: wirewatch keygen BASE\n"
            "  writes BASE.key (public key) and BASE.key_secret (the pair), both mode 0600, in\n"
            "  ZeroMQ's certificate format (pyzmq: zmq.auth.load_certificate). Existing files\n"
            "  are never overwritten.\n"
            "  daemon:     [publish] curve_secret_key_file = \"BASE.key_secret\"\n"
            "  subscriber: wirewatch sub --server-key DAEMON.key --client-key-file BASE.key_secret\n"
            "              and add the line of BASE.key to the daemon's curve_allowed_clients\n",
            out);
        return out == stdout ? 0 : 2;
    }
    auto pair = publish::generate_keypair();
    if (!pair) {
        std::fprintf(stderr, "wirewatch keygen: %s\n", pair.error().message.c_str());
        return 1;
    }
    auto files = publish::write_keypair(*pair, std::string(args[0]));
    if (!files) {
        std::fprintf(stderr, "wirewatch keygen: %s\n", files.error().message.c_str());
        return 1;
    }
    std::printf("public key:  %s\npublic file: %s\nsecret file: %s\n", pair->public_key.c_str(),
                files->public_file.c_str(), files->secret_file.c_str());
    return 0;
}

WW_CLI_COMMAND("keygen", "write a CURVE key pair (Z85, mode 0600)", keygen);

}  // namespace
}  // namespace ww::cli
