// What stories and kept texts add to recording a poll (docs/stories.md, "In the daemon"):
// Store::record() of one feed's poll of 20 new items, half of them matching a watchlist, on a
// real SQLite file (synchronous=FULL, as the daemon runs it), with and without the story desk
// and the kept texts. The first variant is the path before stories: the baseline of the ratio.
// A last case re-records a poll whose items are all known (the extra read of the stored hash).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "app/pipeline.h"
#include "app/reload.h"
#include "app/stories.h"
#include "core/time.h"

namespace {

namespace fs = std::filesystem;
using namespace ww;

constexpr int kItems = 20;

struct Bench {
    fs::path dir;
    std::optional<store::Store> store;
    app::CompiledWatchlists compiled;
    app::StoryDesk desk;
    std::int64_t feed_id = 0;
    int next = 0;

    Bench() {
        std::string pattern = (fs::temp_directory_path() / "ww-bench-record-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        dir = pattern;
        auto s = store::Store::open(dir);
        if (!s) throw std::runtime_error(s.error().message);
        store.emplace(std::move(*s));
        feed_id = store->ensure_feed("http://bench/feed")->id;
        config::WatchlistConfig w;
        w.name = "security";
        w.query = "security";
        compiled = app::compile_watchlists({w}, {});
        store::RecordRequest catch_up;  // the first fetch: nothing alerts
        catch_up.feed_id = feed_id;
        catch_up.now = now_seconds();
        (void)store->record(catch_up);
    }
    ~Bench() {
        store.reset();
        fs::remove_all(dir);
    }

    // Items with a headline, a lead and a body of news-like length, each telling its own story.
    Feed poll() {
        Feed f;
        f.title = "Bench";
        f.language = "en";
        for (int i = 0; i < kItems; ++i, ++next) {
            Item item;
            item.key = item.guid = "item-" + std::to_string(next);
            const std::string n = std::to_string(next);
            item.title = (i % 2 ? "Ministers debate security plan " : "Harvest festival opens in town ") + n;
            item.link = "https://bench.example/" + n + "?utm_source=rss";
            item.summary = "Officials from region " + n + " met on Tuesday to discuss budget " + n +
                           " and the schedule of talks number " + n + ", a spokesperson said.";
            item.content = std::string(3000, 'x');
            f.items.push_back(std::move(item));
        }
        return f;
    }

    void record(Feed parsed, bool stories, bool keep) {
        const app::FeedContext ctx{feed_id, "Bench", "Bench", "http://bench/feed", "", 0};
        auto p = app::build_poll_record(ctx, parsed, compiled.snapshot, now_seconds());
        if (stories) desk.attach(p.request, p.alerts, compiled.snapshot.stories, *compiled.snapshot.stemming);
        p.request.keep_texts = keep;
        auto r = store->record(p.request);
        if (!r || (r->new_items != 0 && r->alerts.size() != kItems / 2)) throw std::runtime_error("record failed");
    }
};

void BM_RecordPoll(benchmark::State& state) {
    const bool stories = state.range(0) != 0;
    const bool keep = state.range(1) != 0;
    Bench b;
    for (auto _ : state) {
        state.PauseTiming();
        auto parsed = b.poll();
        state.ResumeTiming();
        b.record(std::move(parsed), stories, keep);
    }
    state.SetItemsProcessed(state.iterations() * kItems);
}
BENCHMARK(BM_RecordPoll)
    ->ArgNames({"stories", "keep"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({0, 1})
    ->Args({1, 1})
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(300);

void BM_RecordKnownPoll(benchmark::State& state) {
    Bench b;
    const auto parsed = b.poll();
    b.record(parsed, true, true);
    for (auto _ : state) b.record(parsed, true, true);
    state.SetItemsProcessed(state.iterations() * kItems);
}
BENCHMARK(BM_RecordKnownPoll)->Unit(benchmark::kMicrosecond)->Iterations(300);

}  // namespace

BENCHMARK_MAIN();
