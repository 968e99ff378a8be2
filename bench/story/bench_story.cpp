// Story clustering cost (issue 10 target: under 20 us per item against 10,000 open stories).
//
// Items are synthetic but shaped like news: 12 title words and 30 text words drawn from a
// Zipf-distributed vocabulary of 20,000 content words, so that common words ("ukraine",
// "russia") sit in many open stories the way they do in a topical watchlist, and their posting
// lists are long.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <cmath>
#include <map>
#include <tuple>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "feed/parse.h"
#include "story/link.h"
#include "story/sketch.h"
#include "story/story_index.h"
#include "words.h"

namespace {

using ww::story::Fingerprint;
using ww::story::StoryIndex;
using ww::story::StoryOptions;

const ww::SysSeconds t0{std::chrono::sys_days{std::chrono::year{2026} / 11 / 27}};

struct Doc {
    std::vector<std::string> title;
    std::vector<std::string> text;
};

class Corpus {
public:
    explicit Corpus(double zipf_s = 1.1, std::size_t vocabulary = 20'000) : rng_(42) {
        std::vector<double> weights(vocabulary);
        // Ranks from 50 on: the head of a Zipf law is function words, which the sketch drops.
        for (std::size_t i = 0; i < vocabulary; ++i) weights[i] = 1.0 / std::pow(static_cast<double>(i + 50), zipf_s);
        dist_ = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
    }
    Doc doc() {
        Doc d;
        for (int i = 0; i < 12; ++i) d.title.push_back(word());
        for (int i = 0; i < 30; ++i) d.text.push_back(word());
        return d;
    }
    // Another outlet's telling: a third of the words replaced.
    Doc retold(const Doc& d) {
        Doc r = d;
        for (auto& w : r.title) if (coin_(rng_) < 0.33) w = word();
        for (auto& w : r.text) if (coin_(rng_) < 0.33) w = word();
        return r;
    }

private:
    std::string word() { return "w" + std::to_string(dist_(rng_)); }
    std::mt19937_64 rng_;
    std::discrete_distribution<std::size_t> dist_;
    std::uniform_real_distribution<double> coin_{0.0, 1.0};
};

Fingerprint fingerprint(const Doc& d, std::size_t n) {
    return Fingerprint{"https://outlet" + std::to_string(n % 50) + ".example/news/" + std::to_string(n),
                       ww::story::sketch_of(d.title, d.text)};
}

// Enough distinct items that no timed iteration sees an item twice (a repeated link would
// join by link and measure nothing).
constexpr std::size_t kFresh = 30'000;
constexpr std::size_t kRetold = 8'192;

struct Setup {
    StoryIndex index;
    std::vector<Doc> docs;
    std::vector<Fingerprint> fresh;    // new stories
    std::vector<Fingerprint> retold;   // other outlets' versions of open stories
    std::vector<std::string> ids;
};

// `purpose` keeps the benchmarks apart: the new-story one closes every original story.
Setup& setup(std::size_t open, std::size_t max_postings, int purpose) {
    static std::map<std::tuple<std::size_t, std::size_t, int>, std::unique_ptr<Setup>> cache;
    auto& s = cache[{open, max_postings, purpose}];
    if (s) return *s;
    s = std::make_unique<Setup>(
        Setup{StoryIndex(StoryOptions{.max_postings = max_postings, .max_open_stories = open}), {}, {}, {}, {}});
    Corpus corpus;
    for (std::size_t i = 0; i < open; ++i) {
        s->docs.push_back(corpus.doc());
        s->index.assign("ukraine", fingerprint(s->docs.back(), i), "alert-" + std::to_string(i), t0);
    }
    for (std::size_t i = 0; i < kFresh; ++i) {
        s->fresh.push_back(fingerprint(corpus.doc(), open + i));
        s->ids.push_back("alert-new-" + std::to_string(i));
    }
    for (std::size_t i = 0; i < kRetold; ++i)
        s->retold.push_back(fingerprint(corpus.retold(s->docs[(i * 7919) % open]), 2 * open + kFresh + i));
    return *s;
}

// A new story: every word probed, no story close enough; the oldest story closes to keep the
// index at its size (the memory bound), which is also timed. Arguments: open stories,
// max_postings.
void BM_AssignNewStory(benchmark::State& state) {
    auto& s = setup(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)), 0);
    std::size_t i = 0, created = 0;
    const auto before = s.index.stats();
    for (auto _ : state) {
        const auto a = s.index.assign("ukraine", s.fresh[i], s.ids[i], t0);
        created += a.is_new;
        ++i;
    }
    const auto after = s.index.stats();
    const auto lookups = static_cast<double>(after.lookups - before.lookups);
    state.counters["postings"] = static_cast<double>(after.postings - before.postings) / lookups;
    state.counters["compared"] = static_cast<double>(after.compared - before.compared) / lookups;
    state.counters["open"] = static_cast<double>(s.index.open_stories());
    state.counters["new_share"] = static_cast<double>(created) / static_cast<double>(i);
}
BENCHMARK(BM_AssignNewStory)
    ->Args({1'000, 64})->Args({10'000, 64})->Args({10'000, 128})->Args({10'000, 256})
    ->Iterations(kFresh)->Unit(benchmark::kMicrosecond);

