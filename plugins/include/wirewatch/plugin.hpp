// A header-only C++ convenience layer over plugin.h for the plugins shipped with wirewatch.
// Optional: a plugin written in C, Rust or Zig uses plugin.h alone. Everything here stays
// inside the plugin's own module; only the C types of plugin.h cross the boundary.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wirewatch/plugin.h"

namespace ww::plugin {

inline std::string_view sv(ww_str s) { return s.data ? std::string_view(s.data, s.size) : std::string_view(); }
inline std::string str(ww_str s) { return std::string(sv(s)); }
inline ww_str ws(std::string_view s) { return ww_str{s.data(), s.size()}; }

// A bad option: ww_plugin_init reports it and the host refuses to start.
struct OptionError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Options {
public:
    Options(const ww_option* options, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) values_[str(options[i].key)] = str(options[i].value);
    }
    std::string get(const std::string& key, std::string fallback = {}) {
        used_.push_back(key);
        auto it = values_.find(key);
        return it == values_.end() ? std::move(fallback) : it->second;
    }
    std::string require(const std::string& key) {
        std::string v = get(key);
        if (v.empty()) throw OptionError("missing option \"" + key + "\"");
        return v;
    }
    long get_int(const std::string& key, long fallback) {
        const std::string v = get(key);
        if (v.empty()) return fallback;
        char* end = nullptr;
        const long n = std::strtol(v.c_str(), &end, 10);
        if (*end != '\0') throw OptionError("option \"" + key + "\" must be a whole number");
        return n;
    }
    bool get_bool(const std::string& key, bool fallback) {
        const std::string v = get(key);
        if (v.empty()) return fallback;
        if (v == "true" || v == "1" || v == "yes") return true;
        if (v == "false" || v == "0" || v == "no") return false;
        throw OptionError("option \"" + key + "\" must be true or false");
    }
    // Every key the plugin did not ask for: a typo in sample.toml must not pass silently.
    void reject_unknown() const {
        for (const auto& [k, v] : values_)
            if (std::find(used_.begin(), used_.end(), k) == used_.end())
                throw OptionError("unknown option \"" + k + "\"");
    }

private:
    std::map<std::string, std::string> values_;
    std::vector<std::string> used_;
};

struct Response {
    int status = 0;
    std::string error;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    long long retry_after_ms = -1;
};

class Host {
public:
    explicit Host(const ww_host_services* h) : h_(h) {}

    void log(int level, std::string_view message) const { h_->log(h_->host, level, ws(message)); }
    void add_secret(std::string_view secret) const {
        if (!secret.empty()) h_->add_secret(h_->host, ws(secret));
    }
    void add_url_secret(std::string_view url) const;

    Response request(std::string_view method, std::string_view url, std::string_view body,
                     const std::vector<std::pair<std::string, std::string>>& headers) const {
        std::vector<ww_http_header> hs;
        for (const auto& [k, v] : headers) hs.push_back({ws(k), ws(v)});
        ww_http_request req{};
        req.struct_size = sizeof(req);
        req.method = ws(method);
        req.url = ws(url);
        req.body = ws(body);
        req.headers = hs.data();
        req.headers_count = hs.size();
        Response out;
        auto copy = [](void* user, const ww_http_response* r) {
            auto* o = static_cast<Response*>(user);
            o->status = r->status;
            o->error = str(r->error);
            o->body = str(r->body);
            o->retry_after_ms = r->retry_after_ms;
            for (std::size_t i = 0; i < r->headers_count; ++i)
                o->headers.emplace_back(str(r->headers[i].name), str(r->headers[i].value));
        };
        if (h_->http_request(h_->host, &req, copy, &out) != 0) out.error = "the host refused the request";
        return out;
    }

    std::optional<std::string> render(std::string_view tmpl, int escape, std::size_t max_length,
                                      const ww_alert& alert) const {
        ww_render_request req{};
        req.struct_size = sizeof(req);
        req.template_text = ws(tmpl);
        req.escape = escape;
        req.max_length = max_length;
        std::optional<std::string> out;
        auto copy = [](void* user, ww_str text) { *static_cast<std::optional<std::string>*>(user) = str(text); };
        if (h_->render(h_->host, &req, &alert, copy, &out) != 0) return std::nullopt;
        return out;
    }

private:
    const ww_host_services* h_;
};

inline void set_message(ww_delivery& d, std::string_view m) {
    const std::size_t n = std::min(m.size(), sizeof(d.message) - 1);
    std::memcpy(d.message, m.data(), n);
    d.message[n] = '\0';
}

inline void permanent(ww_delivery& d, std::string_view why) {
    d.outcome = WW_PERMANENT_FAILURE;
    set_message(d, why);
}

