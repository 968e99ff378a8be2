// The email plugin end to end: the real module in the real sink host, sending over SMTP to a
// real server on loopback (smtp_test_server.py, Debian's python3-aiosmtpd), which hands back
// what Python's mail parser reads in every message it accepted.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <vector>

#include "sink_harness.h"

extern char** environ;

namespace ww::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

const std::string kServerScript = WW_PLUGIN_SOURCE_DIR "/email/smtp_test_server.py";
const std::string kAlertId = "8c2f6a0d5e7b41c29a3d7f10b6e4c581";

// The SMTP server, one per test, stopped by its pid.
class SmtpServer {
public:
    explicit SmtpServer(std::vector<std::string> extra = {}) {
        char tmpl[] = "/tmp/ww-email-test-XXXXXX";
        dir_ = mkdtemp(tmpl);
        std::vector<std::string> args{"/usr/bin/python3", kServerScript, "--dir", dir_.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        start(args);
    }
    ~SmtpServer() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            waitpid(pid_, nullptr, 0);
        }
        if (out_ >= 0) close(out_);
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    SmtpServer(const SmtpServer&) = delete;
    SmtpServer& operator=(const SmtpServer&) = delete;

    int port() const { return port_; }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
    // What the server accepted, in order (written before it answered 250).
    std::vector<json> messages() const {
        std::vector<json> out;
        for (int n = 1; fs::exists(dir_ / (std::to_string(n) + ".json")); ++n)
            out.push_back(json::parse(read_file((dir_ / (std::to_string(n) + ".json")).string())));
        return out;
    }
    std::string raw(int n) const { return read_file((dir_ / (std::to_string(n) + ".eml")).string()); }
    // With --tls: the server's self-signed certificate, for the client to trust.
    std::string ca_file() const { return (dir_ / "ca.pem").string(); }

private:
    void start(const std::vector<std::string>& args) {
        int pipe_fds[2];
        ASSERT_EQ(pipe(pipe_fds), 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
        posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(pipe_fds[1]);
        out_ = pipe_fds[0];
        ASSERT_EQ(rc, 0) << "cannot start " << argv[0];
        wait_ready();
    }

    // The server prints "READY <port>" once it listens; anything else (an ImportError when
    // python3-aiosmtpd is missing: scripts/install-deps.sh installs it) fails the test.
    void wait_ready() {
        std::string seen;
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (seen.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
            pollfd p{out_, POLLIN, 0};
            if (poll(&p, 1, 200) <= 0) continue;
            char buf[256];
            const ssize_t n = read(out_, buf, sizeof buf);
            if (n <= 0) break;
            seen.append(buf, std::size_t(n));
        }
        ASSERT_TRUE(seen.starts_with("READY ")) << "the SMTP test server did not start (python3-aiosmtpd "
                                                   "installed?): "
                                                << seen;
        port_ = std::stoi(seen.substr(6));
    }

    fs::path dir_;
    pid_t pid_ = -1;
    int out_ = -1;
    int port_ = 0;
};

SinkRun::SpecFn email_spec(const SmtpServer& smtp, std::map<std::string, std::string> extra = {}) {
    return [&smtp, extra](const MockHttpServer&) {
        sink::SinkSpec sp;
        sp.name = "desk";
        sp.plugin = "email";
        sp.url = smtp.url();
        sp.options["from"] = "Wirewatch <wirewatch@example.org>";
        sp.options["to"] = "desk@example.org, Night Desk <night@example.org>";  // a TOML array, as the host passes it
        sp.options["subject_prefix"] = "[ww] ";
        for (const auto& [k, v] : extra) sp.options[k] = v;
        return sp;
    };
}

// Starts the sink against `smtp` and lets it finish with `alert` (delivered or failed).
void deliver_once(SinkRun& run, const SmtpServer& smtp, const sink::OfferedAlert& alert,
                  std::map<std::string, std::string> extra = {}) {
    ASSERT_NO_FATAL_FAILURE(run.start(email_spec(smtp, std::move(extra))));
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(alert));
}

json part_of(const json& msg, const std::string& type) {
    for (const auto& p : msg.at("parts"))
        if (p.at("type") == type) return p;
    ADD_FAILURE() << "no " << type << " part in " << msg.dump();
    return json::object();
}

