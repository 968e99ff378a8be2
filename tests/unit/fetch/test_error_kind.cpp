#include "fetch/error_kind.h"

#include <curl/curl.h>

#include <gtest/gtest.h>

namespace ww::fetch {
namespace {

TEST(ErrorKind, MapsCurlCodesAndOurOwnRefusals) {
    struct Case {
        TransferFacts facts;
        std::string_view kind;
    };
    const Case cases[] = {
        {{CURLE_COULDNT_RESOLVE_HOST}, "dns"},
        {{CURLE_COULDNT_RESOLVE_PROXY}, "dns"},
        {{CURLE_COULDNT_CONNECT}, "connect"},
        {{CURLE_COULDNT_CONNECT, true, false}, "blocked"},
        {{CURLE_OPERATION_TIMEDOUT}, "timeout"},
        {{CURLE_SSL_CONNECT_ERROR}, "tls"},
        {{CURLE_PEER_FAILED_VERIFICATION}, "tls"},
        {{CURLE_FILESIZE_EXCEEDED}, "too_large"},
        {{CURLE_WRITE_ERROR, false, true}, "too_large"},
        {{CURLE_TOO_MANY_REDIRECTS}, "redirects"},
        {{CURLE_UNSUPPORTED_PROTOCOL}, "protocol"},  // e.g. an HTTP/0.9 answer
        {{CURLE_UNSUPPORTED_PROTOCOL, true, false}, "blocked"},  // a redirect to file://
        {{CURLE_RECV_ERROR}, "reset"},
        {{CURLE_PARTIAL_FILE}, "reset"},
        {{CURLE_GOT_NOTHING}, "reset"},
        {{CURLE_SEND_ERROR}, "reset"},
        {{CURLE_BAD_CONTENT_ENCODING}, "protocol"},
        {{CURLE_WEIRD_SERVER_REPLY}, "protocol"},
        {{CURLE_HTTP2_STREAM}, "protocol"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(error_kind_of(c.facts), c.kind) << "curl code " << c.facts.curl_code;
}

}  // namespace
}  // namespace ww::fetch
