#pragma once

// Internal to ww_fetch: the only header besides the .cpp files that includes curl.

#include <memory>

#include <curl/curl.h>

namespace ww::fetch {

struct EasyDeleter {
    void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};
struct MultiDeleter {
    void operator()(CURLM* h) const noexcept { curl_multi_cleanup(h); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

// Move-only owners of curl's C handles.
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;

// A header list grows by re-seating its head, so the owner wraps the append.
class HeaderList {
public:
    HeaderList() = default;
    // false when curl could not allocate; the list is unchanged then.
    bool append(const char* line);
    curl_slist* get() const { return head_.get(); }

private:
    std::unique_ptr<curl_slist, SlistDeleter> head_;
};

// curl_global_init exactly once per process, before the first handle.
void ensure_curl_initialised();
EasyHandle make_easy();
MultiHandle make_multi();

}  // namespace ww::fetch
