// The e-mail sink's pure part: an alert (values, no curl, no clock) -> one RFC 5322 message
// with a multipart/alternative body, and the reading of an SMTP exchange's outcome.
// Tested by a table in test_email_message.cpp; email.cpp only sends what this builds.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ww::email {

// `Name <local@domain>` or `local@domain`, checked: a bare address made of the characters
// RFC 5321 allows outside quotes, so neither a header nor an SMTP command can be smuggled in.
struct Address {
    std::string display;  // may be empty
    std::string addr;     // local@domain
};
std::optional<Address> parse_address(std::string_view text);
// Comma-separated addresses (the host passes a TOML array as "a, b"); nullopt if any is bad.
std::optional<std::vector<Address>> parse_address_list(std::string_view text);

struct MailConfig {
    Address from;
    std::vector<Address> to;
    std::string subject_prefix;
};

// What the builder reads from one alert (copied from ww_alert; `envelope` is the JSON).
struct MailAlert {
    std::string topic;  // alert.<w>, digest.<w>, story.<w>
    std::string alert_id;
    std::string detected_at;  // RFC 3339: the Date header, so a redelivery is byte-identical
    std::string watchlist;
    std::string feed_title;
    std::string title;
    std::string link;
    std::string published;
    std::string summary;
    std::string snippet;
    std::vector<std::string> terms;
    std::string envelope;
};

struct BuiltMail {
    std::string message_id;  // with the angle brackets
    std::string in_reply_to;  // empty unless a story event
    std::string text;         // the whole message, CRLF line endings
};

BuiltMail build_mail(const MailConfig& config, const MailAlert& alert);

// Building blocks, public for the table test.
std::string header_text(std::string_view s);  // CR, LF and controls folded to single spaces
std::string encode_header_word(std::string_view s);  // RFC 2047 B-encoding when needed
std::string quoted_printable(std::string_view text);  // text with \n or \r\n line ends
std::string html_escape(std::string_view s);
bool is_web_link(std::string_view s);  // http(s) and nothing a browser could run
std::string message_id_for(std::string_view id);
std::optional<std::string> rfc5322_date(std::string_view rfc3339);

// How an SMTP exchange ended, without curl's types: the caller maps its error code.
enum class SmtpFailure { none, transport, tls_refused, other };
enum class SendOutcome { delivered, retry, permanent };
// The last SMTP reply decides when there is one (4xx retry, 5xx permanent); otherwise the
// failure: connection trouble is retried, a refused plain connection (starttls = "require")
// is permanent.
SendOutcome classify_smtp(SmtpFailure failure, long last_reply);

}  // namespace ww::email
