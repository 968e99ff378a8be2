#include "message.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace ww::email {

namespace {

using nlohmann::json;

constexpr std::string_view kIdDomain = "wirewatch";

bool is_atext(unsigned char c) {
    // RFC 5322 atext plus '.': what an unquoted local part or a domain may hold.
    static constexpr std::string_view specials = "!#$%&'*+-/=?^_`{|}~.";
    return std::isalnum(c) || specials.find(char(c)) != std::string_view::npos;
}

bool valid_addr(std::string_view a) {
    const auto at = a.find('@');
    if (at == 0 || at == std::string_view::npos || at + 1 == a.size() || a.find('@', at + 1) != std::string_view::npos)
        return false;
    for (unsigned char c : a)
        if (c != '@' && !is_atext(c)) return false;
    return a.size() <= 254;
}

// An id as the local part of a Message-ID: alert ids are hex, anything else is made safe.
std::string id_local_part(std::string_view id) {
    std::string local;
    for (char c : id) local.push_back(is_atext((unsigned char)c) ? c : '_');
    return local.empty() ? "unknown" : local;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool is_ascii_printable(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

// Length of the UTF-8 sequence that starts with `c` (1 for a stray byte: never split inside).
std::size_t utf8_length(unsigned char c) {
    if (c >= 0xf0) return 4;
    if (c >= 0xe0) return 3;
    if (c >= 0xc0) return 2;
    return 1;
}

std::string base64(std::string_view s) {
    static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < s.size(); i += 3) {
        unsigned v = (unsigned char)s[i] << 16;
        if (i + 1 < s.size()) v |= (unsigned char)s[i + 1] << 8;
        if (i + 2 < s.size()) v |= (unsigned char)s[i + 2];
        out.push_back(table[v >> 18]);
        out.push_back(table[(v >> 12) & 63]);
        out.push_back(i + 1 < s.size() ? table[(v >> 6) & 63] : '=');
        out.push_back(i + 2 < s.size() ? table[v & 63] : '=');
    }
    return out;
}

std::string display_part(const Address& a) {
    if (a.display.empty()) return a.addr;
    const std::string name = header_text(a.display);
    if (!is_ascii_printable(name)) return encode_header_word(name) + " <" + a.addr + ">";
    std::string quoted = "\"";
    for (char c : name) {
        if (c == '"' || c == '\\') quoted.push_back('\\');
        quoted.push_back(c);
    }
    return quoted + "\" <" + a.addr + ">";
}

std::string address_header(const std::vector<Address>& list) {
    std::string out;
    for (const auto& a : list) out += (out.empty() ? "" : ",\r\n ") + display_part(a);
    return out;
}

// What the envelope adds beyond ww_alert's fields: the story a story event belongs to, the
// event's own id, and a digest's entries.
struct EnvelopeExtras {
    std::string story_id;
    std::string event_id;
    json digest_entries = json::array();
};

EnvelopeExtras read_extras(std::string_view envelope) {
    EnvelopeExtras x;
    const json j = json::parse(envelope, nullptr, false);
    if (!j.is_object()) return x;
    auto text = [](const json& o, const char* key) {
        const auto it = o.find(key);
        return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    x.event_id = text(j, "event_id");
    if (const auto s = j.find("story"); s != j.end() && s->is_object()) x.story_id = text(*s, "id");
    if (const auto s = j.find("summary"); s != j.end() && s->is_object())
        if (const auto e = s->find("entries"); e != s->end() && e->is_array()) x.digest_entries = *e;
    return x;
}

std::string entry_text(const json& e, const char* key) {
    const auto it = e.find(key);
    return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string html_link(std::string_view href, std::string_view label) {
    if (!is_web_link(href)) return html_escape(label);
    return "<a href=\"" + html_escape(href) + "\">" + html_escape(label) + "</a>";
}

std::string join_terms(const std::vector<std::string>& terms) {
    std::string out;
    for (const auto& t : terms) out += (out.empty() ? "" : ", ") + t;
    return out;
}

std::string source_line(const MailAlert& a) {
    std::string line = a.feed_title;
    if (!a.published.empty()) line += (line.empty() ? "" : " · ") + a.published;
    return line;
}

std::string plain_body(const MailAlert& a, const json& entries) {
    std::string out = header_text(a.title) + "\n";
    if (is_web_link(a.link)) out += a.link + "\n";
    out += "\n";
    if (const auto src = source_line(a); !src.empty()) out += src + "\n";
    out += "Watchlist: " + a.watchlist;
    if (!a.terms.empty()) out += " (matched: " + join_terms(a.terms) + ")";
    out += "\n\n";
    if (!entries.empty()) {
        for (const auto& e : entries) {
            out += "- " + entry_text(e, "title") + "\n";
            if (const auto l = entry_text(e, "link"); is_web_link(l)) out += "  " + l + "\n";
        }
    } else {
        out += (a.snippet.empty() ? a.summary : a.snippet) + "\n";
    }
    return out;
}

std::string html_body(const MailAlert& a, const json& entries) {
    std::string out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n";
    out += "<h2>" + html_link(a.link, a.title) + "</h2>\n";
    if (const auto src = source_line(a); !src.empty()) out += "<p>" + html_escape(src) + "</p>\n";
    out += "<p>Watchlist: <b>" + html_escape(a.watchlist) + "</b>";
    if (!a.terms.empty()) out += " (matched: " + html_escape(join_terms(a.terms)) + ")";
    out += "</p>\n";
    if (!entries.empty()) {
        out += "<ul>\n";
        for (const auto& e : entries)
            out += "<li>" + html_link(entry_text(e, "link"), entry_text(e, "title")) + "</li>\n";
        out += "</ul>\n";
    } else {
        out += "<p>" + html_escape(a.snippet.empty() ? a.summary : a.snippet) + "</p>\n";
    }
    return out + "</body></html>\n";
}

// The boundary starts with "=_", which quoted-printable bodies can never contain ('=' is
// always encoded as "=3D"), so no item text can close a part early.
std::string boundary_for(std::string_view id) {
    std::string b = "=_wirewatch_";
    for (char c : id) b.push_back(std::isalnum((unsigned char)c) ? c : '_');
    return b.substr(0, 70);
}

std::string part(std::string_view boundary, std::string_view type, std::string_view body) {
    return "--" + std::string(boundary) + "\r\nContent-Type: " + std::string(type) +
           "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + quoted_printable(body) + "\r\n";
}

}  // namespace

std::optional<Address> parse_address(std::string_view text) {
    text = trim(text);
    Address a;
    if (const auto lt = text.rfind('<'); lt != std::string_view::npos) {
        if (!text.ends_with('>')) return std::nullopt;
        std::string_view name = trim(text.substr(0, lt));
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
        a.display = header_text(name);
        text = text.substr(lt + 1, text.size() - lt - 2);
    }
    if (!valid_addr(text)) return std::nullopt;
    a.addr = std::string(text);
    return a;
}

std::optional<std::vector<Address>> parse_address_list(std::string_view text) {
    std::vector<Address> out;
    std::size_t start = 0;
    bool quoted = false;  // a comma inside "Desk, Night" separates nothing
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && text[i] == '"') quoted = !quoted;
        if (i < text.size() && (text[i] != ',' || quoted)) continue;
        if (const std::string_view item = trim(text.substr(start, i - start)); !item.empty()) {
            auto a = parse_address(item);
            if (!a) return std::nullopt;
            out.push_back(std::move(*a));
        }
        start = i + 1;
    }
    if (out.empty()) return std::nullopt;
    return out;
}

std::string header_text(std::string_view s) {
    std::string out;
    bool pending_space = false;
    for (unsigned char c : s) {
        if (c <= 0x20 || c == 0x7f) {
            pending_space = true;
            continue;
        }
        if (pending_space && !out.empty()) out.push_back(' ');
        pending_space = false;
        out.push_back(char(c));
    }
    return out;
}

std::string encode_header_word(std::string_view s) {
    // Short printable ASCII stays readable; anything else becomes encoded words of at most 75
    // characters (RFC 2047 section 2), each holding whole UTF-8 characters.
    if (is_ascii_printable(s) && s.size() <= 60 && s.find("=?") == std::string_view::npos) return std::string(s);
    // 42 bytes -> 56 base64 characters + 12 of framing: with "Subject: " the first line stays
    // within 78 characters, and no word exceeds 75.
    constexpr std::size_t max_raw = 42;
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t n = 0;
        while (i + n < s.size()) {
            const std::size_t len = utf8_length((unsigned char)s[i + n]);
            if (n + len > max_raw) break;
            n += len;
        }
        n = std::min(n, s.size() - i);
        out += (out.empty() ? "" : "\r\n ") + std::string("=?UTF-8?B?") + base64(s.substr(i, n)) + "?=";
        i += n;
    }
    return out;
}