// The usual reading of an HTTP answer: 2xx delivered; no answer, 408, 429 and 5xx retried
// (honouring Retry-After); every other status permanent. The message carries the status and
// the start of the body, which is where services explain themselves.
inline void classify(const Response& r, ww_delivery& d) {
    if (r.status >= 200 && r.status < 300) {
        d.outcome = WW_DELIVERED;
        return;
    }
    std::string why = r.status == 0 ? r.error : "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 300);
    const bool retry = r.status == 0 || r.status == 408 || r.status == 429 || r.status >= 500;
    d.outcome = retry ? WW_RETRY : WW_PERMANENT_FAILURE;
    d.retry_after_ms = retry ? r.retry_after_ms : -1;
    set_message(d, why);
}

inline std::string header(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers)
        if (k.size() == name.size() &&
            std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
            return v;
    return {};
}

// RFC 3986 percent-encoding of everything but the unreserved characters (path segments).
inline std::string percent_encode(std::string_view s) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(char(c));
        } else {
            out.push_back('%');
            out.push_back(digits[c >> 4]);
            out.push_back(digits[c & 15]);
        }
    }
    return out;
}

// The parts of a webhook URL that act as its password: the last path segment (Slack,
// Discord, Mattermost put the token there) and the query. Registered as secrets so that a
// service echoing them back in an error cannot leak them into our logs.
inline std::vector<std::string> url_secret_parts(std::string_view url) {
    std::vector<std::string> out;
    if (const auto q = url.find('?'); q != std::string_view::npos) {
        out.emplace_back(url.substr(q + 1));
        url = url.substr(0, q);
    }
    const auto scheme = url.find("://");
    const auto slash = url.rfind('/');
    if (slash != std::string_view::npos && (scheme == std::string_view::npos || slash > scheme + 2))
        out.emplace_back(url.substr(slash + 1));
    return out;
}

inline std::string base64(std::string_view s) {
    static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < s.size(); i += 3) {
        const unsigned v = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8 | (unsigned char)s[i + 2];
        for (int k = 18; k >= 0; k -= 6) out.push_back(table[(v >> k) & 63]);
    }
    if (i + 1 == s.size()) {
        const unsigned v = (unsigned char)s[i] << 16;
        out += {table[v >> 18], table[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == s.size()) {
        const unsigned v = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8;
        out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], '='};
    }
    return out;
}

inline void Host::add_url_secret(std::string_view url) const {
    add_secret(url);
    for (const auto& part : url_secret_parts(url)) add_secret(part);
}

}  // namespace ww::plugin

// Defines the three exported functions for a sink class with
//   Sink(ww::plugin::Host, ww::plugin::Options&)   (throws OptionError on bad options)
//   void deliver(const ww_alert&, ww_delivery&)
// and keeps every exception on the plugin's side of the boundary.
#define WW_DEFINE_PLUGIN(SinkClass)                                                                   \
    extern "C" WW_PLUGIN_EXPORT uint32_t ww_plugin_version(const uint32_t* offered, size_t n) {      \
        for (size_t i = 0; i < n; ++i)                                                                \
            if (offered[i] == WW_PLUGIN_ABI_VERSION) return WW_PLUGIN_ABI_VERSION;                    \
        return 0;                                                                                     \
    }                                                                                                 \
    static void ww_plugin_deliver_(void* instance, const ww_alert* alert, ww_delivery* result) {      \
        try {                                                                                         \
            static_cast<SinkClass*>(instance)->deliver(*alert, *result);                              \
        } catch (const std::exception& e) {                                                           \
            ww::plugin::permanent(*result, std::string("plugin error: ") + e.what());               \
        } catch (...) {                                                                               \
            ww::plugin::permanent(*result, "plugin error");                                          \
        }                                                                                             \
    }                                                                                                 \
    extern "C" WW_PLUGIN_EXPORT int32_t ww_plugin_init(const ww_host_services* host,                  \
                                                       const ww_option* options, size_t n,            \
                                                       ww_plugin_instance* out, char* error,          \
                                                       size_t capacity) {                             \
        try {                                                                                         \
            ww::plugin::Options opts(options, n);                                                     \
            auto* sink = new SinkClass(ww::plugin::Host(host), opts);                                 \
            out->instance = sink;                                                                     \
            out->deliver = &ww_plugin_deliver_;                                                       \
            return 0;                                                                                 \
        } catch (const std::exception& e) {                                                           \
            std::snprintf(error, capacity, "%s", e.what());                                          \
        } catch (...) {                                                                               \
            std::snprintf(error, capacity, "unknown error");                                         \
        }                                                                                             \
        return 1;                                                                                     \
    }                                                                                                 \
    extern "C" WW_PLUGIN_EXPORT void ww_plugin_cleanup(void* instance) {                              \
        delete static_cast<SinkClass*>(instance);                                                     \
    }
