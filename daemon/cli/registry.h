#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ww::cli {

// A subcommand of `wirewatch`: gets its arguments after the command name, returns the exit
// status. Each cmd_<name>.cpp registers itself with WW_CLI_COMMAND, so that commands are added
// without touching a central list.
using CommandFn = std::function<int(std::span<const std::string_view> args)>;

struct Command {
    std::string name;
    std::string summary;  // one line for `wirewatch --help`
    CommandFn run;
};

std::vector<Command>& commands();

struct Registrar {
    Registrar(std::string name, std::string summary, CommandFn run) {
        commands().push_back({std::move(name), std::move(summary), std::move(run)});
    }
};

}  // namespace ww::cli

#define WW_CLI_CONCAT2(a, b) a##b
#define WW_CLI_CONCAT(a, b) WW_CLI_CONCAT2(a, b)
#define WW_CLI_COMMAND(name, summary, fn) \
    static const ::ww::cli::Registrar WW_CLI_CONCAT(ww_cli_registrar_, __LINE__){name, summary, fn}