std::string quoted_printable(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    std::size_t col = 0;
    auto put = [&](std::string_view token) {
        if (col + token.size() > 75) {  // 75 + the soft break's '=' = 76 (RFC 2045)
            out += "=\r\n";
            col = 0;
        }
        out += token;
        col += token.size();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = text[i];
        if (c == '\r') continue;
        const bool line_end = i + 1 == text.size() || text[i + 1] == '\n' || text[i + 1] == '\r';
        if (c == '\n') {
            out += "\r\n";
            col = 0;
        } else if ((c >= 33 && c <= 126 && c != '=') || (c == ' ' && !line_end)) {
            put(std::string(1, char(c)));
        } else {
            put(std::string{'=', hex[c >> 4], hex[c & 15]});
        }
    }
    return out;
}

std::string html_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out.push_back(c);
        }
    }
    return out;
}

bool is_web_link(std::string_view s) {
    auto starts = [&](std::string_view p) {
        if (s.size() <= p.size()) return false;
        for (std::size_t i = 0; i < p.size(); ++i)
            if (std::tolower((unsigned char)s[i]) != p[i]) return false;
        return true;
    };
    if (!starts("http://") && !starts("https://")) return false;
    for (unsigned char c : s)
        if (c <= 0x20 || c == 0x7f) return false;
    return true;
}

