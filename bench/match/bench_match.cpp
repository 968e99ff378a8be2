// bench_match: items/s and candidates/item of the anchor index at 100 .. 100,000 watchlists,
// the brute-force evaluator on the same items, and index build time (issue 4, "Speed").
// Items: every item of the feeds listed in ../shared/corpus/realistic-set.txt, parsed by the
// real feed parser, with the full analysis inside the timed loop.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <unistd.h>

#include "feed/parse.h"
#include "match/frequencies.h"
#include "match/lexicon.h"
#include "match/matcher.h"

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Corpus {
    std::vector<ww::Item> items;
    std::vector<std::string> vocabulary;  // news words by falling frequency, function words cut
    std::vector<std::string> names;       // words written capitalised (almost) everywhere
    double mean_bytes = 0;
};

// Items with some text: the realistic set mixes news, podcasts and release notes.
const Corpus& corpus() {
    static const Corpus c = [] {
        Corpus c;
        const std::string dir = WW_CORPUS_DIR;
        std::istringstream list(slurp(dir + "/realistic-set.txt"));
        std::string line;
        while (std::getline(list, line)) {
            if (line.empty() || line[0] == '#') continue;
            auto feed = ww::feed::parse(slurp(dir + "/" + line), {});
            if (!feed) continue;
            for (auto& item : feed->items) {
                if (item.title.size() + item.summary.size() + item.content.size() < 200) continue;
                if (item.language.empty()) item.language = feed->language;
                c.items.push_back(std::move(item));
            }
        }
        std::unordered_map<std::string, int> freq, capitalised;
        std::size_t bytes = 0;
        for (const auto& item : c.items) {
            const std::string text = item.title + " " + item.summary + " " + item.content;
            bytes += text.size();
            std::string w;
            bool upper = false;
            for (const char ch : text + " ") {
                if (std::isalpha(static_cast<unsigned char>(ch))) {
                    if (w.empty()) upper = std::isupper(static_cast<unsigned char>(ch));
                    w += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                } else {
                    if (w.size() >= 3) {
                        ++freq[w];
                        if (upper) ++capitalised[w];
                    }
                    w.clear();
                }
            }
        }
        std::vector<std::pair<int, std::string>> ranked;
        for (auto& [w, n] : freq) if (n >= 2) ranked.emplace_back(-n, w);
        std::ranges::sort(ranked);
        // Skip the 150 most frequent (function words and the like): watchlists name topics,
        // people, places and organisations, which sit in the long tail.
        for (std::size_t i = 150; i < ranked.size(); ++i) c.vocabulary.push_back(ranked[i].second);
        // Proper nouns: what most real watchlists are made of (people, places, organisations).
        for (const auto& w : c.vocabulary)
            if (capitalised[w] * 10 >= freq[w] * 9) c.names.push_back(w);
        c.mean_bytes = c.items.empty() ? 0 : double(bytes) / double(c.items.size());
        return c;
    }();
    return c;
}

// 1 to 4 terms from news vocabulary, with phrases, OR, NOT and NEAR in realistic shares:
// most watchlists are two or three ANDed words; single words are a minority (they alert on
// too much to be useful).
// `names`: terms are proper nouns only (the "names" workload).
std::vector<ww::Watchlist> generate_watchlists(std::size_t n, bool names = false) {
    const auto& vocab = names ? corpus().names : corpus().vocabulary;
    std::mt19937 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, vocab.size() - 1);
    std::uniform_int_distribution<int> pct(0, 99);
    const auto word = [&] { return vocab[pick(rng)]; };
    std::vector<ww::Watchlist> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::string q;
        const int shape = pct(rng);
        const int r = pct(rng);
        const int terms = r < 10 ? 1 : r < 50 ? 2 : r < 85 ? 3 : 4;
        if (shape < 55) {  // a, a b, a b c
            for (int t = 0; t < terms; ++t) q += (t ? " " : "") + word();
        } else if (shape < 70) {  // "a b" c
            q = "\"" + word() + " " + word() + "\"";
            if (terms > 1) q += " " + word();
        } else if (shape < 82) {  // (a OR b) c
            q = "(" + word() + " OR " + word() + ") " + word();
        } else if (shape < 92) {  // a b -c
            q = word() + " " + word() + " -" + word();
        } else {  // a NEAR/5 b
            q = word() + " NEAR/" + std::to_string(2 + pct(rng) % 8) + " " + word();
        }
        out.push_back({"w" + std::to_string(i), std::move(q), {}, true});
    }
    return out;
}

ww::match::ItemView view_of(const ww::Item& item) {
    return {.title = item.title, .summary = item.summary, .content = item.content, .link = item.link,
            .language = item.language, .categories = item.categories, .authors = item.authors,
            .feed_name = {}};
}

// Document frequencies as a running daemon would have them from the items of its feeds:
// measured here on every second item of the corpus (the other half is never counted), so
// that anchors are chosen on a sample, not on the very items they are timed against.
std::shared_ptr<const ww::match::TermFrequencies> frequencies() {
    static const auto f = [] {
        auto f = std::make_shared<ww::match::TermFrequencies>();
        for (std::size_t i = 0; i < corpus().items.size(); i += 2) f->add(view_of(corpus().items[i]));
        return f;
    }();
    return f;
}

