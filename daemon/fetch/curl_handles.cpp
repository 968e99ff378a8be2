#include "fetch/curl_handles.h"

#include <mutex>

namespace ww::fetch {

bool HeaderList::append(const char* line) {
    curl_slist* grown = curl_slist_append(head_.get(), line);
    if (grown == nullptr) return false;
    // curl_slist_append returns the same head once the list is non-empty.
    head_.release();
    head_.reset(grown);
    return true;
}

void ensure_curl_initialised() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

EasyHandle make_easy() {
    ensure_curl_initialised();
    return EasyHandle(curl_easy_init());
}

MultiHandle make_multi() {
    ensure_curl_initialised();
    return MultiHandle(curl_multi_init());
}

}  // namespace ww::fetch