// Another outlet's version of an open story: found through the postings, verified. Uses
// peek() so that the stories do not fill up with extra sketches as the loop repeats.
void BM_FindRetoldStory(benchmark::State& state) {
    auto& s = setup(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)), 1);
    std::size_t i = 0, found = 0;
    const auto before = s.index.stats();
    for (auto _ : state) {
        found += s.index.peek("ukraine", s.retold[i % s.retold.size()], t0).has_value();
        ++i;
    }
    const auto after = s.index.stats();
    const auto lookups = static_cast<double>(after.lookups - before.lookups);
    state.counters["postings"] = static_cast<double>(after.postings - before.postings) / lookups;
    state.counters["compared"] = static_cast<double>(after.compared - before.compared) / lookups;
    state.counters["found_share"] = static_cast<double>(found) / static_cast<double>(i);
}
BENCHMARK(BM_FindRetoldStory)
    ->Args({10'000, 64})->Args({10'000, 256})->Unit(benchmark::kMicrosecond);

// Real items: every item of the corpus's realistic set (news, blogs, podcasts), analysed by the
// match analyzer. The set holds fewer than 10,000 items, so this is a check of the synthetic
// figures on real word frequencies, not the 10,000-story case itself.
struct RealItems {
    std::vector<Fingerprint> items;
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

const RealItems& real_items() {
    static const RealItems all = [] {
        RealItems r;
        const std::string dir = WW_CORPUS_DIR;
        std::istringstream list(slurp(dir + "/realistic-set.txt"));
        std::string line;
        while (std::getline(list, line)) {
            if (line.empty() || line[0] == '#') continue;
            auto feed = ww::feed::parse(slurp(dir + "/" + line), {});
            if (!feed) continue;
            for (const auto& item : feed->items) {
                const auto& lang = item.language.empty() ? feed->language : item.language;
                const auto t = ww::story::testing::analysed_words(item.title, lang);
                const auto x = ww::story::testing::analysed_words(item.summary.empty() ? item.content : item.summary, lang);
                r.items.push_back({ww::story::canonical_link(item.link), ww::story::sketch_of(t, x)});
            }
        }
        std::shuffle(r.items.begin(), r.items.end(), std::mt19937_64(7));
        return r;
    }();
    return all;
}

// The first items fill the index; the last 1,000 are timed, each once.
void BM_AssignRealItems(benchmark::State& state) {
    const auto& all = real_items().items;
    if (all.size() < 2'000) {
        state.SkipWithError("corpus missing: ../shared/corpus/realistic-set.txt");
        return;
    }
    const std::size_t timed = 1'000;
    StoryIndex index;
    for (std::size_t i = 0; i + timed < all.size(); ++i) index.assign("all", all[i], "a" + std::to_string(i), t0);
    const auto open = index.open_stories();
    const auto before = index.stats();
    std::size_t i = all.size() - timed, created = 0;
    for (auto _ : state) {
        created += index.assign("all", all[i], "b" + std::to_string(i), t0).is_new;
        ++i;
    }
    const auto after = index.stats();
    const auto lookups = static_cast<double>(std::max<std::uint64_t>(1, after.lookups - before.lookups));
    state.counters["open"] = static_cast<double>(open);
    state.counters["items"] = static_cast<double>(all.size());
    state.counters["new_share"] = static_cast<double>(created) / static_cast<double>(timed);
    state.counters["postings"] = static_cast<double>(after.postings - before.postings) / lookups;
    state.counters["compared"] = static_cast<double>(after.compared - before.compared) / lookups;
}
BENCHMARK(BM_AssignRealItems)->Iterations(1'000)->Unit(benchmark::kMicrosecond);

void BM_SketchOf(benchmark::State& state) {
    Corpus corpus;
    std::vector<Doc> docs;
    for (int i = 0; i < 256; ++i) docs.push_back(corpus.doc());
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(ww::story::sketch_of(docs[i % docs.size()].title, docs[i % docs.size()].text));
        ++i;
    }
}
BENCHMARK(BM_SketchOf)->Unit(benchmark::kMicrosecond);

// The whole per-item path the pipeline adds when the analyzer's words are not reused: analyse
// (match analyzer + stemming), sketch.
void BM_AnalyseAndSketch(benchmark::State& state) {
    const std::string title = "Russia and China agree to deepen security co-operation in Eurasia, Lavrov says";
    const std::string text =
        "In Beijing on Tuesday the Russian foreign minister said Moscow and Beijing would start talks on "
        "security in Europe and Asia after meeting his Chinese counterpart, and criticised existing "
        "Euro-Atlantic arrangements as ineffective.";
    for (auto _ : state) {
        const auto t = ww::story::testing::analysed_words(title, "en");
        const auto x = ww::story::testing::analysed_words(text, "en");
        benchmark::DoNotOptimize(ww::story::sketch_of(t, x));
    }
}
BENCHMARK(BM_AnalyseAndSketch)->Unit(benchmark::kMicrosecond);

void BM_CanonicalLink(benchmark::State& state) {
    const std::string url =
        "https://www.Example.com:443/world/2026/11/27/russia-china-security?utm_source=rss&utm_medium=feed&id=7&fbclid=x#top";
    for (auto _ : state) benchmark::DoNotOptimize(ww::story::canonical_link(url));
}
BENCHMARK(BM_CanonicalLink);

}  // namespace

BENCHMARK_MAIN();
