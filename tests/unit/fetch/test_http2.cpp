// HTTP/2 where offered: the client against nginx over TLS on loopback, with a certificate made
// for the test. Skipped when nginx or openssl is not installed (Debian: nginx-light, openssl).

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "fetch/http_client.h"

extern char** environ;

namespace ww::fetch {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace fs = std::filesystem;

const std::string kFeed =
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Secure wire</title>"
    "<item><title>Ceasefire talks resume</title><guid>s1</guid></item></channel></rss>\n";

bool installed(const char* path) { return access(path, X_OK) == 0; }

unsigned short free_port() {
    asio::io_context io;
    asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

// nginx in the foreground as our child; stopped by its pid.
class Nginx {
public:
    Nginx(const fs::path& dir, unsigned short port) : dir_(dir) {
        std::ofstream(dir / "nginx.conf") << "daemon off;\nmaster_process off;\n"
            << "pid " << (dir / "nginx.pid").string() << ";\n"
            << "error_log " << (dir / "error.log").string() << ";\n"
            << "events {}\nhttp {\n  access_log off;\n"
            << "  client_body_temp_path " << (dir / "tmp").string() << ";\n"
            << "  proxy_temp_path " << (dir / "tmp").string() << ";\n"
            << "  fastcgi_temp_path " << (dir / "tmp").string() << ";\n"
            << "  uwsgi_temp_path " << (dir / "tmp").string() << ";\n"
            << "  scgi_temp_path " << (dir / "tmp").string() << ";\n"
            << "  server {\n    listen 127.0.0.1:" << port << " ssl http2;\n"
            << "    ssl_certificate " << (dir / "cert.pem").string() << ";\n"
            << "    ssl_certificate_key " << (dir / "key.pem").string() << ";\n"
            << "    root " << (dir / "www").string() << ";\n  }\n}\n";
        const std::string prefix = dir.string(), conf = (dir / "nginx.conf").string(),
                          log = (dir / "error.log").string();
        const char* argv[] = {"nginx", "-p", prefix.c_str(), "-c", conf.c_str(), "-e", log.c_str(), nullptr};
        if (posix_spawn(&pid_, "/usr/sbin/nginx", nullptr, nullptr, const_cast<char**>(argv), environ) != 0)
            pid_ = -1;
    }
    ~Nginx() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            waitpid(pid_, nullptr, 0);
        }
    }
    bool running() const { return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }

private:
    fs::path dir_;
    pid_t pid_ = -1;
};

// Readiness of a separate process can only be observed from outside: retry connecting until
// it accepts, within a deadline.
bool wait_until_listening(unsigned short port, const Nginx& nginx) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    asio::io_context io;
    while (std::chrono::steady_clock::now() < deadline && nginx.running()) {
        asio::ip::tcp::socket s(io);
        boost::system::error_code ec;
        s.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
        if (!ec) return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

// A temporary nginx prefix with a served feed and a self-made certificate for 127.0.0.1.
fs::path make_tls_site() {
    char tmpl[] = "/tmp/ww-h2-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return {};
    const fs::path dir = tmpl;
    fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec);
    fs::create_directories(dir / "www");
    fs::create_directories(dir / "tmp");
    std::ofstream(dir / "www" / "feed.xml") << kFeed;
    const std::string make_cert =
        "/usr/bin/openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1 -keyout " + (dir / "key.pem").string() +
        " -out " + (dir / "cert.pem").string() + " 2>/dev/null";
    if (std::system(make_cert.c_str()) != 0) return {};
    return dir;
}

TEST(Http2, NegotiatedOverTlsWhereOffered) {
    if (!installed("/usr/sbin/nginx") || !installed("/usr/bin/openssl"))
        GTEST_SKIP() << "nginx or openssl is not installed (apt-get install nginx-light openssl)";
    const fs::path dir = make_tls_site();
    ASSERT_FALSE(dir.empty());
    const auto port = free_port();
    std::optional<Result<Response>> first, second;
    {
        Nginx nginx(dir, port);
        ASSERT_TRUE(wait_until_listening(port, nginx)) << "nginx did not start, see " << dir / "error.log";
        asio::io_context io;
        ClientOptions o;
        o.allow_private_networks = true;
        o.ca_file = (dir / "cert.pem").string();
        HttpClient client(io, o);
        const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/feed.xml";
        client.get(Request{.url = url}, [&](Result<Response> r) {
            first = std::move(r);
            client.get(Request{.url = url}, [&](Result<Response> r2) { second = std::move(r2); });
        });
        const auto deadline = std::chrono::steady_clock::now() + 15s;
        while (!second && std::chrono::steady_clock::now() < deadline) io.run_one_for(50ms);
    }
    fs::remove_all(dir);
    ASSERT_TRUE(first && *first) << (first ? first->error().message : "no answer");
    EXPECT_EQ((*first)->status, 200);
    EXPECT_EQ((*first)->body, kFeed);
    EXPECT_EQ((*first)->http_version, "2");
    ASSERT_TRUE(second && *second);
    EXPECT_EQ((*second)->http_version, "2");
    EXPECT_FALSE((*second)->header("etag").empty());
}

TEST(Http2, AnUntrustedCertificateIsATlsError) {
    if (!installed("/usr/sbin/nginx") || !installed("/usr/bin/openssl"))
        GTEST_SKIP() << "nginx or openssl is not installed (apt-get install nginx-light openssl)";
    const fs::path dir = make_tls_site();
    ASSERT_FALSE(dir.empty());
    const auto port = free_port();
    std::optional<Result<Response>> result;
    {
        Nginx nginx(dir, port);
        ASSERT_TRUE(wait_until_listening(port, nginx));
        asio::io_context io;
        ClientOptions o;
        o.allow_private_networks = true;  // but no ca_file: the self-made certificate is unknown
        HttpClient client(io, o);
        client.get(Request{.url = "https://127.0.0.1:" + std::to_string(port) + "/feed.xml"},
                   [&](Result<Response> r) { result = std::move(r); });
        const auto deadline = std::chrono::steady_clock::now() + 15s;
        while (!result && std::chrono::steady_clock::now() < deadline) io.run_one_for(50ms);
    }
    fs::remove_all(dir);
    ASSERT_TRUE(result);
    ASSERT_FALSE(*result);
    EXPECT_EQ(result->error().kind, "tls") << result->error().message;
}

}  // namespace
}  // namespace ww::fetch
