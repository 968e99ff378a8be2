#include "publish/render.h"

#include "core/alert.h"
#include "core/time.h"

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

}  // namespace

std::string render_alert_text(std::string_view topic, std::string_view envelope) {
    auto alert = parse_envelope(envelope);
    if (!alert)
        return "[unreadable " + std::string(topic) + ": " + alert.error().message + "] " +
               std::string(envelope.substr(0, 200)) + "\n";
    const auto& a = *alert;
    std::string out = "#" + std::to_string(a.seq) + " " + format_rfc3339(a.detected_at) + " " +
                      a.watchlist + ": " + (a.item.title.empty() ? "(no title)" : a.item.title) + "\n";
    std::string detail;
    const auto add = [&](const std::string& part) {
        if (part.empty()) return;
        if (!detail.empty()) detail += " | ";
        detail += part;
    };
    add(a.item.link);
    add(a.feed.title.empty() ? a.feed.url : a.feed.title);
    if (!a.match.terms.empty()) {
        std::string why = "matched " + join(a.match.terms);
        if (!a.match.fields.empty()) why += " in " + join(a.match.fields);
        add(why);
    }
    if (!detail.empty()) out += "    " + detail + "\n";
    return out;
}

}  // namespace ww::publish
