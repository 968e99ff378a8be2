#include "fetch/origin.h"

#include <cctype>
#include <memory>
#include <optional>
#include <tuple>

#include "fetch/curl_handles.h"

namespace ww::fetch {
namespace {

using Url = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

Url parse(const std::string& url) {
    Url u(curl_url(), &curl_url_cleanup);
    if (u && curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) u.reset();
    return u;
}

std::optional<std::string> part(CURLU* u, CURLUPart which, unsigned flags = 0) {
    char* text = nullptr;
    if (curl_url_get(u, which, &text, flags) != CURLUE_OK) return std::nullopt;
    std::string out(text);
    curl_free(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::string resolve_location(const std::string& base, const std::string& location) {
    auto u = parse(base);
    // Setting a URL on a handle that holds one resolves it as a reference (curl_url_set(3)).
    if (!u || curl_url_set(u.get(), CURLUPART_URL, location.c_str(), 0) != CURLUE_OK) return {};
    char* text = nullptr;
    if (curl_url_get(u.get(), CURLUPART_URL, &text, 0) != CURLUE_OK) return {};
    std::string out(text);
    curl_free(text);
    return out;
}

bool same_origin(const std::string& a, const std::string& b) {
    auto ua = parse(a), ub = parse(b);
    if (!ua || !ub) return false;
    const auto origin = [](CURLU* u) {
        return std::tuple{part(u, CURLUPART_SCHEME), part(u, CURLUPART_HOST),
                          part(u, CURLUPART_PORT, CURLU_DEFAULT_PORT)};
    };
    const auto oa = origin(ua.get());
    return std::get<0>(oa) && std::get<1>(oa) && oa == origin(ub.get());
}

}  // namespace ww::fetch
