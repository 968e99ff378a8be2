// libFuzzer target: the HTTP server's request path (Beast's parser with our limits, routing,
// the error answers, serialisation) on arbitrary bytes, plus the metrics text escaping of
// arbitrary label values. Invariants: every input gets exactly one well-formed status line, and
// no label value can break the exposition format's one-sample-per-line rule.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/metrics.h"
#include "http/server.h"

namespace {

const ww::http::Router& router() {
    static const ww::http::Router r = [] {
        ww::http::Router x;
        x.get("/healthz", [](const ww::http::Request&) { return ww::http::Response::text(200, "ok\n"); });
        x.get("/api/feeds", [](const ww::http::Request& q) { return ww::http::Response::json("{\"q\":\"" + q.query + "\"}"); });
        x.post("/echo", [](const ww::http::Request& q) { return ww::http::Response::text(200, q.body); });
        return x;
    }();
    return r;
}

void check_response(std::string_view out) {
    // "HTTP/1.x NNN " with a status the server may give.
    if (out.size() < 13 || !out.starts_with("HTTP/1.") || out[12] != ' ') __builtin_trap();
    const std::string_view code = out.substr(9, 3);
    constexpr std::string_view allowed[] = {"200", "400", "404", "405", "413", "431", "500"};
    bool ok = false;
    for (auto a : allowed) ok = ok || code == a;
    if (!ok) __builtin_trap();
}

void check_label(std::string_view value) {
    ww::http::Registry registry;
    registry.counter_family("fuzz_total", "Fuzz.", {"v"}).with({std::string(value)}).inc();
    const std::string text = registry.render();
    std::size_t lines = 0;
    for (char c : text) lines += c == '\n';
    if (lines != 3) __builtin_trap();  // HELP, TYPE, one sample
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    check_response(ww::http::respond_to_bytes(router(), input, {.max_header_bytes = 2048, .max_body_bytes = 4096}));
    check_label(input.substr(0, 256));
    return 0;
}
