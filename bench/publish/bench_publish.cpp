// bench_publish [--alerts N] [--batch B]...: the outbox path at full speed, on the real
// modules and a real SQLite file (synchronous=FULL, as the daemon runs) in a temp dir.
//  1. end to end: N alerts recorded B per transaction (a fetched feed's new items), each
//     transaction committed, then its alerts published; a SUB on another thread receives them.
//     The clock stops when the SUB has received the last one.
//  2. replay: a ReplayClient fetches all N alerts (max_batch 1,000) from a ReplayServer that
//     reads the same database through its own read-only Store.
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "core/alert.h"
#include "core/time.h"
#include "publish/publisher.h"
#include "publish/replay_server.h"
#include "publish/subscriber.h"
#include "store/store.h"
#include "store_source.h"

using namespace ww;
using Clock = std::chrono::steady_clock;

namespace {

template <class T>
T must(Result<T> r) {
    if (!r) {
        std::fprintf(stderr, "bench_publish: %s\n", r.error().message.c_str());
        std::exit(1);
    }
    return std::move(*r);
}

void must(const Result<void>& r) {
    if (!r) {
        std::fprintf(stderr, "bench_publish: %s\n", r.error().message.c_str());
        std::exit(1);
    }
}

// A realistic envelope: about 1 KB, most of it the summary.
store::PendingAlert pending(const std::string& key, SysSeconds now) {
    Alert alert;
    alert.watchlist = key.back() % 2 ? "china-russia-security" : "tariffs-clean-energy";
    alert.alert_id = make_alert_id(alert.watchlist, "https://example.org/world.rss", key);
    alert.detected_at = now;
    alert.query = "China Russia security";
    alert.feed = {1, "Example World", "https://example.org/world.rss"};
    alert.item.key = key;
    alert.item.title = "Russia and China deepen security co-operation in talks " + key;
    alert.item.link = "https://example.org/news/" + key;
    alert.item.published = now;
    alert.item.categories = {"World", "Asia"};
    alert.item.summary = std::string(600, 's');
    alert.item.language = "en";
    alert.match = {{"china", "russia", "security"}, {"title"}, "…China deepen security…"};
    return {alert.watchlist, alert_topic(alert.watchlist), alert.alert_id,
            [alert](std::int64_t seq) mutable {
                alert.seq = seq;
                return to_envelope_json(alert);
            }};
}

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// The machine is shared: the wall clock alone says as much about the neighbours as about
// us. CPU time per thread says what the path costs.
struct EndToEnd {
    double seconds = 0;
    std::int64_t received = 0;
    double writer_cpu = 0;    // record + commit + publish
    double receiver_cpu = 0;  // the SUB
};

bool g_sync_full = true;

EndToEnd end_to_end(const std::filesystem::path& dir, int alerts, int batch) {
    store::StoreOptions options;
    options.synchronous_full = g_sync_full;
    auto store = must(store::Store::open(dir, store::Mode::read_write, options));
    const auto feed = must(store.ensure_feed("https://example.org/world.rss"));
    must(store.record({feed.id, {}, 0, now_seconds()}));  // the catch-up
    auto pub = must(publish::Publisher::bind({"tcp://127.0.0.1:*"}));
    auto sub = must(publish::Subscriber::connect({pub.endpoint(), {"alert."}, true}));
    // Slow joiner: heartbeat until the SUB hears one.
    for (;;) {
        must(pub.heartbeat(0));
        auto got = must(sub.receive(std::chrono::milliseconds(20)));
        if (got) break;
    }
    while (must(sub.receive(std::chrono::milliseconds(0)))) {
    }
    const std::int64_t first = must(store.last_seq()) + 1;
    const std::int64_t last = first + alerts - 1;
    std::atomic<std::int64_t> received{0};
    double receiver_cpu = 0;
    const std::string last_marker = "\"seq\":" + std::to_string(last) + ",";
    std::thread receiver([&] {
        const double cpu0 = thread_cpu_seconds();
        for (;;) {
            auto got = must(sub.receive(std::chrono::milliseconds(2000)));
            receiver_cpu = thread_cpu_seconds() - cpu0;
            if (!got) return;  // the publisher dropped some: report what arrived
            if (got->topic == publish::kHeartbeatTopic) continue;
            received.fetch_add(1, std::memory_order_relaxed);
            if (got->body.find(last_marker) != std::string::npos) return;
        }
    });
    int key = 0;
    const auto start = Clock::now();
    const double cpu0 = thread_cpu_seconds();
    for (int done = 0; done < alerts; done += batch) {
        store::RecordRequest request{feed.id, {}, 0, now_seconds()};
        for (int i = 0; i < batch && done + i < alerts; ++i) {
            const std::string k = std::to_string(batch) + "-" + std::to_string(++key);
            request.items.push_back({k, "", std::nullopt, {pending(k, request.now)}});
        }
        const auto result = must(store.record(request));
        for (const auto& a : result.alerts) must(pub.send(a.topic, a.envelope));
    }
    const double writer_cpu = thread_cpu_seconds() - cpu0;
    receiver.join();
    return {std::chrono::duration<double>(Clock::now() - start).count(), received.load(),
            writer_cpu, receiver_cpu};
}

double replay_all(const std::filesystem::path& dir, std::int64_t expect) {
    auto server = must(publish::ReplayServer::start({"tcp://127.0.0.1:*"},
                                                    publish::testing::store_source(dir)));
    auto client = must(publish::ReplayClient::connect({server.endpoint()}));
    must(client.request(expect, ""));  // connect and open the reader before the clock starts
    const auto start = Clock::now();
    std::int64_t after = 0, count = 0;
    for (;;) {
        auto page = must(client.request(after, ""));
        count += std::int64_t(page.alerts.size());
        after = page.end_seq;
        if (!page.more) break;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (count != expect) {
        std::fprintf(stderr, "bench_publish: replay returned %lld alerts, expected %lld\n",
                     static_cast<long long>(count), static_cast<long long>(expect));
        std::exit(1);
    }
    return seconds;
}

}  // namespace

int main(int argc, char** argv) {
    int alerts = 100'000;
    std::vector<int> batches;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        if (key == "--alerts") alerts = std::atoi(argv[i + 1]);
        else if (key == "--batch") batches.push_back(std::atoi(argv[i + 1]));
        else if (key == "--synchronous") g_sync_full = std::string(argv[i + 1]) != "normal";
    }
    if (batches.empty()) batches = {1000, 100, 10};
    char pattern[] = "/tmp/ww-bench-publish-XXXXXX";
    if (!mkdtemp(pattern)) return 1;
    const std::filesystem::path root = pattern;

