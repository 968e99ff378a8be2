#include "cli/fetch_once.h"

#include <boost/asio/io_context.hpp>

#include "fetch/http_client.h"

namespace ww::cli {

Result<Fetched> fetch_once(const std::string& url, bool allow_private) {
    boost::asio::io_context io;
    fetch::HttpClient client(io, {.allow_private_networks = allow_private});
    Result<Fetched> out = fail("fetch", "fetch: no response from " + url);
    client.get({.url = url}, [&](Result<fetch::Response> r) {
        if (!r) {
            out = fail(r.error().kind, r.error().message);
        } else if (r->status != 200) {
            out = fail("http", "fetch: HTTP " + std::to_string(r->status) + " from " + url);
        } else {
            const auto effective = r->effective_url.empty() ? url : r->effective_url;
            out = Fetched{std::move(r->body), r->header("content-type"), effective, r->header("content-location")};
        }
    });
    io.run();
    return out;
}

}  // namespace ww::cli
