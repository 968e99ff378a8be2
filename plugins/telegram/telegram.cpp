// telegram: Bot API sendMessage with parse_mode HTML (https://core.telegram.org/bots/api).
// A message holds 4,096 characters after entity parsing: the host counts visible text (an
// entity is one character, a tag none) and cuts without breaking an entity or a tag.
#include <nlohmann/json.hpp>

#include <wirewatch/plugin.hpp>

namespace {

using namespace ww::plugin;

constexpr const char* kTemplate =
    "<b>{{watchlist}}</b>\n"
    "{{#has_link}}<a href=\"{{link}}\">{{title}}</a>{{/has_link}}{{^has_link}}<b>{{title}}</b>{{/has_link}}\n"
    "<i>{{feed_title}}</i>{{#has_published}} · {{published}}{{/has_published}}\n"
    "{{#has_snippet}}<blockquote>{{snippet}}</blockquote>\n{{/has_snippet}}"
    "{{#has_summary}}{{summary}}\n{{/has_summary}}"
    "<i>matched: {{terms_text}}</i>";

class TelegramSink {
public:
    TelegramSink(Host host, Options& o)
        : host_(host), token_(o.require("bot_token")), chat_id_(o.require("chat_id")),
          api_base_(o.get("api_base", "https://api.telegram.org")), template_(o.get("template", kTemplate)),
          preview_(o.get_bool("link_preview", false)), silent_(o.get_bool("silent", false)) {
        o.reject_unknown();
        host_.add_secret(token_);
        url_ = api_base_ + "/bot" + token_ + "/sendMessage";
    }

    void deliver(const ww_alert& a, ww_delivery& d) {
        auto text = host_.render(template_, WW_ESCAPE_HTML, 4096, a);
        if (!text) return permanent(d, "the message template does not render");
        nlohmann::json body = {{"chat_id", chat_id_},
                               {"text", *text},
                               {"parse_mode", "HTML"},
                               {"link_preview_options", {{"is_disabled", !preview_}}},
                               {"disable_notification", silent_}};
        const Response r = host_.request("POST", url_, body.dump(), {{"Content-Type", "application/json; charset=utf-8"}});
        classify(r, d);
        // Flood control: {"ok":false,"error_code":429,"parameters":{"retry_after":N}}
        const auto j = nlohmann::json::parse(r.body, nullptr, false);
        if (r.status == 429 && j.is_object() && j.contains("parameters") && j["parameters"].is_object() &&
            j["parameters"].value("retry_after", -1) >= 0)
            d.retry_after_ms = j["parameters"]["retry_after"].get<long long>() * 1000;
    }

private:
    Host host_;
    std::string token_, chat_id_, api_base_, template_, url_;
    bool preview_, silent_;
};

}  // namespace

WW_DEFINE_PLUGIN(TelegramSink)
