#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace ww::test {

// A loopback HTTP/1.1 server for sink tests: records every request and answers from a script
// (then 200 by default). One connection at a time, Connection: close: sinks send one request
// per attempt, so this is all the mock needs.
class MockHttpServer {
public:
    struct Request {
        std::string method;
        std::string target;
        std::vector<std::pair<std::string, std::string>> headers;
        std::string body;
        std::string header(std::string_view name) const;
    };
    struct Reply {
        int status = 200;
        std::vector<std::pair<std::string, std::string>> headers;
        std::string body = "ok";
    };

    MockHttpServer();
    ~MockHttpServer();
    MockHttpServer(const MockHttpServer&) = delete;
    MockHttpServer& operator=(const MockHttpServer&) = delete;

    std::string url(std::string_view path = "/") const;
    int port() const { return port_; }
    void script(Reply reply);  // answers the next unanswered request
    void set_default(Reply reply);
    // Blocks until n requests arrived; false after the timeout.
    bool wait_for(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10));
    std::vector<Request> requests() const;

private:
    void serve();
    void handle(int fd);

    int listen_fd_ = -1;
    int port_ = 0;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Reply> script_;
    Reply default_;
    std::vector<Request> requests_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace ww::test
