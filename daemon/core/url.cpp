#include "core/url.h"

#include <cctype>

namespace ww {
namespace {

bool is_scheme_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
}

// Where the URL starting at `begin` (its scheme) ends in free text.
std::size_t url_end(std::string_view text, std::size_t from) {
    const auto end = text.find_first_of(" \t\r\n\"'<>`", from);
    return end == std::string_view::npos ? text.size() : end;
}

std::string redact_query(std::string_view query) {
    std::string out;
    for (std::size_t pos = 0; pos <= query.size();) {
        auto amp = query.find('&', pos);
        if (amp == std::string_view::npos) amp = query.size();
        const std::string_view pair = query.substr(pos, amp - pos);
        if (!out.empty() || pos > 0) out.push_back('&');
        const auto eq = pair.find('=');
        // A bare value ("?s3cret") is as secret as any other value.
        if (eq == std::string_view::npos) out += pair.empty() ? "" : "***";
        else out += std::string(pair.substr(0, eq + 1)) + "***";
        pos = amp + 1;
    }
    return out;
}

}  // namespace

std::string redact_url(std::string_view url) {
    const auto sep = url.find("://");
    if (sep == std::string_view::npos) return std::string(url);
    const auto auth_begin = sep + 3;
    auto auth_end = url.find_first_of("/?#", auth_begin);
    if (auth_end == std::string_view::npos) auth_end = url.size();
    std::string out(url.substr(0, auth_begin));
    const std::string_view authority = url.substr(auth_begin, auth_end - auth_begin);
    const auto at = authority.rfind('@');
    out += at == std::string_view::npos ? std::string(authority) : "***@" + std::string(authority.substr(at + 1));
    std::string_view rest = url.substr(auth_end);
    const auto hash = rest.find('#');
    const std::string_view before_hash = rest.substr(0, hash);
    const auto q = before_hash.find('?');
    out += before_hash.substr(0, q);
    if (q != std::string_view::npos) out += "?" + redact_query(before_hash.substr(q + 1));
    if (hash != std::string_view::npos) out += hash + 1 < rest.size() ? "#***" : "#";
    return out;
}

bool url_has_secret(std::string_view url) { return redact_url(url) != url; }

std::string redact_urls_in(std::string_view text) {
    std::string out;
    std::size_t done = 0;
    for (auto sep = text.find("://"); sep != std::string_view::npos; sep = text.find("://", sep + 3)) {
        std::size_t begin = sep;
        while (begin > done && is_scheme_char(text[begin - 1])) --begin;
        if (begin == sep) continue;  // "://" with no scheme before it
        const auto end = url_end(text, sep);
        out += text.substr(done, begin - done);
        out += redact_url(text.substr(begin, end - begin));
        done = end;
        sep = end > 3 ? end - 3 : end;
    }
    out += text.substr(done);
    return out;
}

std::string safe_link(std::string_view link) {
    while (!link.empty() && std::isspace(static_cast<unsigned char>(link.front()))) link.remove_prefix(1);
    while (!link.empty() && std::isspace(static_cast<unsigned char>(link.back()))) link.remove_suffix(1);
    std::string out;
    for (std::string_view scheme : {"http://", "https://"}) {
        if (link.size() <= scheme.size()) continue;
        bool match = true;
        for (std::size_t i = 0; i < scheme.size(); ++i)
            match = match && std::tolower(static_cast<unsigned char>(link[i])) == scheme[i];
        if (match) out = scheme;
    }
    if (out.empty()) return {};
    const std::string_view rest = link.substr(out.size());
    auto host_end = rest.find_first_of("/?#");
    if (host_end == std::string_view::npos) host_end = rest.size();
    const std::string_view host = rest.substr(0, host_end);
    // A host holds none of the characters that end a link in some markup (an IDN host keeps
    // its UTF-8: chat clients show and convert it).
    if (host.empty() || host.find_first_of(" \t\"'<>()`|\\{}^") != std::string_view::npos) return {};
    for (unsigned char c : host)
        if (c < 0x21 || c == 0x7f) return {};
    out += host;
    static constexpr char hex[] = "0123456789ABCDEF";
    for (unsigned char c : rest.substr(host_end)) {
        if (c <= 0x20 || c >= 0x7f || std::string_view("()<>\"'`|\\[]{}^").find(static_cast<char>(c)) !=
                                              std::string_view::npos) {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

}  // namespace ww
