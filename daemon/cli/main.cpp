#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "cli/registry.h"
#include "core/text.h"

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
    std::fprintf(out, "\n`wirewatch help <command>` (or `wirewatch <command> --help`) for a command's options.\n");
    return out == stdout ? 0 : 2;
}

const Command* find(std::string_view name) {
    for (const auto& c : commands())
        if (c.name == name) return &c;
    return nullptr;
}

int unknown(std::string_view name) {
    std::vector<std::string> names;
    for (const auto& c : commands()) names.push_back(c.name);
    std::fprintf(stderr, "wirewatch: unknown command \"%.*s\"%s\n\n", int(name.size()), name.data(),
                 ww::did_you_mean(name, names).c_str());
    return usage(stderr);
}

}  // namespace
}  // namespace ww::cli

int main(int argc, char** argv) {
    using namespace ww::cli;
    if (argc < 2) return usage(stderr);
    const std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || (name == "help" && argc == 2)) return usage(stdout);
    if (name == "--version") {
        std::printf("wirewatch %s\n", WW_VERSION);
        return 0;
    }
    // `wirewatch help CMD` is `wirewatch CMD --help`.
    if (name == "help") {
        const Command* c = find(argv[2]);
        if (!c) return unknown(argv[2]);
        const std::vector<std::string_view> help{"--help"};
        return c->run(help);
    }
    const Command* c = find(name);
    if (!c) return unknown(name);
    // `-h` is `--help` for every command, so that no command has to remember both.
    std::vector<std::string_view> args(argv + 2, argv + argc);
    std::ranges::replace(args, std::string_view("-h"), std::string_view("--help"));
    return c->run(args);
}
