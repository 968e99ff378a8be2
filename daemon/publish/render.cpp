#include "publish/render.h"

#include "core/alert.h"
#include "core/text.h"
#include "core/time.h"
#include "core/url.h"

namespace ww::publish {

namespace {

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += ", ";
        out += p;
    }
    return out;
}

// Feed text bound for a terminal: no C1 controls or bidi overrides (core/text.h), and no C0
// control either (an ESC starts a terminal sequence, a newline forges a line of output).
std::string terminal_text(std::string_view s) {
    std::string out = strip_unsafe_controls(s);
    for (auto& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    return out;
}

}  // namespace

std::string render_alert_text(std::string_view topic, std::string_view envelope) {
    auto alert = parse_envelope(envelope);
    if (!alert)
        return "[unreadable " + std::string(topic) + ": " + alert.error().message + "] " +
               std::string(envelope.substr(0, 200)) + "\n";
    const auto& a = *alert;
    std::string out = "#" + std::to_string(a.seq) + " " + format_rfc3339(a.detected_at) + " " +
                      a.watchlist + ": " + (a.item.title.empty() ? "(no title)" : terminal_text(a.item.title)) + "\n";
    std::string detail;
    const auto add = [&](const std::string& part) {
        if (part.empty()) return;
        if (!detail.empty()) detail += " | ";
        detail += part;
    };
    // Only http(s) links, percent-encoded where they would break (a `javascript:` link is left out).
    add(safe_link(a.item.link));
    add(a.feed.title.empty() ? redact_url(a.feed.url) : terminal_text(a.feed.title));
    if (!a.match.terms.empty()) {
        std::string why = "matched " + terminal_text(join(a.match.terms));
        if (!a.match.fields.empty()) why += " in " + join(a.match.fields);
        add(why);
    }
    if (!detail.empty()) out += "    " + detail + "\n";
    return out;
}

}  // namespace ww::publish