    std::printf("end to end: record + commit (synchronous=%s) + publish + received by a SUB, "
                "~1 KB envelopes\n", g_sync_full ? "FULL" : "NORMAL");
    std::printf("%8s %8s %9s %10s %12s %12s\n", "batch", "alerts", "seconds", "alerts/s",
                "writer-cpu/s", "sub-cpu/s");
    std::filesystem::path replay_dir;
    for (const int batch : batches) {
        const auto dir = root / ("batch-" + std::to_string(batch));
        const int n = batch >= 100 ? alerts : std::min(alerts, batch * 2000);
        const auto r = end_to_end(dir, n, batch);
        // writer-cpu/s: alerts per CPU-second of the recording thread, the bound on an idle
        // core (plus fsync waits under synchronous=FULL).
        std::printf("%8d %8d %9.3f %10.0f %12.0f %12.0f%s\n", batch, n, r.seconds,
                    r.received / r.seconds, n / r.writer_cpu, r.received / r.receiver_cpu,
                    r.received == n ? "" : "  (SUB missed some: PUB high-water mark)");
        if (n == alerts && replay_dir.empty()) replay_dir = dir;
    }
    if (!replay_dir.empty()) {
        const double seconds = replay_all(replay_dir, alerts);
        std::printf("\nreplay: %d alerts in %.3f s (%.0f alerts/s), max_batch 1000\n", alerts,
                    seconds, alerts / seconds);
    }
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) == 3)
        std::printf("load average during the run: %.2f %.2f %.2f on %u cores\n", load[0], load[1],
                    load[2], std::thread::hardware_concurrency());
    std::filesystem::remove_all(root);
    return 0;
}
