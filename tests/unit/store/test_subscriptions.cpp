#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

#include "store/store.h"

namespace ww::store {
namespace {

namespace fs = std::filesystem;

class StateDir {
public:
    StateDir() {
        std::string pattern = (fs::temp_directory_path() / "ww-subs-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~StateDir() { fs::remove_all(path_); }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

Subscription sample(std::int64_t feed_id, std::string state) {
    Subscription s;
    s.feed_id = feed_id;
    s.topic = "https://news.example/feed.xml";
    s.hub = "https://hub.example/";
    s.callback_id = "cb" + std::to_string(feed_id);
    s.secret = "secret-" + std::to_string(feed_id);
    s.state = std::move(state);
    s.lease_seconds = 600;
    s.expires_at = SysSeconds{std::chrono::seconds{1'800'000'600}};
    s.updated_at = SysSeconds{std::chrono::seconds{1'800'000'000}};
    return s;
}

TEST(Subscriptions, SurviveReopeningAndAreReplacedPerFeed) {
    StateDir dir;
    {
        auto store = Store::open(dir.path());
        ASSERT_TRUE(store) << store.error().message;
        auto feed = store->ensure_feed("https://news.example/feed.xml");
        ASSERT_TRUE(feed);
        ASSERT_TRUE(store->save_subscription(sample(feed->id, "subscribing")));
        auto active = sample(feed->id, "active");
        active.last_error = "";
        ASSERT_TRUE(store->save_subscription(active));  // same feed: replaced, not added
        ASSERT_TRUE(store->save_subscription(sample(feed->id + 1, "denied")));
    }
    auto reader = Store::open(dir.path(), Mode::read_only);
    ASSERT_TRUE(reader) << reader.error().message;
    auto all = reader->subscriptions();
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 2u);
    const auto& s = (*all)[0];
    EXPECT_EQ(s.state, "active");
    EXPECT_EQ(s.secret, "secret-" + std::to_string(s.feed_id));
    EXPECT_EQ(s.lease_seconds, 600);
    ASSERT_TRUE(s.expires_at);
    EXPECT_EQ(s.expires_at->time_since_epoch().count(), 1'800'000'600);
    EXPECT_EQ((*all)[1].state, "denied");
    auto one = reader->subscription(s.feed_id);
    ASSERT_TRUE(one && *one);
    EXPECT_EQ((**one).callback_id, s.callback_id);
    auto none = reader->subscription(999);
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
}

TEST(Subscriptions, DeleteForgetsOneFeed) {
    StateDir dir;
    auto store = Store::open(dir.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save_subscription(sample(1, "active")));
    ASSERT_TRUE(store->save_subscription(sample(2, "active")));
    ASSERT_TRUE(store->delete_subscription(1));
    auto all = store->subscriptions();
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ((*all)[0].feed_id, 2);
}

TEST(Subscriptions, CallbackIdsAreUnique) {
    StateDir dir;
    auto store = Store::open(dir.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save_subscription(sample(1, "active")));
    auto clash = sample(2, "active");
    clash.callback_id = "cb1";
    EXPECT_FALSE(store->save_subscription(clash));
}

}  // namespace
}  // namespace ww::store