// A part's decoded text, with the CRLF of the wire turned into "\n".
std::string text_of(const json& msg, const std::string& type) {
    std::string out;
    for (char c : part_of(msg, type).value("content", ""))
        if (c != '\r') out.push_back(c);
    return out;
}

TEST(EmailSink, SendsOneMultipartMailWithHeadersAndBothParts) {
    SmtpServer smtp;
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(deliver_once(run, smtp, reference_alert()));
    const auto msgs = smtp.messages();
    ASSERT_EQ(msgs.size(), 1u) << run.logs();
    const json& m = msgs[0];
    EXPECT_EQ(m.at("mail_from"), "wirewatch@example.org");
    EXPECT_EQ(m.at("rcpt_tos"), json({"desk@example.org", "night@example.org"}));
    const json& h = m.at("headers");
    EXPECT_EQ(h.at("From"), "Wirewatch <wirewatch@example.org>");
    EXPECT_EQ(h.at("To"), "desk@example.org, Night Desk <night@example.org>");
    EXPECT_EQ(h.at("Subject"), "[ww] Россия и Китай: \"торговля\" <растёт> & 中国与俄罗斯贸易增长");
    EXPECT_EQ(h.at("Message-ID"), "<" + kAlertId + "@wirewatch>");
    EXPECT_EQ(h.at("Date"), "Fri, 27 Nov 2026 14:05:00 +0000");
    EXPECT_EQ(h.count("In-Reply-To"), 0u);
    EXPECT_EQ(m.at("content_type"), "multipart/alternative");
    EXPECT_EQ(m.at("defects"), json::array());
    EXPECT_FALSE(m.at("bare_lf").get<bool>());
    EXPECT_LE(m.at("longest_line").get<int>(), 78);
    const std::string plain = text_of(m, "text/plain");
    EXPECT_NE(plain.find("Россия и Китай: \"торговля\" <растёт> & 中国与俄罗斯贸易增长"), std::string::npos) << plain;
    EXPECT_NE(plain.find("https://news.example/item?id=42&lang=ru"), std::string::npos) << plain;
    EXPECT_NE(plain.find("china-russia-trade"), std::string::npos) << plain;
    const std::string html = text_of(m, "text/html");
    EXPECT_NE(html.find("&quot;торговля&quot; &lt;растёт&gt; &amp; 中国"), std::string::npos) << html;
    EXPECT_NE(html.find("<a href=\"https://news.example/item?id=42&amp;lang=ru\">"), std::string::npos) << html;
    EXPECT_EQ(html.find("<растёт>"), std::string::npos) << "item text reached the HTML unescaped";
    EXPECT_EQ(html.find("<b>продолжаются</b>"), std::string::npos) << "the snippet's markup is text, not HTML";
}

TEST(EmailSink, ARedeliveryCarriesTheSameMessageId) {
    // A crash between the server's 250 and the cursor write sends the alert again: the same
    // Message-ID (and the same bytes) let the reader's client recognise it.
    SmtpServer smtp;
    for (int i = 0; i < 2; ++i) {
        SinkRun run;  // a fresh cursor each time: the host delivers the alert again
        ASSERT_NO_FATAL_FAILURE(deliver_once(run, smtp, reference_alert()));
    }
    const auto msgs = smtp.messages();
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0].at("headers").at("Message-ID"), msgs[1].at("headers").at("Message-ID"));
    EXPECT_EQ(smtp.raw(1), smtp.raw(2));
}

TEST(EmailSink, A4xxReplyIsRetriedWithTheSameMessage) {
    SmtpServer smtp({"--rcpt-reply", "451 4.3.0 mailbox busy, try later", "--rcpt-times", "1"});
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(deliver_once(run, smtp, reference_alert()));
    const auto c = run.counters();
    EXPECT_EQ(c.retries, 1u) << run.logs();
    EXPECT_EQ(c.delivered, 1u);
    EXPECT_EQ(c.failed, 0u);
    EXPECT_EQ(run.clock->sleeps(), std::vector<std::chrono::milliseconds>{1800ms}) << run.logs();
    const auto msgs = smtp.messages();
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].at("headers").at("Message-ID"), "<" + kAlertId + "@wirewatch>");
}

