#include "mock_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace ww::test {

namespace {

const char* reason(int status) {
    switch (status) {
        case 200: return "OK";
        case 204: return "No Content";
        case 400: return "Bad Request";
        case 403: return "Forbidden";
        case 429: return "Too Many Requests";
        default: return status >= 500 ? "Server Error" : "Status";
    }
}

bool iequal(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

}  // namespace

std::string MockHttpServer::Request::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequal(k, name)) return v;
    return {};
}

MockHttpServer::MockHttpServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(listen_fd_, 16) != 0)
        throw std::runtime_error("mock server: cannot listen on loopback");
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
}

MockHttpServer::~MockHttpServer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    ::shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    ::close(listen_fd_);
}

std::string MockHttpServer::url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

void MockHttpServer::script(Reply reply) {
    std::lock_guard lock(mutex_);
    script_.push_back(std::move(reply));
}

void MockHttpServer::set_default(Reply reply) {
    std::lock_guard lock(mutex_);
    default_ = std::move(reply);
}

bool MockHttpServer::wait_for(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
}

std::vector<MockHttpServer::Request> MockHttpServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

void MockHttpServer::serve() {
    for (;;) {
        pollfd p{listen_fd_, POLLIN, 0};
        ::poll(&p, 1, -1);
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        handle(fd);
        ::close(fd);
    }
}

void MockHttpServer::handle(int fd) {
    std::string data;
    char buf[8192];
    std::size_t header_end = std::string::npos;
    while (header_end == std::string::npos) {
        const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
        if (n <= 0) return;
        data.append(buf, std::size_t(n));
        header_end = data.find("\r\n\r\n");
    }
    Request req;
    std::size_t content_length = 0;
    std::size_t pos = data.find("\r\n");
    {
        const std::string line = data.substr(0, pos);
        const auto sp1 = line.find(' '), sp2 = line.rfind(' ');
        req.method = line.substr(0, sp1);
        req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    }
    while (pos < header_end) {
        const auto next = data.find("\r\n", pos + 2);
        const std::string line = data.substr(pos + 2, next - pos - 2);
        pos = next;
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        req.headers.emplace_back(line.substr(0, colon), value);
        if (iequal(line.substr(0, colon), "content-length")) content_length = std::stoul(value);
    }
    req.body = data.substr(header_end + 4);
    while (req.body.size() < content_length) {
        const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
        if (n <= 0) return;
        req.body.append(buf, std::size_t(n));
    }
    Reply reply;
    {
        std::lock_guard lock(mutex_);
        if (script_.empty()) {
            reply = default_;
        } else {
            reply = std::move(script_.front());
            script_.pop_front();
        }
    }
    std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " + reason(reply.status) + "\r\n";
    for (const auto& [k, v] : reply.headers) out += k + ": " + v + "\r\n";
    out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\nConnection: close\r\n\r\n" + reply.body;
    // Record before answering: a test woken by wait_for may then assert on the reply's effect
    // only after the sink has also seen it (it waits on the sink's cursor for that).
    {
        std::lock_guard lock(mutex_);
        requests_.push_back(std::move(req));
    }
    cv_.notify_all();
    std::size_t sent = 0;
    while (sent < out.size()) {
        const ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += std::size_t(n);
    }
}

}  // namespace ww::test