// `measured`: anchors by measured document frequency (the default) or by the word-length
// guess (the index without frequencies).
// `literal`: without the lexicon (Lexicon::empty()), the matcher before issue 15: the
// baseline the expansions are compared with in the same run.
const ww::match::Index& index_of(std::size_t n, bool names = false, bool measured = true, bool literal = false) {
    static std::map<std::tuple<std::size_t, bool, bool, bool>, std::shared_ptr<const ww::match::Index>> cache;
    auto& slot = cache[{n, names, measured, literal}];
    if (!slot) {
        ww::match::BuildOptions options;
        if (measured) options.frequencies = frequencies();
        if (literal) options.lexicon = ww::match::Lexicon::empty();
        slot = ww::match::build_index(generate_watchlists(n, names), options).index;
    }
    return *slot;
}

bool have_corpus(benchmark::State& state) {
    if (corpus().items.empty() || corpus().vocabulary.size() < 1000) {
        state.SkipWithError("corpus missing: ../shared/corpus/realistic-set.txt");
        return false;
    }
    return true;
}

// Every tenth item: brute force at 100,000 watchlists takes tens of milliseconds per item, so
// it and the index are compared on this sample (BM_MatchSample vs BM_BruteForce).
const std::vector<ww::Item>& sample() {
    static const std::vector<ww::Item> s = [] {
        std::vector<ww::Item> out;
        for (std::size_t i = 0; i < corpus().items.size(); i += 10) out.push_back(corpus().items[i]);
        return out;
    }();
    return s;
}

// `explained`: every hit also gets its explanation (terms, fields, snippet strings), as
// every alert does; without it, the engine's answer alone (match_ids).
void run_index(benchmark::State& state, const std::vector<ww::Item>& items, bool names = false,
               bool explained = false, bool measured = true, bool literal = false) {
    const auto& index = index_of(static_cast<std::size_t>(state.range(0)), names, measured, literal);
    // One iteration = one pass over every item, so that every size sees the same items.
    std::size_t candidates = 0, hits = 0, tokens = 0, postings = 0;
    for (auto _ : state) {
        for (const auto& item : items) {
            ww::match::MatchStats stats;
            if (explained) {
                const auto h = index.match_counted(view_of(item), stats);
                benchmark::DoNotOptimize(h.data());
                hits += h.size();
            } else {
                const auto h = index.match_ids(view_of(item), stats);
                benchmark::DoNotOptimize(h.data());
                hits += h.size();
            }
            candidates += stats.candidates;
            postings += stats.postings;
            tokens += stats.tokens;
        }
    }
    const double n = double(state.iterations()) * double(items.size());
    state.SetItemsProcessed(static_cast<std::int64_t>(n));
    state.counters["candidates/item"] = double(candidates) / n;
    state.counters["postings/item"] = double(postings) / n;
    state.counters["hits/item"] = double(hits) / n;
    state.counters["tokens/item"] = double(tokens) / n;
    state.counters["bytes/item"] = corpus().mean_bytes;
    state.counters["vocabulary"] = double(corpus().vocabulary.size());
    state.counters["items"] = double(items.size());
}

void BM_Match(benchmark::State& state) {
    if (have_corpus(state)) run_index(state, corpus().items);
}
BENCHMARK(BM_Match)->Arg(100)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);

void BM_MatchNames(benchmark::State& state) {
    if (have_corpus(state)) run_index(state, corpus().items, true);
    state.counters["vocabulary"] = double(corpus().names.size());
}
BENCHMARK(BM_MatchNames)->Arg(100)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);

// The same workloads without the lexicon: the baseline of the expansions' cost.
void BM_MatchLiteral(benchmark::State& state) {
    if (have_corpus(state)) run_index(state, corpus().items, false, false, true, true);
}
BENCHMARK(BM_MatchLiteral)->Arg(100)->Arg(100000)->Unit(benchmark::kMicrosecond);

void BM_MatchNamesLiteral(benchmark::State& state) {
    if (have_corpus(state)) run_index(state, corpus().items, true, false, true, true);
}
BENCHMARK(BM_MatchNamesLiteral)->Arg(100)->Arg(100000)->Unit(benchmark::kMicrosecond);

void BM_MatchExplainedLiteral(benchmark::State& state) {
    if (have_corpus(state)) run_index(state, corpus().items, false, true, true, true);
}
BENCHMARK(BM_MatchExplainedLiteral)->Arg(100)->Arg(100000)->Unit(benchmark::kMicrosecond);

// The lexicon's load from the Debian data and config/entities.tsv (once per daemon), and what
// it adds to the resident set.
std::size_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

