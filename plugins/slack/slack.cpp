// slack: an incoming webhook message in mrkdwn (https://api.slack.com/messaging/webhooks).
// Slack asks for exactly three characters to be escaped in text: & < >.
#include <nlohmann/json.hpp>

#include <wirewatch/plugin.hpp>

namespace {

using namespace ww::plugin;

constexpr const char* kTemplate =
    "*{{watchlist}}*: {{#has_link}}<{{link}}|{{title}}>{{/has_link}}{{^has_link}}{{title}}{{/has_link}}\n"
    "_{{feed_title}}_{{#has_published}} · {{published}}{{/has_published}}\n"
    "{{#has_snippet}}> {{snippet}}\n{{/has_snippet}}"
    "{{#has_summary}}{{summary}}\n{{/has_summary}}"
    "matched: {{terms_text}}";

class SlackSink {
public:
    SlackSink(Host host, Options& o)
        : host_(host), url_(o.require("url")), channel_(o.get("channel")), username_(o.get("username")),
          icon_emoji_(o.get("icon_emoji")), template_(o.get("template", kTemplate)),
          max_length_(std::size_t(o.get_int("max_length", 4000))) {
        o.reject_unknown();
        host_.add_url_secret(url_);
    }

    void deliver(const ww_alert& a, ww_delivery& d) {
        auto text = host_.render(template_, WW_ESCAPE_SLACK, max_length_, a);
        if (!text) return permanent(d, "the message template does not render");
        nlohmann::json body = {{"text", *text}, {"unfurl_links", false}, {"unfurl_media", false}};
        if (!channel_.empty()) body["channel"] = channel_;
        if (!username_.empty()) body["username"] = username_;
        if (!icon_emoji_.empty()) body["icon_emoji"] = icon_emoji_;
        classify(host_.request("POST", url_, body.dump(), {{"Content-Type", "application/json; charset=utf-8"}}), d);
    }

private:
    Host host_;
    std::string url_, channel_, username_, icon_emoji_, template_;
    std::size_t max_length_;
};

}  // namespace

WW_DEFINE_PLUGIN(SlackSink)