TEST(EmailSink, A5xxReplyIsAPermanentFailure) {
    SmtpServer smtp({"--rcpt-reply", "550 5.1.1 no such mailbox"});
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(deliver_once(run, smtp, reference_alert()));
    const auto c = run.counters();
    EXPECT_EQ(c.retries, 0u) << run.logs();
    EXPECT_EQ(c.failed, 1u);
    EXPECT_TRUE(smtp.messages().empty());
    const auto failures = run.cursors.failures("desk");
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_NE(failures[0].second.find("550"), std::string::npos) << failures[0].second;
}

// The files written here, removed when the test program exits: tests leave nothing in /tmp.
struct RemovedAtExit {
    std::vector<fs::path> paths;
    ~RemovedAtExit() {
        std::error_code ec;
        for (const auto& p : paths) fs::remove(p, ec);
    }
};

std::string write_secret(const std::string& name, const std::string& content) {
    const auto p = fs::temp_directory_path() / name;
    std::ofstream(p) << content << "\n";
    static RemovedAtExit written;
    written.paths.push_back(p);
    return p.string();
}

TEST(EmailSink, AuthenticatesWithAPasswordFile) {
    const std::string password = "pw-5e1f0c9a-mail";
    SmtpServer smtp({"--auth", "desk-user:" + password});
    SinkRun run;
    const auto file = write_secret("ww-email-test.password", password);
    ASSERT_NO_FATAL_FAILURE(
        deliver_once(run, smtp, reference_alert(), {{"username", "desk-user"}, {"password_file", file}}));
    const auto msgs = smtp.messages();
    ASSERT_EQ(msgs.size(), 1u) << run.logs();
    EXPECT_EQ(msgs[0].at("auth_login"), "desk-user");
    EXPECT_EQ(run.logs().find(password), std::string::npos) << run.logs();
}

TEST(EmailSink, AWrongPasswordIsAPermanentFailureWithoutThePassword) {
    SmtpServer smtp({"--auth", "desk-user:right-password"});
    SinkRun run;
    const std::string wrong = "wrong-pw-77c1d2";
    ASSERT_NO_FATAL_FAILURE(
        deliver_once(run, smtp, reference_alert(), {{"username", "desk-user"}, {"password", wrong}}));
    EXPECT_EQ(run.counters().failed, 1u) << run.logs();
    EXPECT_TRUE(smtp.messages().empty());
    const auto failures = run.cursors.failures("desk");
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_NE(failures[0].second.find("535"), std::string::npos) << failures[0].second;
    EXPECT_EQ(failures[0].second.find(wrong), std::string::npos) << failures[0].second;
}

TEST(EmailSink, StartTlsRequiredRefusesAPlainServer) {
    SmtpServer smtp;  // offers no STARTTLS
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(deliver_once(run, smtp, reference_alert(), {{"starttls", "require"}}));
    EXPECT_EQ(run.counters().failed, 1u) << run.logs();
    EXPECT_TRUE(smtp.messages().empty()) << "the mail went out in plain text";
}

TEST(EmailSink, UpgradesWithStartTlsWhenOffered) {
    // The server refuses MAIL before STARTTLS: the mail arrives only if the plugin upgraded.
    SmtpServer smtp({"--tls", "starttls"});
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(deliver_once(run, smtp, reference_alert(), {{"ca_file", smtp.ca_file()}}));
    const auto msgs = smtp.messages();
    ASSERT_EQ(msgs.size(), 1u) << run.logs();
    EXPECT_TRUE(msgs[0].at("tls").get<bool>());
}

TEST(EmailSink, SpeaksTlsFromTheStartWithSmtps) {
    SmtpServer smtp({"--tls", "implicit"});
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(run.start([&](const MockHttpServer& s) {
        auto sp = email_spec(smtp, {{"ca_file", smtp.ca_file()}})(s);
        sp.url = "smtps://127.0.0.1:" + std::to_string(smtp.port());
        return sp;
    }));
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(reference_alert()));
    const auto msgs = smtp.messages();
    ASSERT_EQ(msgs.size(), 1u) << run.logs();
    EXPECT_TRUE(msgs[0].at("tls").get<bool>());
}

TEST(EmailSink, AnUntrustedCertificateSendsNothing) {
    SmtpServer smtp({"--tls", "starttls"});
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(deliver_once(run, smtp, reference_alert(), {{"max_attempts", "1"}}));  // no ca_file
    EXPECT_EQ(run.counters().failed, 1u) << run.logs();
    EXPECT_TRUE(smtp.messages().empty());
}