void BM_LexiconLoad(benchmark::State& state) {
    std::size_t added = 0, forms = 0;
    for (auto _ : state) {
        const auto before = resident_bytes();
        auto lex = ww::match::Lexicon::load(ww::match::Lexicon::default_sources());
        if (!lex) {
            state.SkipWithError(lex.error().message.c_str());
            return;
        }
        added = resident_bytes() - std::min(before, resident_bytes());
        forms = (*lex)->form_count();
        benchmark::DoNotOptimize(lex->get());
    }
    state.counters["resident_MiB"] = double(added) / (1024.0 * 1024.0);
    state.counters["forms"] = double(forms);
}
BENCHMARK(BM_LexiconLoad)->Iterations(1)->Unit(benchmark::kMillisecond);

// Phrase and NEAR verification against one item of `range(0)` bytes where "clean" and
// "energy" occur thousands of times, never adjacent: time per KiB should stay flat as the
// item grows (it grew with the item's size before, quadratically in total).
void BM_LongItem(benchmark::State& state) {
    std::vector<ww::Watchlist> w{{"a", "tariffs \"clean energy\"", {}, true},
                                 {"b", "clean NEAR/1 energy", {}, true},
                                 {"c", "(clean OR cleaner) ONEAR/1 (energy OR power)", {}, true}};
    const auto index = ww::match::build_index(w).index;
    std::string text = "tariffs ";
    while (text.size() < static_cast<std::size_t>(state.range(0))) text += "clean a b energy c d ";
    for (auto _ : state) {
        ww::match::ItemView item;
        item.content = text;
        benchmark::DoNotOptimize(index->match(item).data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_LongItem)->Arg(16 << 10)->Arg(64 << 10)->Arg(256 << 10)->Unit(benchmark::kMillisecond);

// The same index with anchors chosen by word length (no frequencies): what measuring buys.
void BM_MatchLengthAnchors(benchmark::State& state) {
    if (have_corpus(state)) run_index(state, corpus().items, false, false, false);
}
BENCHMARK(BM_MatchLengthAnchors)->Arg(100)->Arg(100000)->Unit(benchmark::kMicrosecond);

void BM_MatchExplained(benchmark::State& state) {
    if (have_corpus(state)) run_index(state, corpus().items, false, true);
}
BENCHMARK(BM_MatchExplained)->Arg(100)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);

// Explained, like match_brute_force: the two give the same answer.
void BM_MatchSample(benchmark::State& state) {
    if (have_corpus(state)) run_index(state, sample(), false, true);
}
BENCHMARK(BM_MatchSample)->Arg(100)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);

void BM_MatchSampleIds(benchmark::State& state) {
    if (have_corpus(state)) run_index(state, sample());
}
BENCHMARK(BM_MatchSampleIds)->Arg(100)->Arg(100000)->Unit(benchmark::kMicrosecond);

// `explained` as in run_index: BM_BruteForce explains its hits and compares with
// BM_MatchSample; BM_BruteForceIds answers without explanations, like BM_MatchSampleIds.
void run_brute_force(benchmark::State& state, bool explained) {
    if (!have_corpus(state)) return;
    const auto& items = sample();
    const auto& index = index_of(static_cast<std::size_t>(state.range(0)));
    std::size_t hits = 0;
    for (auto _ : state) {
        for (const auto& item : items) {
            if (explained) {
                const auto h = index.match_brute_force(view_of(item));
                benchmark::DoNotOptimize(h.data());
                hits += h.size();
            } else {
                const auto h = index.match_ids_brute_force(view_of(item));
                benchmark::DoNotOptimize(h.data());
                hits += h.size();
            }
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * items.size()));
    state.counters["items"] = double(items.size());
    state.counters["hits/item"] = double(hits) / double(state.iterations() * items.size());
}

void BM_BruteForce(benchmark::State& state) { run_brute_force(state, true); }
BENCHMARK(BM_BruteForce)->Arg(100)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);

void BM_BruteForceIds(benchmark::State& state) { run_brute_force(state, false); }
BENCHMARK(BM_BruteForceIds)->Arg(100)->Arg(100000)->Unit(benchmark::kMicrosecond);

void BM_Build(benchmark::State& state) {
    if (!have_corpus(state)) return;
    const auto watchlists = generate_watchlists(static_cast<std::size_t>(state.range(0)));
    ww::match::BuildOptions options;
    options.frequencies = frequencies();  // measured once, outside the timing, as a daemon would
    for (auto _ : state) {
        auto built = ww::match::build_index(watchlists, options);
        benchmark::DoNotOptimize(built.index.get());
    }
    state.counters["watchlists"] = double(state.range(0));
}
BENCHMARK(BM_Build)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_BuildLiteral(benchmark::State& state) {
    if (!have_corpus(state)) return;
    const auto watchlists = generate_watchlists(static_cast<std::size_t>(state.range(0)));
    ww::match::BuildOptions options;
    options.frequencies = frequencies();
    options.lexicon = ww::match::Lexicon::empty();
    for (auto _ : state) {
        auto built = ww::match::build_index(watchlists, options);
        benchmark::DoNotOptimize(built.index.get());
    }
    state.counters["watchlists"] = double(state.range(0));
}
BENCHMARK(BM_BuildLiteral)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
