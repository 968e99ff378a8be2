// wirewatch sub: print alerts as they are published; with --resume, exactly once across
// restarts (docs/protocol.md, "Resumable subscribers").
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/registry.h"
#include "publish/liveness.h"
#include "publish/cursor_file.h"
#include "publish/publisher.h"
#include "publish/render.h"
#include "publish/replay_protocol.h"
#include "publish/resume.h"
#include "publish/subscriber.h"

namespace ww::cli {
namespace {

using namespace std::chrono_literals;

std::atomic<bool> g_stop{false};

void on_signal(int) { g_stop = true; }

void install_signal_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;  // no SA_RESTART: the wait returns and the loop sees the flag
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

constexpr const char* kUsage =
    "usage: wirewatch sub [--endpoint E] [--topic PREFIX]... [--json] [--count N]\n"
    "                     [--resume STATEFILE [--replay-endpoint E]]\n"
    "                     [--server-key KEY|FILE] [--client-key-file FILE]\n"
    "  --endpoint E          the daemon's PUB socket (default tcp://127.0.0.1:5556)\n"
    "  --topic PREFIX        topic prefix, repeatable (default \"alert.\"; \"alert.china-\";\n"
    "                        \"_hb\" shows the heartbeats)\n"
    "  --json                one JSON envelope per line instead of the readable form\n"
    "  --count N             exit after N alerts\n"
    "  --resume STATEFILE    replay what was missed since the seq in STATEFILE, print each\n"
    "                        alert exactly once, in order, and store the seq durably\n"
    "  --replay-endpoint E   the daemon's replay socket (default tcp://127.0.0.1:5557)\n"
    "  --server-key KEY|FILE the daemon's CURVE public key (Z85 or a .key file)\n"
    "  --client-key-file F   this client's .key_secret file (from `wirewatch keygen`)\n"
    "  Without --resume, says on stderr when heartbeats stop (a dead daemon or a wrong\n"
    "  endpoint) and which alerts were missed (a seq gap).\n";

struct SubArgs {
    std::string endpoint = "tcp://127.0.0.1:5556";
    std::string replay_endpoint = "tcp://127.0.0.1:5557";
    std::vector<std::string> topics;
    bool json = false;
    std::optional<std::uint64_t> count;
    std::string resume_file;
    std::string server_key;
    std::string client_key_file;
};

std::optional<SubArgs> parse_args(std::span<const std::string_view> args, int& status) {
    SubArgs out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--json") {
            out.json = true;
        } else if (a == "--endpoint" && has_value) {
            out.endpoint = args[++i];
        } else if (a == "--replay-endpoint" && has_value) {
            out.replay_endpoint = args[++i];
        } else if (a == "--topic" && has_value) {
            out.topics.emplace_back(args[++i]);
        } else if (a == "--count" && has_value) {
            const auto count = publish::parse_seq_text(args[++i]);
            if (!count) {
                std::fputs("wirewatch sub: --count takes a number\n", stderr);
                status = 2;
                return std::nullopt;
            }
            out.count = std::uint64_t(*count);
        } else if (a == "--resume" && has_value) {
            out.resume_file = args[++i];
        } else if (a == "--server-key" && has_value) {
            out.server_key = args[++i];
        } else if (a == "--client-key-file" && has_value) {
            out.client_key_file = args[++i];
        } else {
            std::fputs(kUsage, a == "--help" ? stdout : stderr);
            status = a == "--help" ? 0 : 2;
            return std::nullopt;
        }
    }
    if (out.topics.empty()) out.topics.push_back("alert.");
    if (!out.resume_file.empty() && out.topics.size() > 1) {
        std::fputs("wirewatch sub: --resume takes one --topic prefix\n", stderr);
        status = 2;
        return std::nullopt;
    }
    return out;
}

// Writes one alert and flushes, so that a pipe reader sees each line at once.
void print_alert(const SubArgs& args, std::string_view topic, std::string_view body) {
    if (args.json || topic == publish::kHeartbeatTopic) {
        std::fwrite(body.data(), 1, body.size(), stdout);
        std::fputc('\n', stdout);
    } else {
        const auto text = publish::render_alert_text(topic, body);
        std::fwrite(text.data(), 1, text.size(), stdout);
    }
    std::fflush(stdout);
}

// When stdout is a regular file, its size is part of the cursor (see cursor_file.h).
std::optional<std::int64_t> output_size() {
    struct stat st {};
    if (::fstat(STDOUT_FILENO, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return std::int64_t(st.st_size);
}

// Cuts off what a killed predecessor printed after its last saved cursor.
void repair_output(const publish::CursorFile& cursor) {
    const auto size = output_size();
    if (!size || !cursor.output_bytes || *size <= *cursor.output_bytes) return;
    if (::ftruncate(STDOUT_FILENO, *cursor.output_bytes) == 0) {
        ::lseek(STDOUT_FILENO, *cursor.output_bytes, SEEK_SET);
        std::fprintf(stderr, "wirewatch sub: removed %lld bytes printed after the last saved seq %lld\n",
                     static_cast<long long>(*size - *cursor.output_bytes),
                     static_cast<long long>(cursor.seq));
    }
}

bool wanted(const SubArgs& args, std::string_view topic) {
    for (const auto& prefix : args.topics)
        if (topic.starts_with(prefix)) return true;
    return false;
}

// The seq of an envelope or a heartbeat body, when it has one.
std::optional<std::int64_t> seq_of(std::string_view body) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object() || !json.contains("seq") || !json["seq"].is_number_integer()) return std::nullopt;
    return json["seq"].get<std::int64_t>();
}

