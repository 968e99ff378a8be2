#include "sink/apprise_url.h"

#include <ranges>

namespace ww::sink {

namespace {

struct UrlParts {
    std::string scheme;
    std::string userinfo;  // before '@', still encoded
    std::string host;      // host[:port]
    std::vector<std::string> path;  // decoded segments, empty ones dropped
    std::map<std::string, std::string> query;
};

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Result<UrlParts> split_url(std::string_view url) {
    UrlParts u;
    const auto colon = url.find("://");
    if (colon == std::string_view::npos || colon == 0)
        return fail("config", "sink: url has no scheme (expected e.g. slack://, json://)");
    for (char c : url.substr(0, colon)) u.scheme.push_back(char(std::tolower((unsigned char)c)));
    std::string_view rest = url.substr(colon + 3);
    if (const auto q = rest.find('?'); q != std::string_view::npos) {
        for (auto kv : std::views::split(rest.substr(q + 1), '&')) {
            std::string_view item(kv.begin(), kv.end());
            if (item.empty()) continue;
            const auto eq = item.find('=');
            u.query[percent_decode(item.substr(0, eq))] =
                eq == std::string_view::npos ? "" : percent_decode(item.substr(eq + 1));
        }
        rest = rest.substr(0, q);
    }
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        u.userinfo = std::string(authority.substr(0, at));
        authority = authority.substr(at + 1);
    }
    u.host = std::string(authority);
    if (slash != std::string_view::npos)
        for (auto seg : std::views::split(rest.substr(slash + 1), '/')) {
            std::string_view s(seg.begin(), seg.end());
            if (!s.empty()) u.path.push_back(percent_decode(s));
        }
    return u;
}

std::string join_path(const std::vector<std::string>& segs, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) out += "/" + segs[i];
    return out;
}

Result<SinkAddress> need(std::size_t have, std::size_t want, std::string_view form) {
    if (have < want) return fail("config", "sink: url must look like " + std::string(form));
    return SinkAddress{};
}

// user[:password] of a URL's userinfo into the email plugin's username and password.
void take_login(const UrlParts& u, SinkAddress& a) {
    if (u.userinfo.empty()) return;
    const auto c = u.userinfo.find(':');
    a.options["username"] = percent_decode(u.userinfo.substr(0, c));
    if (c != std::string::npos) {
        a.options["password"] = percent_decode(u.userinfo.substr(c + 1));
        a.secrets.push_back(a.options["password"]);
    }
}

// smtp[s]://[user[:pass]@]host[:port]: the server itself (the sink names from and to).
// mailto[s]://[user[:pass]@]domain[:port][/to...]?to=...&from=...&smtp=server, as Apprise reads
// it: the server is `smtp` or the domain, `from` defaults to user@domain, `to` to the path's
// addresses, else to `from`. mailtos is TLS: from the start on port 465, else STARTTLS, required.
void email_address(UrlParts& u, SinkAddress& a) {
    a.plugin = "email";
    take_login(u, a);
    const bool mailto = u.scheme.starts_with("mailto");
    std::string server = u.host;
    if (mailto && u.query.contains("smtp")) {
        server = u.query["smtp"];
        u.query.erase("smtp");
    }
    const bool implicit_tls = u.scheme == "smtps" || (u.scheme == "mailtos" && server.ends_with(":465"));
    a.options["url"] = (implicit_tls ? "smtps://" : "smtp://") + server;
    if (u.scheme == "mailtos" && !implicit_tls) a.options["starttls"] = "require";
    if (!mailto) return;
    const std::string domain = u.host.substr(0, u.host.find(':'));
    const std::string user = a.options.contains("username") ? a.options["username"] : "";
    if (!user.empty()) a.options["from"] = user.find('@') == std::string::npos ? user + "@" + domain : user;
    std::string to;
    for (const auto& seg : u.path) to += (to.empty() ? "" : ", ") + seg;
    if (to.empty() && !user.empty()) to = a.options["from"];
    if (!to.empty()) a.options["to"] = to;
}

}  // namespace

