#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "publish/replay_server.h"
#include "store/store.h"

namespace ww::publish::testing {

// The adapter the daemon needs between its state database and the replay server (publish
// does not depend on store): a read-only Store, opened lazily on the replay thread, which
// is the only thread that uses it.
inline ReplaySource store_source(std::filesystem::path state_dir) {
    auto reader = std::make_shared<std::optional<store::Store>>();
    return [reader, state_dir = std::move(state_dir)](std::int64_t after, std::string_view prefix,
                                                       std::size_t limit) -> Result<ReplaySlice> {
        if (!*reader) {
            auto opened = store::Store::open(state_dir, store::Mode::read_only);
            if (!opened) return std::unexpected(opened.error());
            reader->emplace(std::move(*opened));
        }
        auto page = (*reader)->alert_page(after, prefix, limit);
        if (!page) return std::unexpected(page.error());
        ReplaySlice slice{page->earliest_seq, page->last_seq, {}};
        slice.alerts.reserve(page->alerts.size());
        for (auto& a : page->alerts)
            slice.alerts.push_back({a.seq, std::move(a.topic), std::move(a.envelope)});
        return slice;
    };
}

}  // namespace ww::publish::testing