void tell(const std::vector<std::string>& lines) {
    for (const auto& l : lines) std::fprintf(stderr, "wirewatch sub: %s\n", l.c_str());
}

// Every topic is taken and filtered here, heartbeats included: only a subscriber that sees
// every seq can tell a missed alert from one of a topic it did not ask for, and only one that
// sees heartbeats can tell a quiet stream from a dead or wrong endpoint (publish/liveness.h).
int run_plain(const SubArgs& args, const publish::CurveClientOptions& curve) {
    auto sub = publish::Subscriber::connect({args.endpoint, {""}, true, curve});
    if (!sub) {
        std::fprintf(stderr, "wirewatch sub: %s\n", sub.error().message.c_str());
        return 1;
    }
    publish::Liveness liveness(args.endpoint, publish::Liveness::Clock::now());
    std::uint64_t printed = 0;
    while (!g_stop && (!args.count || printed < *args.count)) {
        auto message = sub->receive(500ms);
        if (!message) {
            std::fprintf(stderr, "wirewatch sub: %s\n", message.error().message.c_str());
            return 1;
        }
        const auto now = publish::Liveness::Clock::now();
        if (!*message) {
            if (auto line = liveness.on_idle(now)) tell({*line});
            continue;
        }
        const auto& [topic, body] = **message;
        const bool heartbeat = topic == publish::kHeartbeatTopic;
        if (const auto seq = seq_of(body))
            tell(heartbeat ? liveness.on_heartbeat(*seq, now) : liveness.on_message(*seq, now));
        if (!wanted(args, topic)) continue;
        print_alert(args, topic, body);
        if (!heartbeat) ++printed;
    }
    return 0;
}

int run_resumable(const SubArgs& args, const publish::CurveClientOptions& curve) {
    auto stored = publish::read_cursor_file(args.resume_file);
    if (!stored) {
        std::fprintf(stderr, "wirewatch sub: %s\n", stored.error().message.c_str());
        return 1;
    }
    const publish::CursorFile start = stored->value_or(publish::CursorFile{});
    repair_output(start);
    // Vouch for the output as it is now, before the first alert: a subscriber killed before
    // its first save must still find where its own output began.
    if (!*stored || (output_size() && !start.output_bytes)) {
        if (auto r = publish::write_cursor_file(args.resume_file, {start.seq, output_size()}); !r) {
            std::fprintf(stderr, "wirewatch sub: %s\n", r.error().message.c_str());
            return 1;
        }
    }

    publish::ResumableOptions options;
    options.live = {args.endpoint, {}, true, curve};
    options.replay = {args.replay_endpoint, curve, 3000ms};
    options.prefix = args.topics.front();
    options.on_warning = [](const std::string& text) {
        std::fprintf(stderr, "wirewatch sub: %s\n", text.c_str());
    };
    auto sub = publish::ResumableSubscriber::start(std::move(options), start.seq);
    if (!sub) {
        std::fprintf(stderr, "wirewatch sub: %s\n", sub.error().message.c_str());
        return 1;
    }
    std::int64_t saved = start.seq;
    std::uint64_t printed = 0;
    while (!g_stop && (!args.count || printed < *args.count)) {
        auto batch = sub->next(1000ms);
        if (!batch) {
            std::fprintf(stderr, "wirewatch sub: %s\n", batch.error().message.c_str());
            return 1;
        }
        for (const auto& alert : *batch) print_alert(args, alert.topic, alert.envelope);
        printed += batch->size();
        if (sub->covered() == saved) continue;
        // The output reaches the disk before the cursor that vouches for it.
        if (output_size()) ::fsync(STDOUT_FILENO);
        if (auto r = publish::write_cursor_file(args.resume_file, {sub->covered(), output_size()}); !r) {
            std::fprintf(stderr, "wirewatch sub: %s\n", r.error().message.c_str());
            return 1;
        }
        saved = sub->covered();
    }
    return 0;
}

int sub(std::span<const std::string_view> args) {
    int status = 0;
    const auto parsed = parse_args(args, status);
    if (!parsed) return status;
    auto curve = publish::curve_client_from(parsed->server_key, parsed->client_key_file);
    if (!curve) {
        std::fprintf(stderr, "wirewatch sub: %s\n", curve.error().message.c_str());
        return 1;
    }
    install_signal_handlers();
    return parsed->resume_file.empty() ? run_plain(*parsed, *curve) : run_resumable(*parsed, *curve);
}

WW_CLI_COMMAND("sub", "print alerts as they are published (--resume: exactly once)", sub);

}  // namespace
}  // namespace ww::cli
