#pragma once

// A scriptable HTTP/1.1 server on loopback for the fetch tests. It runs as coroutines on the
// test's own io_context, next to the client under test, so the test needs no thread and no
// sleep: a handler decides, per path, how (and how badly) to answer.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <zlib.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace ww::fetch::test {

namespace asio = boost::asio;
using asio::ip::tcp;

// A gzip stream of `in`, for servers that send Content-Encoding: gzip (and gzip bombs).
inline std::string gzip(const std::string& in) {
    z_stream z{};
    deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, in.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

struct ServerRequest {
    std::string method;
    std::string target;  // path and query as sent
    std::map<std::string, std::string> headers;  // names lower-case

    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// What a handler returns: whether the connection may serve another request.
enum class Next { keep_alive, close };

class LoopbackServer {
public:
    using Handler = std::function<asio::awaitable<Next>(tcp::socket&, const ServerRequest&)>;

    explicit LoopbackServer(asio::io_context& io, const std::string& address = "127.0.0.1")
        : io_(io), acceptor_(io, tcp::endpoint(asio::ip::make_address(address), 0)) {
        asio::co_spawn(io_, accept_loop(), asio::detached);
    }
    ~LoopbackServer() {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        for (auto& weak : sockets_)
            if (auto s = weak.lock()) s->close(ignored);
    }

    void on(const std::string& path, Handler h) { handlers_[path] = std::move(h); }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    std::string url(const std::string& path) const {
        return "http://" + acceptor_.local_endpoint().address().to_string() + ":" +
               std::to_string(port()) + path;
    }

    std::vector<ServerRequest> requests;  // every request received, in order
    int connections = 0;                   // connections accepted
    int active = 0;                        // requests being handled now
    int max_active = 0;                    // the most handled at once

    // Writes a complete response with Content-Length. Parameters are taken by value: the
    // coroutine starts after the caller's temporaries are gone.
    static asio::awaitable<Next> respond(tcp::socket& s, int status, std::string body,
                                         std::vector<std::string> headers = {}) {
        std::string out = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
        for (const auto& h : headers) out += h + "\r\n";
        out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        auto [ec, n] = co_await asio::async_write(s, asio::buffer(out), asio::as_tuple(asio::use_awaitable));
        co_return ec ? Next::close : Next::keep_alive;
    }

    static asio::awaitable<void> pause(std::chrono::milliseconds d) {
        asio::steady_timer t(co_await asio::this_coro::executor, d);
        co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
    }

private:
    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec) co_return;
            ++connections;
            auto s = std::make_shared<tcp::socket>(std::move(socket));
            sockets_.push_back(s);
            asio::co_spawn(io_, session(s), asio::detached);
        }
    }

    asio::awaitable<void> session(std::shared_ptr<tcp::socket> s) {
        std::string buffer;
        for (;;) {
            auto [ec, n] = co_await asio::async_read_until(
                *s, asio::dynamic_buffer(buffer), "\r\n\r\n", asio::as_tuple(asio::use_awaitable));
            if (ec) co_return;
            ServerRequest req = parse(std::string_view(buffer).substr(0, n));
            buffer.erase(0, n);
            requests.push_back(req);
            const auto path = req.target.substr(0, req.target.find('?'));
            auto it = handlers_.find(path);
            ++active;
            max_active = std::max(max_active, active);
            Next next = it == handlers_.end() ? co_await respond(*s, 404, "no handler")
                                              : co_await it->second(*s, req);
            --active;
            if (next == Next::close) {
                boost::system::error_code ignored;
                s->shutdown(tcp::socket::shutdown_both, ignored);
                s->close(ignored);
                co_return;
            }
        }
    }

    static ServerRequest parse(std::string_view head) {
        ServerRequest r;
        auto line_end = head.find("\r\n");
        auto first = head.substr(0, line_end);
        auto sp1 = first.find(' ');
        auto sp2 = first.find(' ', sp1 + 1);
        r.method = std::string(first.substr(0, sp1));
        r.target = std::string(first.substr(sp1 + 1, sp2 - sp1 - 1));
        head.remove_prefix(line_end + 2);
        while (!head.empty()) {
            auto end = head.find("\r\n");
            auto line = head.substr(0, end);
            auto colon = line.find(':');
            if (colon != line.npos) {
                std::string name(line.substr(0, colon));
                for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                auto value = line.substr(colon + 1);
                while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
                r.headers[name] = std::string(value);
            }
            if (end == head.npos) break;
            head.remove_prefix(end + 2);
        }
        return r;
    }

    asio::io_context& io_;
    tcp::acceptor acceptor_;
    std::map<std::string, Handler> handlers_;
    std::vector<std::weak_ptr<tcp::socket>> sockets_;
};

}  // namespace ww::fetch::test
