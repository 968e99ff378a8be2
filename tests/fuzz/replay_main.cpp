// Replays files through the fuzz targets' entry points in an ordinary test build (g++, and
// ASan/UBSan under `make test-sanitize`), so that every crasher a fuzzer found, once kept under
// tests/fixtures/fuzz/<target>/, stays fixed without clang or libFuzzer. Each fuzz_<name>.cpp is
// compiled with its LLVMFuzzerTestOneInput renamed to ww_fuzz_<name> (CMakeLists.txt), and
// fuzz_targets.inc lists them.
//   fuzz_replay TARGET PATH...   (a folder means the files directly in it)
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#define WW_FUZZ_TARGET(name) extern "C" int ww_##name(const std::uint8_t* data, std::size_t size);
#include "fuzz_targets.inc"
#undef WW_FUZZ_TARGET

namespace {

using Entry = int (*)(const std::uint8_t*, std::size_t);

struct Target {
    std::string_view name;
    Entry entry;
};

constexpr Target targets[] = {
#define WW_FUZZ_TARGET(name) {#name, &ww_##name},
#include "fuzz_targets.inc"
#undef WW_FUZZ_TARGET
};

std::vector<std::filesystem::path> inputs_of(const std::filesystem::path& p) {
    if (!std::filesystem::is_directory(p)) return {p};
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator(p))
        if (e.is_regular_file()) out.push_back(e.path());
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: fuzz_replay TARGET PATH...\n");
        return 2;
    }
    Entry entry = nullptr;
    for (const auto& t : targets)
        if (t.name == argv[1]) entry = t.entry;
    if (!entry) {
        std::fprintf(stderr, "fuzz_replay: no target %s\n", argv[1]);
        return 2;
    }
    std::size_t replayed = 0;
    for (int i = 2; i < argc; ++i) {
        // A folder that does not exist yet (no crasher kept for this target) replays nothing.
        if (!std::filesystem::exists(argv[i])) continue;
        for (const auto& file : inputs_of(argv[i])) {
            std::ifstream in(file, std::ios::binary);
            const std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
            if (!in.eof() && in.fail()) {
                std::fprintf(stderr, "fuzz_replay: cannot read %s\n", file.c_str());
                return 1;
            }
            // A crash or a trapped invariant ends the process here, naming nothing: say first.
            std::fprintf(stderr, "fuzz_replay: %s %s\n", argv[1], file.c_str());
            entry(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
            ++replayed;
        }
    }
    std::printf("fuzz_replay: %s: %zu inputs replayed\n", argv[1], replayed);
    return replayed > 0 ? 0 : 1;
}
