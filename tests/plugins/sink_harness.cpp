#include "sink_harness.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "fetch/http_post.h"

namespace ww::test {

using namespace std::chrono_literals;

std::chrono::steady_clock::time_point FakeClock::now() {
    std::lock_guard lock(mutex_);
    return now_;
}

SysSeconds FakeClock::system_now() {
    return std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} + std::chrono::hours{15};
}

bool FakeClock::sleep_for(std::chrono::milliseconds d, std::stop_token stop) {
    std::lock_guard lock(mutex_);
    sleeps_.push_back(d);
    now_ += d;
    return !stop.stop_requested();
}

std::vector<std::chrono::milliseconds> FakeClock::sleeps() const {
    std::lock_guard lock(mutex_);
    return sleeps_;
}

Result<std::int64_t> MemoryCursorStore::load(std::string_view sink) {
    std::lock_guard lock(mutex_);
    auto it = cursors_.find(sink);
    return it == cursors_.end() ? 0 : it->second;
}

Result<void> MemoryCursorStore::save(std::string_view sink, std::int64_t seq) {
    std::lock_guard lock(mutex_);
    cursors_[std::string(sink)] = seq;
    return {};
}

Result<void> MemoryCursorStore::record_failure(std::string_view sink, std::int64_t seq, std::string_view message) {
    std::lock_guard lock(mutex_);
    failures_[std::string(sink)].emplace_back(seq, std::string(message));
    return {};
}

std::vector<std::pair<std::int64_t, std::string>> MemoryCursorStore::failures(std::string_view sink) const {
    std::lock_guard lock(mutex_);
    auto it = failures_.find(sink);
    return it == failures_.end() ? std::vector<std::pair<std::int64_t, std::string>>{} : it->second;
}

sink::HttpFn curl_http() {
    return [](const sink::HttpRequest& r) -> Result<sink::HttpResponse> {
        fetch::PostRequest p;
        p.method = r.method;
        p.url = r.url;
        p.headers = r.headers;
        p.body = r.body;
        p.timeout = r.timeout;
        auto res = fetch::http_post(p);
        if (!res) return std::unexpected(res.error());
        return sink::HttpResponse{int(res->status), std::move(res->headers), std::move(res->body)};
    };
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

sink::OfferedAlert reference_alert() {
    const auto j = nlohmann::json::parse(read_file(WW_FIXTURES_DIR "/sink/reference_alert.json"));
    return {j.at("seq").get<std::int64_t>(), "alert." + j.at("watchlist").at("name").get<std::string>(), j.dump()};
}

void SinkRun::start(const SpecFn& spec) {
    sink::HostServices services;
    services.plugin_dir = WW_PLUGIN_BUILD_DIR;
    services.http = curl_http();
    services.clock = clock;
    services.log = [this](sink::LogLevel, std::string_view line) {
        std::lock_guard lock(log_mutex);
        log_lines.emplace_back(line);
    };
    auto h = sink::SinkHost::start({spec(server)}, services, cursors);
    ASSERT_TRUE(h.has_value()) << h.error().message;
    host = std::move(*h);
}

void SinkRun::offer_and_finish(const sink::OfferedAlert& alert) {
    ASSERT_TRUE(host);
    host->offer(alert);
    auto* s = host->find(host->status().at(0).name);
    ASSERT_TRUE(s->wait_for_cursor(alert.seq, 20s)) << "the sink never finished seq " << alert.seq << "\n" << logs();
}

sink::SinkCounters SinkRun::counters() const { return host->status().at(0).counters; }

std::string SinkRun::logs() const {
    std::lock_guard lock(log_mutex);
    std::string out;
    for (const auto& l : log_lines) out += l + "\n";
    return out;
}

void expect_retry_on_500(const SinkRun::SpecFn& spec) {
    SinkRun run;
    run.server.script({500, {}, "upstream exploded"});
    ASSERT_NO_FATAL_FAILURE(run.start(spec));
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(reference_alert()));
    EXPECT_EQ(run.server.requests().size(), 2u);
    const auto c = run.counters();
    EXPECT_EQ(c.delivered, 1u);
    EXPECT_EQ(c.retries, 1u);
    EXPECT_EQ(c.failed, 0u);
    // Default policy: 2 s initial backoff, 20% jitter; the fake draws 0.5, so 10% off.
    EXPECT_EQ(run.clock->sleeps(), std::vector<std::chrono::milliseconds>{1800ms}) << run.logs();
    // The retry is the same request again.
    const auto reqs = run.server.requests();
    EXPECT_EQ(reqs[0].body, reqs[1].body);
    EXPECT_EQ(reqs[0].target, reqs[1].target);
}

void expect_retry_after_honoured(const SinkRun::SpecFn& spec, MockHttpServer::Reply reply_429,
                                 std::chrono::milliseconds expected_wait) {
    SinkRun run;
    run.server.script(std::move(reply_429));
    ASSERT_NO_FATAL_FAILURE(run.start(spec));
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(reference_alert()));
    EXPECT_EQ(run.server.requests().size(), 2u);
    EXPECT_EQ(run.counters().delivered, 1u);
    EXPECT_EQ(run.clock->sleeps(), std::vector<std::chrono::milliseconds>{expected_wait}) << run.logs();
}

