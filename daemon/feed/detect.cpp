#include "feed/detect.h"

namespace ww::feed {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

std::string_view name_at(std::string_view s, std::size_t pos) {
    std::size_t end = pos;
    while (end < s.size() && !is_space(s[end]) && s[end] != '>' && s[end] != '/') ++end;
    return s.substr(pos, end - pos);
}

}  // namespace

Format format_of_root(std::string_view name) {
    const auto colon = name.find(':');
    const auto local = colon == std::string_view::npos ? name : name.substr(colon + 1);
    if (iequals(local, "rss") || iequals(local, "channel")) return Format::rss;
    if (iequals(local, "rdf")) return Format::rdf;
    if (iequals(local, "feed") || iequals(local, "entry")) return Format::atom;  // RFC 4287 entry document
    if (iequals(local, "html")) return Format::html;
    return Format::unknown;
}

Detected detect_format(std::string_view s) {
    std::size_t pos = 0;
    bool junk = false;
    while (pos < s.size()) {
        while (pos < s.size() && is_space(s[pos])) ++pos;
        if (pos >= s.size()) break;
        if (s[pos] == '{') return {Format::json, pos, junk};
        if (s[pos] != '<') {
            // Junk before the root (a PHP warning, a stray byte): look for markup after it.
            const auto lt = s.find('<', pos);
            if (lt == std::string_view::npos || lt - pos > 65536) return {Format::unknown, 0, false};
            pos = lt;
            junk = true;
            continue;
        }
        if (s.compare(pos, 4, "<!--") == 0) {
            const auto end = s.find("-->", pos + 4);
            if (end == std::string_view::npos) break;
            pos = end + 3;
        } else if (s.compare(pos, 2, "<?") == 0) {
            const auto end = s.find("?>", pos + 2);
            if (end == std::string_view::npos) break;
            pos = end + 2;
        } else if (s.compare(pos, 2, "<!") == 0) {
            const auto name = name_at(s, pos + 2);
            if (iequals(name, "doctype")) {
                std::size_t at = pos + 2 + name.size();
                while (at < s.size() && is_space(s[at])) ++at;
                if (iequals(name_at(s, at), "html")) return {Format::html, pos, junk};
            }
            // A DOCTYPE, maybe with an internal subset in brackets.
            const auto bracket = s.find_first_of("[>", pos);
            if (bracket == std::string_view::npos) break;
            if (s[bracket] == '[') {
                const auto close = s.find("]>", bracket);
                if (close == std::string_view::npos) break;
                pos = close + 2;
            } else {
                pos = bracket + 1;
            }
        } else {
            const auto name = name_at(s, pos + 1);
            const auto format = format_of_root(name);
            if (format == Format::unknown && name.size() > 0 && !junk) return {format, pos, junk};
            if (format == Format::unknown) {
                // Junk that contained a '<': keep looking for a feed root a little further.
                pos = pos + 1;
                junk = true;
                continue;
            }
            return {format, pos, junk};
        }
    }
    return {Format::unknown, 0, false};
}

}  // namespace ww::feed
