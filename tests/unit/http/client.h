#pragma once
// A blocking loopback HTTP client on plain sockets and the server on its io thread, shared by
// the server's tests.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include "http/server.h"

namespace ww::http::test_client {

// A blocking loopback client on plain sockets, so that the test does not share the server's
// parser. Every receive has a deadline: a server that never answers fails the test, it does not
// hang it.
class Client {
public:
    explicit Client(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{5, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~Client() { ::close(fd_); }
    Client(const Client&) = delete;

    bool connected() const { return connected_; }

    void send(std::string_view data) {
        while (!data.empty()) {
            const auto n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0) return;  // the server may close early (limits); the response tells
            data.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    struct Reply {
        int status = 0;  // 0: the connection closed before a response
        std::map<std::string, std::string> headers;  // names lower-case
        std::string body;
    };

    // One response; with `head`, no body is read whatever Content-Length says.
    Reply read_reply(bool head = false) {
        Reply r;
        std::size_t end;
        while ((end = pending_.find("\r\n\r\n")) == std::string::npos)
            if (!fill()) return r;
        const std::string head_text = pending_.substr(0, end);
        pending_.erase(0, end + 4);
        r.status = std::stoi(head_text.substr(9, 3));
        std::size_t pos = head_text.find("\r\n");
        while (pos != std::string::npos && pos + 2 < head_text.size()) {
            const auto next = head_text.find("\r\n", pos + 2);
            const auto line = head_text.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
            const auto colon = line.find(':');
            std::string name = line.substr(0, colon);
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            r.headers[name] = line.substr(colon + 2);
            pos = next;
        }
        const std::size_t length = head ? 0 : std::stoul(r.headers["content-length"]);
        while (pending_.size() < length)
            if (!fill()) return Reply{};
        r.body = pending_.substr(0, length);
        pending_.erase(0, length);
        return r;
    }

    // True when the server closed the connection (EOF or reset) with nothing more to read.
    bool closed_by_server() {
        char c;
        const auto n = ::recv(fd_, &c, 1, 0);
        return n == 0 || (n < 0 && errno == ECONNRESET);
    }

private:
    bool fill() {
        char buf[8192];
        const auto n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return false;
        pending_.append(buf, static_cast<std::size_t>(n));
        return true;
    }

    int fd_ = -1;
    bool connected_ = false;
    std::string pending_;
};

inline std::string get(std::string_view path, std::string_view extra = "") {
    return "GET " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(extra) + "\r\n";
}

// The server on its own io thread, as in the daemon; stop() runs on that thread.
class ServerFixture : public ::testing::Test {
protected:
    void run_server(ServerOptions options, Router router) {
        auto s = Server::start(io_, std::move(options), std::move(router));
        ASSERT_TRUE(s.has_value()) << s.error().message;
        server_.emplace(std::move(*s));
        port_ = server_->port();
        thread_ = std::thread([this] { io_.run(); });
    }

    void stop_server() {
        std::promise<void> done;
        boost::asio::post(io_, [&] {
            server_->stop();
            done.set_value();
        });
        done.get_future().wait();
    }

    void TearDown() override {
        if (!thread_.joinable()) return;
        stop_server();
        work_.reset();
        thread_.join();  // returns only when every session has ended: stop() leaves nothing behind
    }

    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
        boost::asio::make_work_guard(io_);
    std::optional<Server> server_;
    std::thread thread_;
    std::uint16_t port_ = 0;
};

}  // namespace ww::http::test_client
