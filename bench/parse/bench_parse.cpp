// Parse throughput on the realistic set (../shared/corpus/realistic-set.txt), all bodies held in
// memory: ww::feed::parse to items, pugixml's raw in-place DOM parse of the same bytes (the
// practical limit), and Python feedparser (/usr/bin/python3) in the same run; prints MB/s of CPU time,
// items/s and the ratios the issue sets targets for (ours >= 50 % of pugixml, >= 100x feedparser).
//
// usage: bench_parse [--seconds S] [--rounds R] [--corpus DIR] [--no-python] [--only-ours S]
// --only-ours S runs our parse alone for S seconds, for `perf record` (no other code in the profile).
#include <pugixml.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "feed/parse.h"

namespace {

namespace fs = std::filesystem;
// CPU time of this thread, not wall time: the machines this runs on are shared, and a
// neighbour's build would otherwise be measured as our slowness.
struct Clock {
    using duration = std::chrono::nanoseconds;
    using time_point = std::chrono::time_point<Clock, duration>;
    static time_point now() {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return time_point(duration(std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec));
    }
};

struct Figures {
    double mb_s = 0;
    double items_s = 0;
};

std::vector<std::string> load_set(const fs::path& corpus) {
    std::ifstream listing(corpus / "realistic-set.txt");
    std::vector<std::string> bodies;
    for (std::string line; std::getline(listing, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::ifstream in(corpus / line, std::ios::binary);
        bodies.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return bodies;
}

// Times one pass of `round` over the set, repeated for at least `seconds`.
template <class Round>
double seconds_per_pass(double seconds, Round& round, std::size_t& items) {
    const auto start = Clock::now();
    int passes = 0;
    do {
        items = round();
        ++passes;
    } while (std::chrono::duration<double>(Clock::now() - start).count() < seconds);
    return std::chrono::duration<double>(Clock::now() - start).count() / passes;
}

double median(std::vector<double> v) {
    std::ranges::sort(v);
    return v[v.size() / 2];
}

Figures feedparser(const fs::path& corpus, double seconds) {
    const std::string cmd = std::string("/usr/bin/python3 ") + WW_FEEDPARSER_SCRIPT + " '" +
                            corpus.string() + "' " + std::to_string(std::max(seconds * 3, 5.0));
    std::FILE* p = popen(cmd.c_str(), "r");
    if (!p) return {};
    char line[512] = {};
    const bool got = std::fgets(line, sizeof line, p) != nullptr;
    pclose(p);
    if (!got) return {};
    double bytes = 0, items = 0, secs = 0;
    // {"bytes": N, "items": N, "seconds": S, "rounds": R}
    if (std::sscanf(line, "{\"bytes\": %lf, \"items\": %lf, \"seconds\": %lf", &bytes, &items, &secs) != 3 || secs <= 0)
        return {};
    return {bytes / 1e6 / secs, items / secs};
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 1.0;
    int rounds = 5;
    bool python = true;
    double only_ours = 0;
    fs::path corpus = std::getenv("WW_CORPUS_DIR") ? std::getenv("WW_CORPUS_DIR") : WW_CORPUS_DIR;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--seconds" && i + 1 < argc) seconds = std::atof(argv[++i]);
        else if (a == "--rounds" && i + 1 < argc) rounds = std::atoi(argv[++i]);
        else if (a == "--corpus" && i + 1 < argc) corpus = argv[++i];
        else if (a == "--no-python") python = false;
        else if (a == "--only-ours" && i + 1 < argc) only_ours = std::atof(argv[++i]);
        else {
            std::fprintf(stderr, "usage: bench_parse [--seconds S] [--rounds R] [--corpus DIR] [--no-python] [--only-ours S]\n");
            return 2;
        }
    }
    if (!fs::exists(corpus / "realistic-set.txt")) {
        std::fprintf(stderr, "bench_parse: %s/realistic-set.txt not found; nothing to measure\n",
                     corpus.c_str());
        return 0;
    }
    const auto bodies = load_set(corpus);
    std::size_t bytes = 0;
    for (const auto& b : bodies) bytes += b.size();
    std::printf("realistic set: %zu feeds, %.2f MB\n", bodies.size(), double(bytes) / 1e6);

    std::vector<char> scratch;
    auto raw_round = [&] {
        for (const auto& b : bodies) {
            // In-place parsing destroys its buffer: each pass parses a fresh copy.
            scratch.assign(b.begin(), b.end());
            pugi::xml_document doc;
            doc.load_buffer_inplace(scratch.data(), scratch.size(), pugi::parse_default);
        }
        return std::size_t{0};
    };
    auto ours_round = [&] {
        std::size_t items = 0;
        for (const auto& b : bodies) {
            const auto feed = ww::feed::parse(b, {});
            if (feed) items += feed->items.size();
        }
        return items;
    };
    if (only_ours > 0) {
        std::size_t n = 0;
        const double t = seconds_per_pass(only_ours, ours_round, n);
        std::printf("wirewatch ww::feed::parse alone: %.1f MB/s, %zu items per pass\n", double(bytes) / 1e6 / t, n);
        return 0;
    }
    // Interleaved rounds: on a shared machine the load changes from second to second, and the
    // ratio of neighbouring measurements is what stays meaningful.
    std::vector<double> raw_t, ours_t, ratios;
    std::size_t items = 0, unused = 0;
    for (int r = 0; r < rounds; ++r) {
        raw_t.push_back(seconds_per_pass(seconds, raw_round, unused));
        ours_t.push_back(seconds_per_pass(seconds, ours_round, items));
        ratios.push_back(raw_t.back() / ours_t.back());
    }
    const double mb = double(bytes) / 1e6;
    const Figures raw{mb / median(raw_t), 0};
    const Figures ours{mb / median(ours_t), double(items) / median(ours_t)};
    std::printf("%-34s %10s %12s\n", "parser", "MB/s", "items/s");
    std::printf("%-34s %10.1f %12.0f\n", "pugixml raw DOM (in place)", raw.mb_s, 0.0);
    std::printf("%-34s %10.1f %12.0f\n", "wirewatch ww::feed::parse", ours.mb_s, ours.items_s);
    Figures py;
    if (python) {
        py = feedparser(corpus, seconds);
        if (py.mb_s > 0) std::printf("%-34s %10.2f %12.0f\n", "python3 feedparser", py.mb_s, py.items_s);
        else std::printf("python3 feedparser: not available\n");
    }
    std::printf("\nours / pugixml raw: %.0f %% (median of %d interleaved rounds; target >= 50 %%)\n",
                100.0 * median(ratios), rounds);
    if (py.mb_s > 0) std::printf("ours / feedparser:  %.0fx (target >= 100x)\n", ours.mb_s / py.mb_s);
    return 0;
}
