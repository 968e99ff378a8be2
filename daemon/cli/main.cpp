#include <algorithm>
#include <cstdio>
#include <string_view>
#include <vector>

#include "cli/registry.h"

namespace ww::cli {

std::vector<Command>& commands() {
    static std::vector<Command> all;
    return all;
}

namespace {

int usage(std::FILE* out) {
    std::fprintf(out, "usage: wirewatch <command> [options]\n\ncommands:\n");
    auto sorted = commands();
    std::ranges::sort(sorted, {}, &Command::name);
    for (const auto& c : sorted) std::fprintf(out, "  %-14s %s\n", c.name.c_str(), c.summary.c_str());
    std::fprintf(out, "\n`wirewatch <command> --help` for a command's options.\n");
    return out == stdout ? 0 : 2;
}

}  // namespace
}  // namespace ww::cli

int main(int argc, char** argv) {
    using namespace ww::cli;
    if (argc < 2) return usage(stderr);
    const std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") return usage(stdout);
    if (name == "--version") {
        std::printf("wirewatch %s\n", WW_VERSION);
        return 0;
    }
    const std::vector<std::string_view> args(argv + 2, argv + argc);
    for (const auto& c : commands())
        if (c.name == name) return c.run(args);
    std::fprintf(stderr, "wirewatch: unknown command \"%.*s\"\n\n", int(name.size()), name.data());
    return usage(stderr);
}
