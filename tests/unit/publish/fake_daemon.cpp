// ww_fake_daemon: a test-only stand-in for wirewatchd's outbox path, on the real modules: a
// Store records alerts, a Publisher sends them after the commit, a ReplayServer serves the log
// from its own read-only Store, and heartbeats go out on a timer. Driven line by line on
// stdin so that tests synchronise on its answers, never on sleeps:
//   alert N [WATCHLIST]   record N alerts in one transaction, publish them -> "OK <last_seq>"
//   hold N [WATCHLIST]    record N alerts but do not publish them (a lost message) -> "OK ..."
//   hb                    send a heartbeat now -> "OK <last_seq>"
//   prune                 prune every alert -> "OK <earliest_seq>"
//   quit                  exit
// It prints "READY <pub endpoint> <replay endpoint> <last_seq>" first.
#include <poll.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/alert.h"
#include "core/time.h"
#include "publish/publisher.h"
#include "publish/replay_server.h"
#include "store/store.h"
#include "store_source.h"

using namespace ww;

namespace {

struct Args {
    std::string state_dir;
    std::string endpoint = "tcp://127.0.0.1:*";
    std::string replay_endpoint = "tcp://127.0.0.1:*";
    int heartbeat_ms = 200;
    std::string curve_secret_file;
    std::string allowlist_file;
};

store::PendingAlert pending(const std::string& watchlist, const std::string& key, SysSeconds now) {
    Alert alert;
    alert.alert_id = make_alert_id(watchlist, "http://fake/feed", key);
    alert.detected_at = now;
    alert.watchlist = watchlist;
    alert.query = "fake query";
    alert.feed = {1, "Fake World", "http://fake/feed"};
    alert.item.key = key;
    alert.item.title = "Item " + key + " for " + watchlist;
    alert.item.link = "http://fake/" + key;
    alert.item.summary = "Plain text summary of " + key;
    alert.match = {{"fake"}, {"title"}, "Item " + key};
    return {watchlist, alert_topic(watchlist), alert.alert_id, [alert](std::int64_t seq) mutable {
                alert.seq = seq;
                return to_envelope_json(alert);
            }};
}

int fail_with(const std::string& message) {
    std::fprintf(stderr, "ww_fake_daemon: %s\n", message.c_str());
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    // stdout carries the command protocol: the modules' warnings (a replay cut short when a
    // killed subscriber stops reading) must not land between its answers.
    spdlog::set_default_logger(spdlog::stderr_color_mt("fake_daemon"));
    Args args;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const std::string value = argv[i + 1];
        if (key == "--state-dir") args.state_dir = value;
        else if (key == "--endpoint") args.endpoint = value;
        else if (key == "--replay-endpoint") args.replay_endpoint = value;
        else if (key == "--heartbeat-ms") args.heartbeat_ms = std::stoi(value);
        else if (key == "--curve-secret-file") args.curve_secret_file = value;
        else if (key == "--allow-file") args.allowlist_file = value;
        else return fail_with("unknown option " + key);
    }
    if (args.state_dir.empty()) return fail_with("--state-dir is required");
    auto store = store::Store::open(args.state_dir);
    if (!store) return fail_with(store.error().message);
    auto feed = store->ensure_feed("http://fake/feed");
    if (!feed) return fail_with(feed.error().message);
    if (!feed->initialised) (void)store->record({feed->id, {}, 0, now_seconds()});

    publish::CurveServerOptions curve;
    if (!args.curve_secret_file.empty()) {
        auto pair = publish::load_secret_key_file(args.curve_secret_file);
        if (!pair) return fail_with(pair.error().message);
        curve.secret_key = pair->secret_key;
        if (!args.allowlist_file.empty()) {
            auto allowed = publish::load_allowlist(args.allowlist_file);
            if (!allowed) return fail_with(allowed.error().message);
            curve.allowed_clients = *allowed;
        }
        curve.on_refused = [](const publish::PeerRefusal& r) {
            std::fprintf(stderr, "REFUSED socket=%s address=%s key=%s reason=%s\n", r.socket.c_str(),
                         r.address.c_str(), r.client_key.c_str(), r.reason.c_str());
        };
    }
    publish::PublisherOptions pub_options{args.endpoint};
    pub_options.curve = curve;
    auto pub = publish::Publisher::bind(pub_options);
    if (!pub) return fail_with(pub.error().message);
    publish::ReplayOptions replay_options{args.replay_endpoint};
    replay_options.curve = curve;
    auto replay = publish::ReplayServer::start(replay_options, publish::testing::store_source(args.state_dir));
    if (!replay) return fail_with(replay.error().message);

    std::int64_t last_seq = *store->last_seq();
    std::int64_t next_key = last_seq;
    std::printf("READY %s %s %lld\n", pub->endpoint().c_str(), replay->endpoint().c_str(),
                static_cast<long long>(last_seq));
    std::fflush(stdout);

    std::string line;
    for (;;) {
        pollfd in{STDIN_FILENO, POLLIN, 0};
        const int ready = ::poll(&in, 1, args.heartbeat_ms);
        if (ready == 0) {
            (void)pub->heartbeat(last_seq);
            continue;
        }
        if (!std::getline(std::cin, line) || line == "quit") break;
        std::istringstream words(line);
        std::string verb, watchlist = "wl";
        long count = 0;
        words >> verb >> count >> watchlist;
        if (verb == "alert" || verb == "hold") {
            store::RecordRequest request{feed->id, {}, 0, now_seconds()};
            for (long i = 0; i < count; ++i) {
                const std::string key = "k" + std::to_string(++next_key) + "-" + watchlist;
                request.items.push_back({key, "", std::nullopt, {pending(watchlist, key, request.now)}});
            }
            auto result = store->record(request);
            if (!result) return fail_with(result.error().message);
            if (verb == "alert")
                for (const auto& a : result->alerts) (void)pub->send(a.topic, a.envelope);
            if (!result->alerts.empty()) last_seq = result->alerts.back().seq;
        } else if (verb == "hb") {
            (void)pub->heartbeat(last_seq);
        } else if (verb == "prune") {
            auto earliest = store->prune_alerts(now_seconds() + std::chrono::seconds(1));
            if (!earliest) return fail_with(earliest.error().message);
            std::printf("OK %lld\n", static_cast<long long>(*earliest));
            std::fflush(stdout);
            continue;
        } else {
            std::printf("ERR unknown command\n");
            std::fflush(stdout);
            continue;
        }
        std::printf("OK %lld\n", static_cast<long long>(last_seq));
        std::fflush(stdout);
    }
    return 0;
}
