// webhook: POSTs the alert envelope, byte for byte, as JSON; optionally signs the body with
// HMAC-SHA256 so that the receiver can tell it came from us.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <wirewatch/plugin.hpp>

namespace {

using namespace ww::plugin;

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), mac, &len);
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
        hex.push_back(digits[mac[i] >> 4]);
        hex.push_back(digits[mac[i] & 15]);
    }
    return hex;
}

class WebhookSink {
public:
    WebhookSink(Host host, Options& o) : host_(host), url_(o.require("url")), secret_(o.get("secret")) {
        if (!url_.starts_with("http://") && !url_.starts_with("https://"))
            throw OptionError("url must start with http:// or https://");
        o.reject_unknown();
        host_.add_url_secret(url_);
        host_.add_secret(secret_);
    }

    void deliver(const ww_alert& a, ww_delivery& d) {
        std::vector<std::pair<std::string, std::string>> headers{
            {"Content-Type", "application/json; charset=utf-8"},
            {"X-Wirewatch-Seq", std::to_string(a.seq)},
            {"X-Wirewatch-Alert-Id", str(a.alert_id)},
        };
        if (!secret_.empty()) headers.emplace_back("X-Wirewatch-Signature", "sha256=" + hmac_sha256_hex(secret_, sv(a.envelope)));
        classify(host_.request("POST", url_, sv(a.envelope), headers), d);
    }

private:
    Host host_;
    std::string url_;
    std::string secret_;
};

}  // namespace

WW_DEFINE_PLUGIN(WebhookSink)
