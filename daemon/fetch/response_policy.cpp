#include "fetch/response_policy.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "fetch/http_date.h"

namespace ww::fetch {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::optional<long long> non_negative_number(std::string_view s) {
    s = trim(s);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    long long v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc::result_out_of_range && !s.empty() && s.front() != '-')
        return std::numeric_limits<long long>::max();
    if (ec != std::errc{} || end != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

// Calls f(name, value) for each comma-separated Cache-Control directive.
template <class F>
void for_each_directive(std::string_view header, F f) {
    while (!header.empty()) {
        const auto comma = header.find(',');
        auto part = trim(header.substr(0, comma));
        const auto eq = part.find('=');
        f(trim(part.substr(0, eq)),
          eq == std::string_view::npos ? std::string_view{} : trim(part.substr(eq + 1)));
        if (comma == std::string_view::npos) break;
        header.remove_prefix(comma + 1);
    }
}

constexpr std::chrono::seconds kForever{std::chrono::hours(24) * 365 * 10};

}  // namespace

bool is_modified(const Response& r) { return r.status != 304; }

Validators validators_of(const Response& r) {
    bool no_store = false;
    for_each_directive(r.header("cache-control"), [&](std::string_view name, std::string_view) {
        no_store = no_store || iequals(name, "no-store");
    });
    if (no_store || r.status < 200 || r.status > 299) return {};
    return {std::string(trim(r.header("etag"))), std::string(trim(r.header("last-modified")))};
}

std::optional<std::chrono::seconds> retry_after(const Response& r, SysSeconds now) {
    const std::string header = r.header("retry-after");
    const auto value = trim(header);
    if (value.empty()) return std::nullopt;
    if (auto secs = non_negative_number(value))
        return std::min(std::chrono::seconds(*secs), kForever);
    if (auto at = parse_http_date(value)) return std::max(*at - now, std::chrono::seconds(0));
    return std::nullopt;
}

std::optional<std::chrono::seconds> freshness_of(const Response& r, SysSeconds now) {
    std::optional<std::chrono::seconds> max_age;
    bool uncacheable = false;
    for_each_directive(r.header("cache-control"),
                       [&](std::string_view name, std::string_view value) {
                           if (iequals(name, "no-cache") || iequals(name, "no-store"))
                               uncacheable = true;
                           if (iequals(name, "max-age")) {
                               if (auto v = non_negative_number(value))
                                   max_age = std::min(std::chrono::seconds(*v), kForever);
                               else
                                   uncacheable = true;
                           }
                       });
    if (uncacheable) return std::chrono::seconds(0);
    if (max_age) return max_age;
    const std::string expires_text = r.header("expires");
    if (trim(expires_text).empty()) return std::nullopt;
    const auto expires = parse_http_date(trim(expires_text));
    if (!expires) return std::chrono::seconds(0);  // RFC 9111: invalid Expires = already expired
    const std::string date_text = r.header("date");
    const auto date = parse_http_date(trim(date_text));
    return std::max(*expires - date.value_or(now), std::chrono::seconds(0));
}

std::optional<Error> status_error(const Response& r, std::string_view feed) {
    const auto status = r.status;
    const std::string where = " feed=" + std::string(feed);
    auto error = [&](const char* kind, std::string what) {
        return Error{kind, "fetch: " + what + where};
    };
    if (status == 304) return std::nullopt;
    if (status >= 200 && status <= 299) {
        if (trim(r.body).empty())
            return error("empty", "HTTP " + std::to_string(status) + " with an empty body");
        return std::nullopt;
    }
    const auto code = "HTTP " + std::to_string(status);
    switch (status) {
    case 410: return error("gone", code + " gone");
    case 404: return error("not_found", code + " not found");
    case 401:
    case 403: return error("denied", code + " access denied");
    case 429: return error("rate_limited", code + " too many requests");
    case 503: return error("unavailable", code + " service unavailable");
    default: break;
    }
    if (status >= 400 && status <= 499) return error("http_4xx", code);
    if (status >= 500 && status <= 599) return error("http_5xx", code);
    return error("http_status", "unexpected " + code);
}

}  // namespace ww::fetch
