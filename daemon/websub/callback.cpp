#include "websub/callback.h"

#include "websub/lease.h"

#include <charconv>

namespace ww::websub {

namespace {

std::string encode(std::string_view s) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kDigits[c >> 4];
            out += kDigits[c & 15];
        }
    }
    return out;
}

VerificationAnswer refuse(std::string reason) {
    VerificationAnswer a;
    a.status = 404;
    a.body = "not found\n";
    a.reason = std::move(reason);
    return a;
}

}  // namespace

std::string form_encode(const Params& params) {
    std::string out;
    for (const auto& [k, v] : params) {
        if (!out.empty()) out += '&';
        out += encode(k) + "=" + encode(v);
    }
    return out;
}

std::string_view param(const Params& params, std::string_view name) {
    for (const auto& [k, v] : params)
        if (k == name) return v;
    return {};
}

std::string subscription_body(std::string_view mode, std::string_view topic, std::string_view callback,
                              std::string_view secret, std::chrono::seconds lease) {
    Params p{{"hub.mode", std::string(mode)}, {"hub.topic", std::string(topic)}, {"hub.callback", std::string(callback)}};
    if (mode == "subscribe") {
        if (!secret.empty()) p.emplace_back("hub.secret", std::string(secret));
        if (lease.count() > 0) p.emplace_back("hub.lease_seconds", std::to_string(lease.count()));
    }
    return form_encode(p);
}

VerificationAnswer answer_verification(const Params& query, const std::optional<Expected>& expected) {
    const auto mode = param(query, "hub.mode");
    const auto topic = param(query, "hub.topic");
    if (!expected) return refuse("unknown callback");
    if (topic != expected->topic) return refuse("topic " + std::string(topic) + " is not ours");
    if (mode == "denied") {
        VerificationAnswer a;
        a.status = 200;
        a.body = "ok\n";
        a.outcome = VerificationAnswer::Outcome::denied;
        a.reason = std::string(param(query, "hub.reason"));
        return a;
    }
    const bool subscribe = mode == "subscribe";
    if (!subscribe && mode != "unsubscribe") return refuse("unknown mode \"" + std::string(mode) + "\"");
    if (subscribe != (expected->intent == Intent::subscribe))
        return refuse("mode " + std::string(mode) + " was not requested");
    const auto challenge = param(query, "hub.challenge");
    if (challenge.empty()) return refuse("no hub.challenge");
    VerificationAnswer a;
    if (subscribe) {
        const auto lease = accepted_lease(param(query, "hub.lease_seconds"));
        if (!lease) return refuse("no valid hub.lease_seconds");
        a.lease = *lease;
        a.outcome = VerificationAnswer::Outcome::subscribed;
    } else {
        a.outcome = VerificationAnswer::Outcome::unsubscribed;
    }
    a.status = 200;
    a.body = std::string(challenge);
    return a;
}

}  // namespace ww::websub
