// mattermost: an incoming webhook message in Markdown
// (https://developers.mattermost.com/integrate/webhooks/incoming/).
#include <nlohmann/json.hpp>

#include <wirewatch/plugin.hpp>

namespace {

using namespace ww::plugin;

// The link goes in unescaped inside (...): Markdown escapes would corrupt the URL.
constexpr const char* kTemplate =
    "**{{watchlist}}**: {{#has_link}}[{{title}}]({{{link}}}){{/has_link}}{{^has_link}}{{title}}{{/has_link}}\n"
    "*{{feed_title}}*{{#has_published}} · {{published}}{{/has_published}}\n"
    "{{#has_snippet}}> {{snippet}}\n\n{{/has_snippet}}"
    "{{#has_summary}}{{summary}}\n{{/has_summary}}"
    "matched: {{terms_text}}";

class MattermostSink {
public:
    MattermostSink(Host host, Options& o)
        : host_(host), url_(o.require("url")), channel_(o.get("channel")), username_(o.get("username")),
          icon_url_(o.get("icon_url")), template_(o.get("template", kTemplate)),
          max_length_(std::size_t(o.get_int("max_length", 4000))) {
        o.reject_unknown();
        host_.add_url_secret(url_);
    }

    void deliver(const ww_alert& a, ww_delivery& d) {
        auto text = host_.render(template_, WW_ESCAPE_MARKDOWN, max_length_, a);
        if (!text) return permanent(d, "the message template does not render");
        nlohmann::json body = {{"text", *text}};
        if (!channel_.empty()) body["channel"] = channel_;
        if (!username_.empty()) body["username"] = username_;
        if (!icon_url_.empty()) body["icon_url"] = icon_url_;
        classify(host_.request("POST", url_, body.dump(), {{"Content-Type", "application/json; charset=utf-8"}}), d);
    }

private:
    Host host_;
    std::string url_, channel_, username_, icon_url_, template_;
    std::size_t max_length_;
};

}  // namespace

WW_DEFINE_PLUGIN(MattermostSink)