std::string message_id_for(std::string_view id) { return "<" + id_local_part(id) + "@" + std::string(kIdDomain) + ">"; }

std::optional<std::string> rfc5322_date(std::string_view rfc3339) {
    std::tm tm{};
    int consumed = 0;
    const std::string s(rfc3339);
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                    &tm.tm_min, &tm.tm_sec, &consumed) != 6)
        return std::nullopt;
    // The envelope's times are UTC ("Z"); timegm normalises and fills in the weekday.
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const std::time_t t = timegm(&tm);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &utc);
    return std::string(buf);
}

BuiltMail build_mail(const MailConfig& config, const MailAlert& a) {
    const EnvelopeExtras x = read_extras(a.envelope);
    const bool story_event = a.topic.starts_with("story.");
    BuiltMail m;
    m.message_id = message_id_for(story_event && !x.event_id.empty() ? x.event_id : a.alert_id);
    if (story_event) m.in_reply_to = message_id_for(x.story_id.empty() ? a.alert_id : x.story_id);
    const json& entries = a.topic.starts_with("digest.") ? x.digest_entries : json::array();
    const std::string subject = (story_event ? "Re: " : "") + header_text(config.subject_prefix + a.title);
    const std::string boundary = boundary_for(m.message_id.substr(1, m.message_id.size() - 2));
    std::string& t = m.text;
    t += "Date: " + rfc5322_date(a.detected_at).value_or("Thu, 01 Jan 1970 00:00:00 +0000") + "\r\n";
    t += "From: " + display_part(config.from) + "\r\n";
    t += "To: " + address_header(config.to) + "\r\n";
    t += "Subject: " + encode_header_word(subject) + "\r\n";
    t += "Message-ID: " + m.message_id + "\r\n";
    if (!m.in_reply_to.empty()) t += "In-Reply-To: " + m.in_reply_to + "\r\nReferences: " + m.in_reply_to + "\r\n";
    t += "Auto-Submitted: auto-generated\r\n";
    t += "X-Wirewatch-Alert-Id: " + id_local_part(a.alert_id) + "\r\n";
    t += "MIME-Version: 1.0\r\n";
    t += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
    t += part(boundary, "text/plain", plain_body(a, entries));
    t += part(boundary, "text/html", html_body(a, entries));
    t += "--" + boundary + "--\r\n";
    return m;
}

SendOutcome classify_smtp(SmtpFailure failure, long last_reply) {
    if (failure == SmtpFailure::none) return SendOutcome::delivered;
    if (last_reply >= 400 && last_reply < 500) return SendOutcome::retry;
    if (last_reply >= 500 && last_reply < 600) return SendOutcome::permanent;
    return failure == SmtpFailure::tls_refused ? SendOutcome::permanent : SendOutcome::retry;
}

}  // namespace ww::email