std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out.push_back(char(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

Result<SinkAddress> parse_sink_url(std::string_view url, std::string_view plugin_hint) {
    auto parts = split_url(url);
    if (!parts) return std::unexpected(parts.error());
    UrlParts& u = *parts;
    SinkAddress a;
    const bool tls = u.scheme.ends_with("s") && u.scheme != "ntfy";
    const std::string web = tls ? "https://" : "http://";
    if (u.scheme == "http" || u.scheme == "https") {
        a.plugin = plugin_hint.empty() ? "webhook" : std::string(plugin_hint);
        a.options["url"] = std::string(url);
        a.secrets.emplace_back(url);
        return a;
    }
    if (u.scheme == "json" || u.scheme == "jsons") {
        a.plugin = "webhook";
        a.options["url"] = web + u.host + join_path(u.path, 0, u.path.size());
        a.secrets.push_back(a.options["url"]);
    } else if (u.scheme == "slack") {
        // The host part is the first token: slack://A/B/C parses as host A, path B, C.
        std::vector<std::string> t{percent_decode(u.host)};
        t.insert(t.end(), u.path.begin(), u.path.end());
        if (auto r = need(t.size(), 3, "slack://TokenA/TokenB/TokenC[/#channel]"); !r) return r;
        a.plugin = "slack";
        a.options["url"] = "https://hooks.slack.com/services/" + t[0] + "/" + t[1] + "/" + t[2];
        if (t.size() > 3) a.options["channel"] = t[3];
        if (!u.userinfo.empty()) a.options["username"] = percent_decode(u.userinfo);
        a.secrets.push_back(t[2]);
        a.secrets.push_back(a.options["url"]);
    } else if (u.scheme == "discord") {
        if (auto r = need(u.path.size() + 1, 2, "discord://WebhookID/WebhookToken"); !r) return r;
        a.plugin = "discord";
        a.options["url"] = "https://discord.com/api/webhooks/" + percent_decode(u.host) + "/" + u.path[0];
        if (!u.userinfo.empty()) a.options["username"] = percent_decode(u.userinfo);
        a.secrets.push_back(u.path[0]);
    } else if (u.scheme == "tgram") {
        if (auto r = need(u.path.size() + 1, 2, "tgram://BotToken/ChatID"); !r) return r;
        a.plugin = "telegram";
        a.options["bot_token"] = percent_decode(u.host);
        a.options["chat_id"] = u.path[0];
        a.secrets.push_back(a.options["bot_token"]);
    } else if (u.scheme == "matrix" || u.scheme == "matrixs") {
        if (u.userinfo.empty() || u.path.empty())
            return fail("config", "sink: url must look like matrixs://AccessToken@host[:port]/RoomID");
        a.plugin = "matrix";
        a.options["homeserver"] = web + u.host;
        a.options["access_token"] = percent_decode(u.userinfo);
        a.options["room_id"] = u.path[0];
        a.secrets.push_back(a.options["access_token"]);
    } else if (u.scheme == "mmost" || u.scheme == "mmosts") {
        if (auto r = need(u.path.size(), 1, "mmosts://host[:port][/path]/Token"); !r) return r;
        a.plugin = "mattermost";
        a.options["url"] = web + u.host + join_path(u.path, 0, u.path.size() - 1) + "/hooks/" + u.path.back();
        if (!u.userinfo.empty()) a.options["username"] = percent_decode(u.userinfo);
        a.secrets.push_back(u.path.back());
    } else if (u.scheme == "ntfy" || u.scheme == "ntfys") {
        a.plugin = "ntfy";
        if (u.path.empty()) {
            a.options["server"] = "https://ntfy.sh";
            a.options["topic"] = percent_decode(u.host);
        } else {
            a.options["server"] = (u.scheme == "ntfys" ? "https://" : "http://") + u.host;
            a.options["topic"] = u.path[0];
        }
        if (!u.userinfo.empty()) {
            const auto c = u.userinfo.find(':');
            a.options["username"] = percent_decode(u.userinfo.substr(0, c));
            if (c != std::string::npos) {
                a.options["password"] = percent_decode(u.userinfo.substr(c + 1));
                a.secrets.push_back(a.options["password"]);
            }
        }
    } else if (u.scheme == "smtp" || u.scheme == "smtps" || u.scheme == "mailto" || u.scheme == "mailtos") {
        if (u.host.empty()) return fail("config", "sink: url must look like mailtos://user:pass@host[:port]?to=...");
        email_address(u, a);
    } else {
        return fail("config", "sink: unknown url scheme \"" + u.scheme +
                                  "\" (known: json, jsons, slack, discord, tgram, matrix, matrixs, "
                                  "mmost, mmosts, ntfy, ntfys, smtp, smtps, mailto, mailtos, http, https)");
    }
    for (auto& [k, v] : u.query) {
        a.options[k] = v;
        if (k == "token" || k == "password") a.secrets.push_back(v);
    }
    a.secrets.emplace_back(url);
    return a;
}

}  // namespace ww::sink
