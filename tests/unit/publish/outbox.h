#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/alert.h"
#include "core/time.h"
#include "publish/publisher.h"
#include "publish/replay_server.h"
#include "store/store.h"
#include "store_source.h"

namespace ww::publish::testing {

namespace fs = std::filesystem;

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "ww-publish-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() { fs::remove_all(path_); }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

inline void check(const Result<void>& r) {
    if (!r) throw std::runtime_error(r.error().message);
}

template <class T>
T must(Result<T> r) {
    if (!r) throw std::runtime_error(r.error().message);
    return std::move(*r);
}

// The daemon's outbox path in miniature, on the real modules: record in the Store, then
// publish; the replay server reads the same database through its own read-only Store.
class Outbox {
public:
    explicit Outbox(std::size_t max_batch = 1000, CurveServerOptions curve = {})
        : store_(must(store::Store::open(dir_.path()))),
          feed_(must(store_.ensure_feed("http://fake/feed"))),
          pub_(must(Publisher::bind(PublisherOptions{"tcp://127.0.0.1:*", 100'000, 0, curve}))) {
        must(store_.record({feed_.id, {}, 0, now_seconds()}));
        ReplayOptions options{"tcp://127.0.0.1:*", max_batch, curve};
        replay_.emplace(must(ReplayServer::start(options, store_source(dir_.path()))));
    }

    // Records `count` alerts for `watchlist` in one transaction; publishes them unless told not
    // to (a message lost on the way). Returns their seqs.
    std::vector<std::int64_t> record(int count, const std::string& watchlist = "wl",
                                     bool publish = true) {
        store::RecordRequest request{feed_.id, {}, 0, now_seconds()};
        for (int i = 0; i < count; ++i) {
            const std::string key = "k" + std::to_string(++keys_);
            Alert alert;
            alert.alert_id = make_alert_id(watchlist, "http://fake/feed", key);
            alert.watchlist = watchlist;
            alert.item.key = key;
            alert.item.title = "title " + key;
            request.items.push_back(
                {key, "", std::nullopt,
                 {{watchlist, alert_topic(watchlist), alert.alert_id, [alert](std::int64_t seq) mutable {
                       alert.seq = seq;
                       return to_envelope_json(alert);
                   }}}});
        }
        auto result = must(store_.record(request));
        std::vector<std::int64_t> seqs;
        for (const auto& a : result.alerts) {
            if (publish)
                if (auto sent = pub_.send(a.topic, a.envelope); !sent)
                    throw std::runtime_error(sent.error().message);
            seqs.push_back(a.seq);
        }
        return seqs;
    }

    std::int64_t last_seq() { return must(store_.last_seq()); }
    store::Store& store() { return store_; }
    Publisher& pub() { return pub_; }
    std::string pub_endpoint() const { return pub_.endpoint(); }
    std::string replay_endpoint() const { return replay_->endpoint(); }
    ReplayServer& replay() { return *replay_; }

private:
    TempDir dir_;
    store::Store store_;
    store::FeedState feed_;
    Publisher pub_;
    std::optional<ReplayServer> replay_;
    int keys_ = 0;
};

}  // namespace ww::publish::testing
