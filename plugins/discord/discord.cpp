// discord: a webhook message with one embed (https://discord.com/developers/docs/resources/webhook).
// Limits: content 2,000 characters, embed title 256, description 4,096, footer 2,048. A 429
// carries `retry_after` (seconds, fractional) in its JSON body.
#include <cmath>

#include <nlohmann/json.hpp>

#include <wirewatch/plugin.hpp>

namespace {

using namespace ww::plugin;

constexpr const char* kContent = "**{{watchlist}}**: {{title}}";
constexpr const char* kDescription =
    "{{#has_snippet}}> {{snippet}}\n\n{{/has_snippet}}{{#has_summary}}{{summary}}\n\n{{/has_summary}}"
    "matched: {{terms_text}}";

class DiscordSink {
public:
    DiscordSink(Host host, Options& o)
        : host_(host), url_(o.require("url")), username_(o.get("username")),
          content_(o.get("template", kContent)), description_(o.get("embed_template", kDescription)) {
        o.reject_unknown();
        host_.add_url_secret(url_);
    }

    void deliver(const ww_alert& a, ww_delivery& d) {
        auto content = host_.render(content_, WW_ESCAPE_MARKDOWN, 2000, a);
        auto description = host_.render(description_, WW_ESCAPE_MARKDOWN, 4096, a);
        auto title = host_.render("{{{title}}}", WW_ESCAPE_NONE, 256, a);
        auto footer = host_.render("{{{feed_title}}}", WW_ESCAPE_NONE, 2048, a);
        if (!content || !description || !title || !footer) return permanent(d, "a message template does not render");
        nlohmann::json embed = {{"title", *title}, {"description", *description}, {"footer", {{"text", *footer}}}};
        if (a.link.size) embed["url"] = str(a.link);
        embed["timestamp"] = str(a.published.size ? a.published : a.detected_at);
        // Feed text must never ping @everyone or a role.
        nlohmann::json body = {{"content", *content}, {"embeds", {embed}}, {"allowed_mentions", {{"parse", nlohmann::json::array()}}}};
        if (!username_.empty()) body["username"] = username_;
        const Response r = host_.request("POST", url_, body.dump(), {{"Content-Type", "application/json; charset=utf-8"}});
        classify(r, d);
        if (r.status == 429) {
            const auto j = nlohmann::json::parse(r.body, nullptr, false);
            if (j.is_object() && j.contains("retry_after") && j["retry_after"].is_number())
                d.retry_after_ms = (long long)std::ceil(j["retry_after"].get<double>() * 1000.0);
        }
    }

private:
    Host host_;
    std::string url_, username_, content_, description_;
};

}  // namespace

WW_DEFINE_PLUGIN(DiscordSink)
