#include "fetch/error_kind.h"

#include <curl/curl.h>

namespace ww::fetch {

std::string_view error_kind_of(const TransferFacts& facts) {
    // Our own refusals first: curl reports them as a generic connect or write error.
    if (facts.blocked) return "blocked";
    if (facts.too_large) return "too_large";
    switch (static_cast<CURLcode>(facts.curl_code)) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return "dns";
    case CURLE_COULDNT_CONNECT:
        return "connect";
    case CURLE_OPERATION_TIMEDOUT:
        return "timeout";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
        return "tls";
    case CURLE_FILESIZE_EXCEEDED:
        return "too_large";
    case CURLE_TOO_MANY_REDIRECTS:
        return "redirects";
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
        return "reset";
    default:
        return "protocol";
    }
}

}  // namespace ww::fetch
