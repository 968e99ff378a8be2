// ntfy: JSON publishing to the server root (https://docs.ntfy.sh/publish/#publish-as-json),
// which carries UTF-8 titles safely (HTTP headers cannot). ntfy turns messages over 4,096
// bytes into attachments, so the default length keeps even 3-byte characters under it.
#include <sstream>

#include <nlohmann/json.hpp>

#include <wirewatch/plugin.hpp>

namespace {

using namespace ww::plugin;

constexpr const char* kTitle = "{{{watchlist}}}: {{{title}}}";
constexpr const char* kMessage =
    "{{{feed_title}}}{{#has_published}} · {{{published}}}{{/has_published}}\n"
    "{{#has_snippet}}{{{snippet}}}\n{{/has_snippet}}"
    "{{#has_summary}}{{{summary}}}\n{{/has_summary}}"
    "matched: {{{terms_text}}}";

class NtfySink {
public:
    NtfySink(Host host, Options& o)
        : host_(host), server_(o.require("server")), topic_(o.require("topic")), token_(o.get("token")),
          username_(o.get("username")), password_(o.get("password")), title_(o.get("title_template", kTitle)),
          message_(o.get("template", kMessage)), priority_(int(o.get_int("priority", 0))),
          max_length_(std::size_t(o.get_int("max_length", 1300))) {
        std::stringstream tags(o.get("tags", "newspaper"));
        for (std::string t; std::getline(tags, t, ',');)
            if (!t.empty()) tags_.push_back(t);
        o.reject_unknown();
        if (priority_ < 0 || priority_ > 5) throw OptionError("priority must be 1 to 5");
        while (server_.ends_with("/")) server_.pop_back();
        host_.add_secret(token_);
        host_.add_secret(password_);
        if (!token_.empty()) auth_ = "Bearer " + token_;
        else if (!username_.empty()) auth_ = "Basic " + base64(username_ + ":" + password_);
        host_.add_secret(auth_);
    }

    void deliver(const ww_alert& a, ww_delivery& d) {
        auto title = host_.render(title_, WW_ESCAPE_NONE, 250, a);
        auto message = host_.render(message_, WW_ESCAPE_NONE, max_length_, a);
        if (!title || !message) return permanent(d, "a message template does not render");
        nlohmann::json tags = tags_;
        tags.push_back(str(a.watchlist));
        nlohmann::json body = {{"topic", topic_}, {"title", *title}, {"message", *message}, {"tags", tags}};
        if (a.link.size) body["click"] = str(a.link);
        if (priority_ > 0) body["priority"] = priority_;
        std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json; charset=utf-8"}};
        if (!auth_.empty()) headers.emplace_back("Authorization", auth_);
        classify(host_.request("POST", server_ + "/", body.dump(), headers), d);
    }

private:
    Host host_;
    std::string server_, topic_, token_, username_, password_, title_, message_, auth_;
    int priority_;
    std::size_t max_length_;
    std::vector<std::string> tags_;
};

}  // namespace

WW_DEFINE_PLUGIN(NtfySink)