TEST(EmailSink, ConnectionRefusedIsRetried) {
    int dead_port = 0;
    {
        SmtpServer gone;
        dead_port = gone.port();
    }  // stopped: nothing listens there any more
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(run.start([&](const MockHttpServer&) {
        sink::SinkSpec sp;
        sp.name = "desk";
        sp.url = "smtp://127.0.0.1:" + std::to_string(dead_port);
        sp.plugin = "email";
        sp.options["from"] = "wirewatch@example.org";
        sp.options["to"] = "desk@example.org";
        sp.options["max_attempts"] = "2";
        return sp;
    }));
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(reference_alert()));
    const auto c = run.counters();
    EXPECT_EQ(c.retries, 1u) << run.logs();
    EXPECT_EQ(c.failed, 1u);
}

// The reference alert's envelope turned into another topic's, as the daemon would publish it.
sink::OfferedAlert variant(const std::string& topic_prefix, const std::function<void(json&)>& edit) {
    const auto base = reference_alert();
    json j = json::parse(base.envelope);
    edit(j);
    return {base.seq, topic_prefix + j.at("watchlist").at("name").get<std::string>(), j.dump()};
}

TEST(EmailSink, AStoryUpdateIsAReplyToTheStorysFirstMail) {
    // Sinks are offered alert.* and digest.* today (daemon/app/sinks.h); the plugin already
    // threads story.* events for the day they are routed to sinks.
    const std::string story = "11112222333344445555666677778888";
    const auto update = variant("story.", [&](json& j) {
        j["type"] = "story.update";
        j["event_id"] = kAlertId;
        j["alert_id"] = story;
        j["story"] = {{"id", story}, {"sources", 2}};
        j["item"]["title"] = "Second outlet:\r\nBcc: victim@example.net";
    });
    SmtpServer smtp;
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(deliver_once(run, smtp, update));
    const auto msgs = smtp.messages();
    ASSERT_EQ(msgs.size(), 1u) << run.logs();
    const json& h = msgs[0].at("headers");
    EXPECT_EQ(h.at("Message-ID"), "<" + kAlertId + "@wirewatch>");
    EXPECT_EQ(h.at("In-Reply-To"), "<" + story + "@wirewatch>");
    EXPECT_EQ(h.at("References"), "<" + story + "@wirewatch>");
    EXPECT_EQ(h.at("Subject"), "Re: [ww] Second outlet: Bcc: victim@example.net");
    EXPECT_EQ(h.count("Bcc"), 0u) << "a title injected a header";
    EXPECT_EQ(msgs[0].at("rcpt_tos").size(), 2u);
}

TEST(EmailSink, ADigestIsOneMailListingItsEntries) {
    const auto digest = variant("digest.", [](json& j) {
        j["alert_id"] = "d1d2d3d4";
        j["item"]["title"] = "4 stories for china-russia-trade";
        j["summary"] = {{"kind", "digest"}, {"count", 2}, {"stories", 2}, {"due_at", "2026-11-28T07:00:00Z"},
                        {"entries", json::array({
                            {{"title", "Ports <reopen>"}, {"link", "https://a.example/1?x=1&y=2"}, {"sources", 3}},
                            {{"title", "Tariffs"}, {"link", "javascript:alert(1)"}, {"sources", 1}},
                        })}};
    });
    SmtpServer smtp;
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(deliver_once(run, smtp, digest));
    const auto msgs = smtp.messages();
    ASSERT_EQ(msgs.size(), 1u) << run.logs();
    EXPECT_EQ(msgs[0].at("headers").at("Message-ID"), "<d1d2d3d4@wirewatch>");
    const std::string plain = text_of(msgs[0], "text/plain");
    EXPECT_NE(plain.find("- Ports <reopen>\n  https://a.example/1?x=1&y=2"), std::string::npos) << plain;
    EXPECT_NE(plain.find("- Tariffs"), std::string::npos) << plain;
    const std::string html = text_of(msgs[0], "text/html");
    EXPECT_NE(html.find("<li><a href=\"https://a.example/1?x=1&amp;y=2\">Ports &lt;reopen&gt;</a></li>"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("<li>Tariffs</li>"), std::string::npos) << html;
    EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
}

}  // namespace
}  // namespace ww::test