void expect_permanent_failure(const SinkRun::SpecFn& spec, int status, const std::string& secret) {
    SinkRun run;
    // Services echo what they were sent; the echo must not carry the secret into our logs.
    run.server.script({status, {{"Content-Type", "application/json"}},
                       R"({"ok":false,"error":"invalid credentials for )" + secret + R"("})"});
    ASSERT_NO_FATAL_FAILURE(run.start(spec));
    const auto alert = reference_alert();
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(alert));
    EXPECT_EQ(run.server.requests().size(), 1u) << "a permanent failure must not be retried";
    const auto c = run.counters();
    EXPECT_EQ(c.failed, 1u);
    EXPECT_EQ(c.delivered, 0u);
    EXPECT_EQ(c.cursor, alert.seq);
    const auto name = run.host->status().at(0).name;
    const auto failures = run.cursors.failures(name);
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_EQ(failures[0].first, alert.seq);
    EXPECT_NE(failures[0].second.find("HTTP " + std::to_string(status)), std::string::npos) << failures[0].second;
    EXPECT_EQ(failures[0].second.find(secret), std::string::npos) << "secret in the failure record";
    const std::string logs = run.logs();
    EXPECT_NE(logs.find("outcome=failed"), std::string::npos) << logs;
    EXPECT_EQ(logs.find(secret), std::string::npos) << "secret in the logs:\n" << logs;
}

namespace {

// Every string value of a JSON payload (and the raw body when it is not JSON), one a line.
void collect_strings(const nlohmann::json& j, std::string& out) {
    if (j.is_string()) out += j.get<std::string>() + "\n";
    for (const auto& child : j.is_structured() ? j : nlohmann::json::array()) collect_strings(child, out);
}

sink::OfferedAlert hostile_alert(std::int64_t seq, const std::string& link) {
    auto j = nlohmann::json::parse(read_file(WW_FIXTURES_DIR "/sink/reference_alert.json"));
    j["seq"] = seq;
    j["item"]["title"] = "@channel @all @here @everyone @room <!channel> <!here> <!everyone> "
                         "\u202Egnp.exe\u202C \u2066x\u2069 c1\xC2\x9B" "end";
    j["item"]["summary"] = "Ping @Channel, please. \u202Dforced\u202C";
    j["item"]["link"] = link;
    return {seq, "alert." + j.at("watchlist").at("name").get<std::string>(), j.dump()};
}

}  // namespace

void expect_hostile_text_neutralised(const SinkRun::SpecFn& spec) {
    SinkRun run;
    ASSERT_NO_FATAL_FAILURE(run.start(spec));
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(hostile_alert(1, "javascript:alert(document.cookie)")));
    ASSERT_NO_FATAL_FAILURE(run.offer_and_finish(hostile_alert(2, "https://news.example/a b(c)<d>")));
    const auto reqs = run.server.requests();
    ASSERT_EQ(reqs.size(), 2u) << run.logs();
    for (const auto& r : reqs) {
        std::string text;
        const auto j = nlohmann::json::parse(r.body, nullptr, false);
        if (j.is_discarded()) text = r.body;
        else collect_strings(j, text);
        std::string folded = text;
        for (auto& c : folded) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (const char* bad : {"@channel", "@all", "@here", "@everyone", "@room", "<!channel", "<!here",
                                "<!everyone", "\u202E", "\u202D", "\u202C", "\u2066", "\u2069", "\xC2\x9B",
                                "javascript:", "a b(c)"})
            EXPECT_EQ(folded.find(bad), std::string::npos) << "\"" << bad << "\" reached the service:\n" << text;
        EXPECT_NE(text.find("gnp.exe"), std::string::npos) << "the title itself must stay:\n" << text;
    }
    EXPECT_NE(reqs[1].body.find("https://news.example/a%20b%28c%29%3Cd%3E"), std::string::npos) << reqs[1].body;
    EXPECT_EQ(run.counters().delivered, 2u);
}

MockHttpServer::Request expect_reference_payload(const SinkRun::SpecFn& spec, const std::string& fixture) {
    SinkRun run;
    run.start(spec);
    if (::testing::Test::HasFatalFailure()) return {};
    run.offer_and_finish(reference_alert());
    const auto reqs = run.server.requests();
    if (reqs.size() != 1) {
        ADD_FAILURE() << "expected one request, got " << reqs.size() << "\n" << run.logs();
        return {};
    }
    const std::string path = std::string(WW_FIXTURES_DIR "/sink/") + fixture;
    if (std::getenv("WW_UPDATE_FIXTURES")) {
        std::ofstream(path, std::ios::binary) << nlohmann::json::parse(reqs[0].body).dump(2) << "\n";
    }
    const auto expected = nlohmann::json::parse(read_file(path));
    const auto got = nlohmann::json::parse(reqs[0].body);
    EXPECT_EQ(got, expected) << "got:\n" << got.dump(2);
    EXPECT_EQ(run.counters().delivered, 1u);
    return reqs[0];
}

}  // namespace ww::test
