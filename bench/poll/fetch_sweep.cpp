// The HTTP client alone over a list of URLs, cold (plain GET) then warm (conditional GET with
// the validators of the cold pass), with the daemon's default limits. It separates the cost
// of fetching from parsing, matching and recording when bench/poll/run.py reports a sweep.
//
//   bench_fetch_sweep URLS_FILE   ->  "cold <s> <ok> <bytes>\nwarm <s> <304s>\n"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "fetch/http_client.h"
#include "fetch/response_policy.h"

namespace {

using ww::fetch::HttpClient;
using ww::fetch::Request;
using ww::fetch::Response;

struct Pass {
    double seconds = 0;
    std::size_t ok = 0, not_modified = 0, failed = 0, bytes = 0;
};

Pass sweep(const std::vector<std::string>& urls, std::vector<ww::fetch::Validators>& validators) {
    boost::asio::io_context io;
    ww::fetch::ClientOptions options;
    options.allow_private_networks = true;  // nginx on loopback
    HttpClient client(io, options);
    Pass pass;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < urls.size(); ++i) {
        Request r{.url = urls[i], .etag = validators[i].etag, .last_modified = validators[i].last_modified};
        client.get(std::move(r), [&, i](ww::Result<Response> res) {
            if (!res) {
                ++pass.failed;
                std::fprintf(stderr, "%s\n", res.error().message.c_str());
                return;
            }
            if (!ww::fetch::is_modified(*res)) {
                ++pass.not_modified;
                return;
            }
            ++pass.ok;
            pass.bytes += res->body.size();
            validators[i] = ww::fetch::validators_of(*res);
        });
    }
    io.run();
    pass.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return pass;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench_fetch_sweep URLS_FILE\n");
        return 2;
    }
    std::vector<std::string> urls;
    std::ifstream in(argv[1]);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) urls.push_back(line);
    std::vector<ww::fetch::Validators> validators(urls.size());
    const auto cold = sweep(urls, validators);
    const auto warm = sweep(urls, validators);
    std::printf("cold %.3f ok=%zu failed=%zu bytes=%zu\n", cold.seconds, cold.ok, cold.failed, cold.bytes);
    std::printf("warm %.3f not_modified=%zu ok=%zu failed=%zu\n", warm.seconds, warm.not_modified, warm.ok,
                warm.failed);
    return cold.failed + warm.failed == 0 ? 0 : 1;
}
