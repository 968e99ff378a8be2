// wirewatch replay: ask the daemon's replay socket for the alerts after a seq and print them.
#include <cstdio>
#include <string>

#include "cli/registry.h"
#include "publish/render.h"
#include "publish/replay_protocol.h"
#include "publish/subscriber.h"

namespace ww::cli {
namespace {

constexpr const char* kUsage =
    "usage: wirewatch replay [--endpoint E] [--after SEQ] [--topic PREFIX] [--json]\n"
    "                        [--server-key KEY|FILE] [--client-key-file FILE]\n"
    "  --endpoint E          the daemon's replay socket (default tcp://127.0.0.1:5557)\n"
    "  --after SEQ           print alerts with a larger seq (default 0: everything kept)\n"
    "  --topic PREFIX        only topics starting with PREFIX (\"alert.china-\")\n"
    "  --json                one JSON envelope per line instead of the readable form\n"
    "  --server-key KEY|FILE the daemon's CURVE public key (Z85 or a .key file)\n"
    "  --client-key-file F   this client's .key_secret file (from `wirewatch keygen`)\n"
    "  Prints the last seq it covered on stderr (\"last_seq=N\").\n";

int replay(std::span<const std::string_view> args) {
    publish::ReplayClientOptions options;
    std::int64_t after = 0;
    std::string prefix, server_key, client_key_file;
    bool json = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--json") {
            json = true;
        } else if (a == "--endpoint" && has_value) {
            options.endpoint = args[++i];
        } else if (a == "--after" && has_value) {
            const auto seq = publish::parse_seq_text(args[++i]);
            if (!seq) {
                std::fprintf(stderr, "wirewatch replay: --after takes a seq (decimal digits)\n");
                return 2;
            }
            after = *seq;
        } else if (a == "--topic" && has_value) {
            prefix = args[++i];
        } else if (a == "--server-key" && has_value) {
            server_key = args[++i];
        } else if (a == "--client-key-file" && has_value) {
            client_key_file = args[++i];
        } else {
            std::fputs(kUsage, a == "--help" ? stdout : stderr);
            return a == "--help" ? 0 : 2;
        }
    }
    auto curve = publish::curve_client_from(server_key, client_key_file);
    if (!curve) {
        std::fprintf(stderr, "wirewatch replay: %s\n", curve.error().message.c_str());
        return 1;
    }
    options.curve = *curve;
    // A daemon answers a page in milliseconds: 5 s of silence means no replay service there.
    options.timeout = std::chrono::seconds(5);
    auto client = publish::ReplayClient::connect(options);
    if (!client) {
        std::fprintf(stderr, "wirewatch replay: %s\n", client.error().message.c_str());
        return 1;
    }
    for (;;) {
        auto page = client->request(after, prefix);
        if (!page) {
            std::fprintf(stderr, "wirewatch replay: %s%s\n", page.error().message.c_str(),
                         page.error().kind == "timeout"
                             ? " (is wirewatchd running, and is this its [publish] replay_endpoint?)"
                             : "");
            return 1;
        }
        for (const auto& alert : page->alerts) {
            if (json) {
                std::fwrite(alert.envelope.data(), 1, alert.envelope.size(), stdout);
                std::fputc('\n', stdout);
            } else {
                const auto text = publish::render_alert_text(alert.topic, alert.envelope);
                std::fwrite(text.data(), 1, text.size(), stdout);
            }
        }
        std::fflush(stdout);
        after = page->end_seq;
        if (!page->more) break;
    }
    std::fprintf(stderr, "last_seq=%lld\n", static_cast<long long>(after));
    return 0;
}

WW_CLI_COMMAND("replay", "print recorded alerts after a seq from the daemon's replay socket", replay);

}  // namespace
}  // namespace ww::cli
