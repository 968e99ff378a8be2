#pragma once

#include <cstdint>
#include <string_view>

#include "core/error.h"

namespace ww::sink {

// Where each sink's durable cursor (the last `seq` it finished with, delivered or failed) and
// its failed-alert records live. The daemon keeps them in its state database, the bridge in
// files (FileCursorStore). Implementations must be safe to call from several sink threads at
// once; each sink only touches its own name.
struct CursorStore {
    virtual ~CursorStore() = default;
    // 0 when the sink never delivered anything.
    virtual Result<std::int64_t> load(std::string_view sink) = 0;
    // Durable when it returns: a crash right after must not repeat the alert.
    virtual Result<void> save(std::string_view sink, std::int64_t seq) = 0;
    // An alert the sink gave up on (permanent failure); `message` is already redacted.
    virtual Result<void> record_failure(std::string_view sink, std::int64_t seq,
                                        std::string_view message) = 0;
};

}  // namespace ww::sink
