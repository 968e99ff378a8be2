#pragma once

// Runs Prometheus' own linter, `promtool check metrics`, on an exposition text, so that the
// tests check the format against the reference implementation rather than our reading of it.

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

namespace ww::http::test {

inline std::string promtool_path() {
    for (const char* p : {"/usr/bin/promtool", "/usr/local/bin/promtool"})
        if (::access(p, X_OK) == 0) return p;
    return {};
}

inline bool promtool_available() { return !promtool_path().empty(); }

struct PromtoolResult {
    int status = -1;
    std::string output;  // stdout and stderr: the problems it found
};

inline PromtoolResult promtool_check(const std::string& exposition) {
    const auto file = std::filesystem::temp_directory_path() /
                      ("ww-metrics-" + std::to_string(::getpid()) + ".txt");
    std::ofstream(file, std::ios::binary) << exposition;
    const auto command = promtool_path() + " check metrics < '" + file.string() + "' 2>&1";
    PromtoolResult r;
    if (FILE* p = ::popen(command.c_str(), "r")) {
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) r.output.append(buf, n);
        const int status = ::pclose(p);
        r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::filesystem::remove(file);
    return r;
}

}  // namespace ww::http::test
