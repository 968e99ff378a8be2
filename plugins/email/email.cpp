// email: one alert, one mail, over SMTP with libcurl (smtp:// with STARTTLS when offered or
// required, smtps://). The message comes from message.cpp (pure); this file owns the curl
// handles, sends, and turns the SMTP outcome into the host's delivery result. The host keeps
// retries, backoff and the cursor.
#include <curl/curl.h>

#include <wirewatch/plugin.hpp>

#include <cstring>
#include <memory>

#include "message.h"

namespace {

using namespace ww::plugin;
namespace mail = ww::email;

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
// Move-only owners of the two C handles one send uses.
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using Recipients = std::unique_ptr<curl_slist, SlistDeleter>;

// curl reads the upload through this cursor; it lives on send()'s stack for the whole
// curl_easy_perform call.
struct Upload {
    std::string_view data;
    std::size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
    auto* up = static_cast<Upload*>(user);
    const std::size_t n = std::min(size * count, up->data.size() - up->offset);
    std::memcpy(buffer, up->data.data() + up->offset, n);
    up->offset += n;
    return n;
}

mail::SmtpFailure failure_of(CURLcode code) {
    switch (code) {
        case CURLE_OK: return mail::SmtpFailure::none;
        case CURLE_USE_SSL_FAILED: return mail::SmtpFailure::tls_refused;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_SSL_CONNECT_ERROR: return mail::SmtpFailure::transport;
        default: return mail::SmtpFailure::other;
    }
}

std::vector<std::string> addresses_of(const std::vector<mail::Address>& to) {
    std::vector<std::string> out;
    for (const auto& a : to) out.push_back(a.addr);
    return out;
}

mail::MailAlert mail_alert(const ww_alert& a) {
    mail::MailAlert m{str(a.topic),     str(a.alert_id), str(a.detected_at), str(a.watchlist),
                      str(a.feed_title), str(a.title),    str(a.link),        str(a.published),
                      str(a.summary),   str(a.snippet),  {},                  str(a.envelope)};
    for (std::size_t i = 0; i < a.terms_count; ++i) m.terms.push_back(str(a.terms[i]));
    return m;
}

class EmailSink {
public:
    EmailSink(Host host, Options& o) : host_(host), url_(o.require("url")) {
        if (!url_.starts_with("smtp://") && !url_.starts_with("smtps://"))
            throw OptionError("url must start with smtp:// or smtps://");
        config_.from = address_option(o, "from");
        const auto to = mail::parse_address_list(o.require("to"));
        if (!to)
            throw OptionError("option \"to\" must be one or more addresses (local@domain, or Name <local@domain>)");
        config_.to = *to;
        config_.subject_prefix = o.get("subject_prefix");
        username_ = o.get("username");
        password_ = o.get("password");
        ca_pem_ = o.get("ca");  // `ca_file = "/path"`: the host reads *_file keys and passes the content
        starttls_ = starttls_mode(o.get("starttls", "auto"));
        timeout_s_ = o.get_int("smtp_timeout", 30);
        if (timeout_s_ <= 0) throw OptionError("option \"smtp_timeout\" must be a positive number of seconds");
        o.reject_unknown();
        host_.add_secret(password_);
        recipients_ = addresses_of(config_.to);
    }

    void deliver(const ww_alert& a, ww_delivery& d) {
        const mail::BuiltMail m = mail::build_mail(config_, mail_alert(a));
        send(m.text, d);
    }

private:
    static mail::Address address_option(Options& o, const std::string& key) {
        const auto a = mail::parse_address(o.require(key));
        if (!a) throw OptionError("option \"" + key + "\" must be an address (local@domain, or Name <local@domain>)");
        return *a;
    }

    static curl_usessl starttls_mode(const std::string& v) {
        if (v == "auto") return CURLUSESSL_TRY;
        if (v == "require") return CURLUSESSL_ALL;
        throw OptionError("option \"starttls\" must be \"auto\" or \"require\"");
    }

    // One SMTP transaction: connect, EHLO, STARTTLS, AUTH, MAIL, RCPT..., DATA, QUIT.
    void send(std::string_view message, ww_delivery& d) const {
        CurlHandle curl(curl_easy_init());
        Recipients rcpt;
        for (const auto& r : recipients_) {
            curl_slist* grown = curl_slist_append(rcpt.get(), ("<" + r + ">").c_str());
            if (!grown) return permanent(d, "email: out of memory");
            rcpt.release();
            rcpt.reset(grown);
        }
        if (!curl) return permanent(d, "email: curl_easy_init failed");
        Upload up{message};
        char error[CURL_ERROR_SIZE] = {};
        configure(curl.get(), rcpt.get(), up, error);
        const CURLcode code = curl_easy_perform(curl.get());
        long reply = 0;
        curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply);
        report(code, reply, error, d);
    }

    void configure(CURL* c, curl_slist* rcpt, Upload& up, char* error) const {
        curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
        curl_easy_setopt(c, CURLOPT_USE_SSL, long(starttls_));
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout_s_);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s_);
        if (!ca_pem_.empty()) {
            curl_blob blob{const_cast<char*>(ca_pem_.data()), ca_pem_.size(), CURL_BLOB_COPY};
            curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
        }
        if (!username_.empty()) curl_easy_setopt(c, CURLOPT_USERNAME, username_.c_str());
        if (!password_.empty()) curl_easy_setopt(c, CURLOPT_PASSWORD, password_.c_str());
        const std::string from = "<" + config_.from.addr + ">";
        curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());  // curl copies string options
        curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_upload);
        curl_easy_setopt(c, CURLOPT_READDATA, &up);
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, curl_off_t(up.data.size()));
    }

    static void report(CURLcode code, long reply, const char* error, ww_delivery& d) {
        switch (mail::classify_smtp(failure_of(code), reply)) {
            case mail::SendOutcome::delivered: d.outcome = WW_DELIVERED; return;
            case mail::SendOutcome::retry: d.outcome = WW_RETRY; break;
            case mail::SendOutcome::permanent: d.outcome = WW_PERMANENT_FAILURE; break;
        }
        d.retry_after_ms = -1;
        std::string why = "email: ";
        why += error[0] ? error : curl_easy_strerror(code);
        if (reply > 0) why += " (smtp reply " + std::to_string(reply) + ")";
        set_message(d, why);
    }

    Host host_;
    std::string url_;
    mail::MailConfig config_;
    std::vector<std::string> recipients_;
    std::string username_;
    std::string password_;
    std::string ca_pem_;
    curl_usessl starttls_ = CURLUSESSL_TRY;
    long timeout_s_ = 30;
};

}  // namespace

WW_DEFINE_PLUGIN(EmailSink)
