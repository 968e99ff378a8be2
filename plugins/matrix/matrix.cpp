// matrix: client-server API m.room.message
// (PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}). The transaction id is
// derived from the alert id, so a retry, or a resend after a crash, is recognised by the
// homeserver as the same event and never posted twice.
#include <nlohmann/json.hpp>

#include <wirewatch/plugin.hpp>

namespace {

using namespace ww::plugin;

constexpr const char* kHtml =
    "<b>{{watchlist}}</b>: {{#has_link}}<a href=\"{{link}}\">{{title}}</a>{{/has_link}}{{^has_link}}{{title}}{{/has_link}}<br>"
    "<i>{{feed_title}}</i>{{#has_published}} · {{published}}{{/has_published}}<br>"
    "{{#has_snippet}}<blockquote>{{snippet}}</blockquote>{{/has_snippet}}"
    "{{#has_summary}}<p>{{summary}}</p>{{/has_summary}}"
    "<i>matched: {{terms_text}}</i>";
constexpr const char* kPlain =
    "{{watchlist}}: {{title}}{{#has_link}} {{link}}{{/has_link}}\n"
    "{{feed_title}}{{#has_published}} · {{published}}{{/has_published}}\n"
    "{{#has_snippet}}> {{snippet}}\n{{/has_snippet}}"
    "{{#has_summary}}{{summary}}\n{{/has_summary}}"
    "matched: {{terms_text}}";

class MatrixSink {
public:
    MatrixSink(Host host, Options& o)
        : host_(host), homeserver_(o.require("homeserver")), token_(o.require("access_token")),
          room_(o.require("room_id")), msgtype_(o.get("msgtype", "m.notice")), html_(o.get("template", kHtml)),
          plain_(o.get("plain_template", kPlain)), max_length_(std::size_t(o.get_int("max_length", 8000))) {
        o.reject_unknown();
        if (!room_.starts_with("!")) throw OptionError("room_id must be a room id (\"!...:server\"), not an alias");
        while (homeserver_.ends_with("/")) homeserver_.pop_back();
        host_.add_secret(token_);
    }

    void deliver(const ww_alert& a, ww_delivery& d) {
        auto html = host_.render(html_, WW_ESCAPE_HTML, max_length_, a);
        auto plain = host_.render(plain_, WW_ESCAPE_NONE, max_length_, a);
        if (!html || !plain) return permanent(d, "a message template does not render");
        const std::string txn = "ww-" + (a.alert_id.size ? str(a.alert_id) : std::to_string(a.seq));
        const std::string url = homeserver_ + "/_matrix/client/v3/rooms/" + percent_encode(room_) +
                                "/send/m.room.message/" + percent_encode(txn);
        nlohmann::json body = {{"msgtype", msgtype_}, {"body", *plain}, {"format", "org.matrix.custom.html"},
                               {"formatted_body", *html}};
        const Response r = host_.request("PUT", url, body.dump(),
                                         {{"Content-Type", "application/json; charset=utf-8"},
                                          {"Authorization", "Bearer " + token_}});
        classify(r, d);
        // {"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":N}
        const auto j = nlohmann::json::parse(r.body, nullptr, false);
        if (r.status == 429 && j.is_object() && j.contains("retry_after_ms") && j["retry_after_ms"].is_number_integer())
            d.retry_after_ms = j["retry_after_ms"].get<long long>();
    }

private:
    Host host_;
    std::string homeserver_, token_, room_, msgtype_, html_, plain_;
    std::size_t max_length_;
};

}  // namespace

WW_DEFINE_PLUGIN(MatrixSink)
