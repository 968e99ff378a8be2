#include "store/store.h"

#include "store/migrations.h"

#include <sqlite3.h>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <stdexcept>

namespace ww::store {
namespace {

namespace fs = std::filesystem;

SysSeconds at(int minutes) { return SysSeconds{std::chrono::minutes{minutes}}; }

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "ww-store-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() { fs::remove_all(path_); }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

mode_t mode_of(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) throw std::runtime_error("stat failed: " + p.string());
    return st.st_mode & 07777;
}

// The state holds WebSub secrets (issue 16, item 19): private whatever the umask, outside
// systemd too. SQLite gives -wal and -shm the database's mode.
TEST(StoreModes, FreshStateIsPrivateUnderAUmaskOf022) {
    TempDir tmp;
    const auto dir = tmp.path() / "nested" / "state";
    const mode_t before = ::umask(022);
    auto store = Store::open(dir);
    ::umask(before);
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE(store->ensure_feed("https://example.org/feed"));  // a write: -wal and -shm exist
    EXPECT_EQ(mode_of(dir), 0700u);
    EXPECT_EQ(mode_of(dir / "wirewatch.db"), 0600u);
    EXPECT_EQ(mode_of(dir / "wirewatch.db-wal"), 0600u);
    EXPECT_EQ(mode_of(dir / "wirewatch.db-shm"), 0600u);
}

PendingAlert pending(const std::string& watchlist, const std::string& key) {
    return {watchlist, "alert." + watchlist, watchlist + "/" + key,
            [watchlist, key](std::int64_t seq) {
                return "{\"seq\":" + std::to_string(seq) + ",\"w\":\"" + watchlist + "\",\"k\":\"" +
                       key + "\"}";
            }};
}

ItemRecord item(const std::string& key, std::vector<std::string> watchlists = {"wl"},
                std::optional<SysSeconds> published = std::nullopt) {
    ItemRecord r{key, "hash-" + key, published, {}};
    for (const auto& w : watchlists) r.alerts.push_back(pending(w, key));
    return r;
}

class StoreTest : public ::testing::Test {
protected:
    Store open_rw() {
        auto s = Store::open(dir_.path());
        if (!s) throw std::runtime_error(s.error().message);
        return std::move(*s);
    }
    TempDir dir_;
};

std::vector<std::int64_t> seqs(const std::vector<RecordedAlert>& alerts) {
    std::vector<std::int64_t> out;
    for (const auto& a : alerts) out.push_back(a.seq);
    return out;
}

TEST_F(StoreTest, OpensInWalModeAndEnsureFeedIsIdempotent) {
    auto store = open_rw();
    auto a = store.ensure_feed("http://x/a.rss");
    auto again = store.ensure_feed("http://x/a.rss");
    auto b = store.ensure_feed("http://x/b.rss");
    ASSERT_TRUE(a && again && b);
    EXPECT_EQ(a->id, again->id);
    EXPECT_NE(a->id, b->id);
    EXPECT_EQ(a->url, "http://x/a.rss");
    EXPECT_FALSE(a->initialised);
    EXPECT_TRUE(fs::exists(store.path().string() + "-wal"));
    EXPECT_EQ(store.feeds()->size(), 2u);
}

TEST_F(StoreTest, FirstFetchCatchesUpWithoutAlertingThenNewItemsAlert) {
    auto store = open_rw();
    const auto feed = *store.ensure_feed("http://x/a.rss");
    auto first = store.record({feed.id, {item("1"), item("2")}, 0, at(1)});
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_TRUE(first->first_fetch);
    EXPECT_EQ(first->new_items, 2u);
    EXPECT_TRUE(first->alerts.empty());

    auto second = store.record({feed.id, {item("3", {"wl", "other"}), item("2"), item("1")}, 0, at(2)});
    ASSERT_TRUE(second);
    EXPECT_FALSE(second->first_fetch);
    EXPECT_EQ(second->new_items, 1u);
    ASSERT_EQ(seqs(second->alerts), (std::vector<std::int64_t>{1, 2}));
    EXPECT_EQ(second->alerts[0].topic, "alert.wl");
    EXPECT_EQ(second->alerts[1].topic, "alert.other");
    // render() saw the seq the store assigned
    EXPECT_EQ(second->alerts[1].envelope, R"({"seq":2,"w":"other","k":"3"})");
    EXPECT_EQ(*store.last_seq(), 2);
    EXPECT_TRUE(store.ensure_feed("http://x/a.rss")->initialised);
    EXPECT_EQ(store.ensure_feed("http://x/a.rss")->items_seen, 3);
}

TEST_F(StoreTest, EmptyFirstFetchStillCountsAsCatchUp) {
    auto store = open_rw();
    const auto feed = *store.ensure_feed("http://x/a.rss");
    ASSERT_TRUE(store.record({feed.id, {}, 0, at(1)}));
    auto next = store.record({feed.id, {item("1")}, 0, at(2)});
    ASSERT_TRUE(next);
    EXPECT_EQ(next->alerts.size(), 1u);
}

TEST_F(StoreTest, BackfillAlertsTheNewestItemsOfTheFirstFetch) {
    auto store = open_rw();
    const auto feed = *store.ensure_feed("http://x/a.rss");
    auto first = store.record(
        {feed.id, {item("old", {"wl"}, at(1)), item("new", {"wl"}, at(9)), item("mid", {"wl"}, at(5))},
         2, at(10)});
    ASSERT_TRUE(first);
    ASSERT_EQ(first->alerts.size(), 2u);
    EXPECT_NE(first->alerts[0].envelope.find("\"k\":\"new\""), std::string::npos);
    EXPECT_NE(first->alerts[1].envelope.find("\"k\":\"mid\""), std::string::npos);
}

TEST_F(StoreTest, SeqIsGaplessAcrossFeedsAndReopens) {
    {
        auto store = open_rw();
        for (const char* url : {"http://x/a", "http://x/b"}) {
            const auto feed = *store.ensure_feed(url);
            ASSERT_TRUE(store.record({feed.id, {}, 0, at(1)}));
            ASSERT_TRUE(store.record({feed.id, {item(std::string(url) + "1")}, 0, at(2)}));
        }
    }
    auto store = open_rw();
    EXPECT_EQ(*store.last_seq(), 2);
    const auto feed = *store.ensure_feed("http://x/a");
    // Already seen before the reopen: never alerted again.
    auto again = store.record({feed.id, {item("http://x/a1"), item("fresh")}, 0, at(3)});
    ASSERT_TRUE(again);
    EXPECT_EQ(seqs(again->alerts), (std::vector<std::int64_t>{3}));
    EXPECT_EQ(seqs(*store.alerts_after(0, "", 100)), (std::vector<std::int64_t>{1, 2, 3}));
}

TEST_F(StoreTest, AFailedRecordLeavesNothingBehind) {
    auto store = open_rw();
    const auto feed = *store.ensure_feed("http://x/a");
    ASSERT_TRUE(store.record({feed.id, {}, 0, at(1)}));
    ItemRecord bad = item("boom");
    bad.alerts.push_back({"wl2", "alert.wl2", "id-boom-2",
                          [](std::int64_t) -> std::string { throw std::runtime_error("render"); }});
    EXPECT_THROW((void)store.record({feed.id, {item("ok"), bad}, 0, at(2)}), std::runtime_error);
    EXPECT_EQ(*store.last_seq(), 0);
    // Neither item was marked seen: both alert on the next fetch.
    auto retry = store.record({feed.id, {item("ok"), item("boom")}, 0, at(3)});
    ASSERT_TRUE(retry);
    EXPECT_EQ(seqs(retry->alerts), (std::vector<std::int64_t>{1, 2}));
}

TEST_F(StoreTest, AnAlertIdIsRecordedOnceEvenFromAnotherItem) {
    auto store = open_rw();
    const auto feed = *store.ensure_feed("http://x/a");
    ASSERT_TRUE(store.record({feed.id, {}, 0, at(1)}));
    ItemRecord twin = item("twin");
    twin.alerts[0].alert_id = "wl/original";
    auto r = store.record({feed.id, {item("original"), twin, item("after")}, 0, at(2)});
    ASSERT_TRUE(r);
    EXPECT_EQ(seqs(r->alerts), (std::vector<std::int64_t>{1, 2}));  // no gap for the skipped twin
    EXPECT_EQ(r->new_items, 3u);
}

TEST_F(StoreTest, RecordOfAnUnknownFeedFails) {
    auto store = open_rw();
    auto r = store.record({4242, {item("1")}, 0, at(1)});
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("store: record: no feed with id 4242"), std::string::npos);
}

TEST_F(StoreTest, SaveFeedStateRoundTripsButNeverUndoesTheCatchUp) {
    auto store = open_rw();
    auto stale = *store.ensure_feed("http://x/a");
    ASSERT_TRUE(store.record({stale.id, {item("1")}, 0, at(1)}));
    stale.url = "http://x/moved";
    stale.etag = "\"abc\"";
    stale.last_modified = "Fri, 27 Nov 2026 14:05:00 GMT";
    stale.next_check_at = at(30);
    stale.last_success_at = at(1);
    stale.error_streak = 3;
    stale.last_error = "fetch: timeout";
    stale.last_error_kind = "timeout";
    stale.status = "error";
    stale.learned_interval_s = 900;
    ASSERT_TRUE(store.save_feed_state(stale));
    const auto back = *store.ensure_feed("http://x/a");
    EXPECT_EQ(back.url, "http://x/moved");
    EXPECT_EQ(back.etag, "\"abc\"");
    EXPECT_EQ(back.last_modified, stale.last_modified);
    EXPECT_EQ(back.next_check_at, at(30));
    EXPECT_EQ(back.last_success_at, at(1));
    EXPECT_FALSE(back.last_attempt_at.has_value());
    EXPECT_EQ(back.error_streak, 3);
    EXPECT_EQ(back.last_error_kind, "timeout");
    EXPECT_EQ(back.status, "error");
    EXPECT_EQ(back.learned_interval_s, 900);
    EXPECT_TRUE(back.initialised);  // the stale copy said false
    EXPECT_EQ(back.items_seen, 1);
    stale.id = 999;
    EXPECT_FALSE(store.save_feed_state(stale));
}

TEST_F(StoreTest, AlertsAfterFiltersByPrefixAndLimit) {
    auto store = open_rw();
    const auto feed = *store.ensure_feed("http://x/a");
    ASSERT_TRUE(store.record({feed.id, {}, 0, at(1)}));
    ASSERT_TRUE(store.record(
        {feed.id, {item("1", {"china-x", "tariffs"}), item("2", {"china-y"}), item("3", {"tariffs"})}, 0, at(2)}));
    EXPECT_EQ(seqs(*store.alerts_after(0, "alert.china-", 100)), (std::vector<std::int64_t>{1, 3}));
    EXPECT_EQ(seqs(*store.alerts_after(1, "alert.", 2)), (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(seqs(*store.alerts_after(0, "alert.tariffs", 100)), (std::vector<std::int64_t>{2, 4}));
    EXPECT_TRUE(store.alerts_after(4, "", 100)->empty());
    // '_' and '%' are literal, not LIKE wildcards
    EXPECT_TRUE(store.alerts_after(0, "alert._", 100)->empty());
}

TEST_F(StoreTest, RecentAlertsAreTheNewestOfATopicOrKindNewestFirst) {
    auto store = open_rw();
    const auto feed = *store.ensure_feed("http://x/a");
    ASSERT_TRUE(store.record({feed.id, {}, 0, at(1)}));
    ItemRecord digest{"d", "hash-d", std::nullopt, {pending("wl", "d")}};
    digest.alerts[0].topic = "digest.wl";
    ItemRecord event{"e", "hash-e", std::nullopt, {pending("wl", "e")}};
    event.alerts[0].topic = "story.wl";
    // seqs: 1 alert.wl, 2 alert.wlx, 3 digest.wl, 4 story.wl, 5 alert.wl
    ASSERT_TRUE(store.record({feed.id, {item("1", {"wl", "wlx"}), digest, event, item("5")}, 0, at(2)}));
    using By = Store::RecentFilter::By;
    EXPECT_EQ(seqs(*store.recent_alerts({By::all, ""}, 3)), (std::vector<std::int64_t>{5, 4, 3}));
    EXPECT_EQ(seqs(*store.recent_alerts({By::topic, "alert.wl"}, 10)), (std::vector<std::int64_t>{5, 1}));
    EXPECT_EQ(seqs(*store.recent_alerts({By::topic, "alert.wl"}, 1)), (std::vector<std::int64_t>{5}));
    EXPECT_EQ(seqs(*store.recent_alerts({By::kind, "alert."}, 10)), (std::vector<std::int64_t>{5, 2, 1}));
    EXPECT_EQ(seqs(*store.recent_alerts({By::kind, "digest."}, 10)), (std::vector<std::int64_t>{3}));
    EXPECT_TRUE(store.recent_alerts({By::topic, "alert.w"}, 10)->empty());  // exact, not a prefix
}

// The feeds of alerts run these reads on the event loop: each must walk an index from its end
// (no scan of the log, no sort of it). The statements are the store's, word for word.
TEST_F(StoreTest, RecentAlertsReadAnIndexBackwards) {
    (void)open_rw();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_.path() / Store::kFileName).c_str(), &db), SQLITE_OK);
    auto plan = [&](const std::string& where) {
        const std::string sql = "EXPLAIN QUERY PLAN SELECT seq, topic, envelope FROM alerts " + where +
                                "ORDER BY seq DESC LIMIT 50";
        std::string out;
        sqlite3_exec(db, sql.c_str(), [](void* o, int n, char** v, char**) {
            *static_cast<std::string*>(o) += std::string(v[n - 1]) + ";";
            return 0;
        }, &out, nullptr);
        return out;
    };
    const auto by_topic = plan("WHERE topic = 'alert.wl' ");
    const auto by_kind = plan("WHERE substr(topic, 1, instr(topic, '.')) = 'alert.' ");
    sqlite3_close(db);
    EXPECT_NE(by_topic.find("INDEX alerts_topic_seq"), std::string::npos) << by_topic;
    EXPECT_NE(by_kind.find("INDEX alerts_kind_seq"), std::string::npos) << by_kind;
    EXPECT_EQ((by_topic + by_kind).find("TEMP B-TREE"), std::string::npos) << by_topic << by_kind;
}

TEST_F(StoreTest, PruningNeverLetsASeqBeReused) {
    auto store = open_rw();
    const auto feed = *store.ensure_feed("http://x/a");
    ASSERT_TRUE(store.record({feed.id, {}, 0, at(1)}));
    ASSERT_TRUE(store.record({feed.id, {item("1"), item("2")}, 0, at(10)}));
    ASSERT_TRUE(store.record({feed.id, {item("3")}, 0, at(20)}));
    EXPECT_EQ(*store.earliest_seq(), 1);
    EXPECT_EQ(*store.prune_alerts(at(15)), 3);
    EXPECT_EQ(seqs(*store.alerts_after(0, "", 10)), (std::vector<std::int64_t>{3}));
    EXPECT_EQ(*store.prune_alerts(at(100)), 4);  // nothing kept: last_seq + 1
    auto next = store.record({feed.id, {item("4")}, 0, at(101)});
    EXPECT_EQ(seqs(next->alerts), (std::vector<std::int64_t>{4}));
}

TEST_F(StoreTest, PruneSeenForgetsOnlyItemsThatLeftTheFeed) {
    auto store = open_rw();
    const auto a = *store.ensure_feed("http://x/a");
    const auto b = *store.ensure_feed("http://x/b");
    ASSERT_TRUE(store.record({a.id, {item("1"), item("2"), item("3")}, 0, at(1)}));
    ASSERT_TRUE(store.record({b.id, {item("x"), item("y")}, 0, at(1)}));  // never fetched again
    ASSERT_TRUE(store.record({a.id, {item("2"), item("3"), item("4")}, 0, at(2)}));
    ASSERT_TRUE(store.record({a.id, {item("3"), item("4")}, 0, at(3)}));
    // 1 and 2 left feed a before the cutoff; 3 and 4 are in its latest fetch; b's items are
    // old but still in b's latest fetch.
    EXPECT_EQ(*store.prune_seen(at(3)), 2u);
    EXPECT_EQ(*store.prune_seen(at(3)), 0u);
    auto again = store.record({a.id, {item("1"), item("3")}, 0, at(4)});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->new_items, 1u);  // 1 was forgotten, 3 was not
    auto b_again = store.record({b.id, {item("x"), item("y")}, 0, at(100)});
    EXPECT_EQ(b_again->new_items, 0u);
}

TEST_F(StoreTest, UpgradesAVersion1DatabaseInPlace) {
    {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open((dir_.path() / Store::kFileName).c_str(), &db), SQLITE_OK);
        const std::string v1(migrations()[0]);
        ASSERT_EQ(sqlite3_exec(db, v1.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(db,
                               "CREATE TABLE schema_version (version INTEGER NOT NULL);"
                               "INSERT INTO schema_version VALUES (1);"
                               "INSERT INTO feeds (config_url, url, initialised) VALUES ('u', 'u', 1);"
                               "INSERT INTO seen_items (feed_id, item_key, first_seen) VALUES (1, 'old', 60);"
                               "INSERT INTO seen_items (feed_id, item_key, first_seen) VALUES (1, 'new', 600);",
                               nullptr, nullptr, nullptr),
                  SQLITE_OK);
        sqlite3_close(db);
    }
    auto store = open_rw();
    // last_seen starts at first_seen: "old" is older than the cutoff and not the newest.
    EXPECT_EQ(*store.prune_seen(at(5)), 1u);
    auto r = store.record({1, {item("old"), item("new")}, 0, at(20)});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->new_items, 1u);
    EXPECT_EQ(r->alerts.size(), 1u);
}

TEST_F(StoreTest, AnAlertPageIsOneSnapshot) {
    auto writer = open_rw();
    const auto feed = *writer.ensure_feed("http://x/a");
    ASSERT_TRUE(writer.record({feed.id, {}, 0, at(1)}));
    ASSERT_TRUE(writer.record({feed.id, {item("1"), item("2")}, 0, at(2)}));
    auto reader = *Store::open(dir_.path(), Mode::read_only);
    auto page = reader.alert_page(0, "", 1);
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->earliest_seq, 1);
    EXPECT_EQ(page->last_seq, 2);
    EXPECT_EQ(seqs(page->alerts), (std::vector<std::int64_t>{1}));
    // The read transaction ended: the writer goes on, and the next page sees its work.
    ASSERT_TRUE(writer.record({feed.id, {item("3")}, 0, at(3)}));
    EXPECT_EQ(*writer.prune_alerts(at(3)), 3);
    page = reader.alert_page(0, "", 10);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->earliest_seq, 3);
    EXPECT_EQ(page->last_seq, 3);
    EXPECT_EQ(seqs(page->alerts), (std::vector<std::int64_t>{3}));
}

TEST_F(StoreTest, SinkCursorsRoundTrip) {
    auto store = open_rw();
    EXPECT_FALSE(store.sink_cursor("telegram")->has_value());
    ASSERT_TRUE(store.set_sink_cursor("telegram", 7, at(1)));
    ASSERT_TRUE(store.set_sink_cursor("telegram", 9, at(2)));
    const auto c = *store.sink_cursor("telegram");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->last_seq, 9);
    EXPECT_EQ(c->updated_at, at(2));
}

TEST_F(StoreTest, ReadOnlyReadsWhileTheWriterWritesAndNeverWrites) {
    auto writer = open_rw();
    const auto feed = *writer.ensure_feed("http://x/a");
    ASSERT_TRUE(writer.record({feed.id, {}, 0, at(1)}));
    auto reader = Store::open(dir_.path(), Mode::read_only);
    ASSERT_TRUE(reader) << reader.error().message;
    EXPECT_EQ(*reader->last_seq(), 0);
    ASSERT_TRUE(writer.record({feed.id, {item("1")}, 0, at(2)}));
    EXPECT_EQ(*reader->last_seq(), 1);
    EXPECT_EQ(reader->alerts_after(0, "", 10)->size(), 1u);
    EXPECT_EQ(reader->feeds()->size(), 1u);
    EXPECT_FALSE(reader->ensure_feed("http://x/new"));
    EXPECT_FALSE(reader->record({feed.id, {item("2")}, 0, at(3)}));
    // The reader's open transaction-free reads do not block the writer.
    ASSERT_TRUE(writer.record({feed.id, {item("2")}, 0, at(3)}));
    EXPECT_EQ(*reader->last_seq(), 2);
}

TEST_F(StoreTest, ReadOnlyOpensAfterTheWriterClosed) {
    {
        auto writer = open_rw();
        const auto feed = *writer.ensure_feed("http://x/a");
        ASSERT_TRUE(writer.record({feed.id, {}, 0, at(1)}));
        ASSERT_TRUE(writer.record({feed.id, {item("1")}, 0, at(2)}));
    }
    // The last connection checkpointed and removed the -wal and -shm files.
    EXPECT_FALSE(fs::exists(dir_.path() / "wirewatch.db-wal"));
    auto reader = Store::open(dir_.path(), Mode::read_only);
    ASSERT_TRUE(reader) << reader.error().message;
    EXPECT_EQ(*reader->last_seq(), 1);
    EXPECT_EQ(reader->alerts_after(0, "", 10)->size(), 1u);
}

TEST_F(StoreTest, ReadOnlyOfAMissingDatabaseFailsNamingIt) {
    auto r = Store::open(dir_.path() / "nowhere", Mode::read_only);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("store: no state database at"), std::string::npos);
    EXPECT_FALSE(fs::exists(dir_.path() / "nowhere"));
}

TEST_F(StoreTest, RefusesASchemaNewerThanItKnows) {
    { auto store = open_rw(); }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_.path() / Store::kFileName).c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE schema_version SET version = 99", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    auto rw = Store::open(dir_.path());
    ASSERT_FALSE(rw);
    EXPECT_NE(rw.error().message.find("schema version 99"), std::string::npos);
    EXPECT_FALSE(Store::open(dir_.path(), Mode::read_only));
}

TEST_F(StoreTest, SinkFailuresAreRecordedPerSinkAndSeq) {
    auto store = open_rw();
    ASSERT_TRUE(store.record_sink_failure("slack", 4, "slack: HTTP 400 invalid_blocks", at(1)));
    ASSERT_TRUE(store.record_sink_failure("slack", 9, "slack: HTTP 403", at(2)));
    ASSERT_TRUE(store.record_sink_failure("matrix", 4, "matrix: M_FORBIDDEN", at(3)));
    ASSERT_TRUE(store.record_sink_failure("slack", 4, "slack: HTTP 400 again", at(4)));  // a retry of the same alert
    const auto slack = *store.sink_failures("slack");
    ASSERT_EQ(slack.size(), 2u);
    EXPECT_EQ(slack[0].seq, 4);
    EXPECT_EQ(slack[0].message, "slack: HTTP 400 again");
    EXPECT_EQ(slack[0].failed_at, at(4));
    EXPECT_EQ(slack[1].seq, 9);
    EXPECT_EQ(store.sink_failures("matrix")->size(), 1u);
    EXPECT_TRUE(store.sink_failures("ntfy")->empty());
}

TEST_F(StoreTest, FeedStatesSaveInOneBatchWithTheirLastArrival) {
    auto store = open_rw();
    auto a = *store.ensure_feed("http://x/a.rss");
    auto b = *store.ensure_feed("http://x/b.rss");
    a.status = "ok";
    a.last_arrival_at = at(5);
    b.status = "error";
    b.error_streak = 2;
    ASSERT_TRUE(store.save_feed_states(std::vector<FeedState>{a, b}));
    const auto again_a = *store.ensure_feed("http://x/a.rss");
    const auto again_b = *store.ensure_feed("http://x/b.rss");
    EXPECT_EQ(again_a.last_arrival_at, at(5));
    EXPECT_EQ(again_a.status, "ok");
    EXPECT_EQ(again_b.error_streak, 2);
    EXPECT_FALSE(again_b.last_arrival_at.has_value());

    FeedState unknown = a;
    unknown.id = 9999;  // one bad row rolls the whole batch back
    a.status = "gone";
    EXPECT_FALSE(store.save_feed_states(std::vector<FeedState>{a, unknown}));
    EXPECT_EQ(store.ensure_feed("http://x/a.rss")->status, "ok");
}

TEST_F(StoreTest, AReKeyedItemWithTheSameTextIsNotNew) {
    auto store = open_rw();
    const auto feed = *store.ensure_feed("http://x/a.rss");
    ASSERT_TRUE(store.record({feed.id, {item("guid:1")}, 0, at(1)}));
    // The publisher changed its guids (or the feed degraded to link identity): same text.
    ItemRecord rekeyed = item("link:http://x/1");
    rekeyed.content_hash = "hash-guid:1";
    auto second = store.record({feed.id, {rekeyed, item("guid:2")}, 0, at(2)});
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second->new_items, 1u);
    ASSERT_EQ(second->alerts.size(), 1u);
    EXPECT_NE(second->alerts[0].envelope.find("guid:2"), std::string::npos);
    // And the new key is remembered: it never comes back as new either.
    auto third = store.record({feed.id, {rekeyed}, 0, at(3)});
    ASSERT_TRUE(third);
    EXPECT_EQ(third->new_items, 0u);
}

TEST_F(StoreTest, EnsureFeedsCreatesAllInOneGoAndFindsThemAgain) {
    auto store = open_rw();
    const auto known = *store.ensure_feed("http://x/b.rss");
    const std::vector<std::string> urls{"http://x/a.rss", "http://x/b.rss", "http://x/c.rss"};
    auto states = store.ensure_feeds(urls);
    ASSERT_TRUE(states) << states.error().message;
    ASSERT_EQ(states->size(), 3u);
    EXPECT_EQ((*states)[1].id, known.id);  // an existing row is found, not duplicated
    EXPECT_EQ((*states)[2].config_url, "http://x/c.rss");
    auto again = store.ensure_feeds(urls);
    ASSERT_TRUE(again);
    for (std::size_t i = 0; i < urls.size(); ++i) EXPECT_EQ((*again)[i].id, (*states)[i].id);
    EXPECT_EQ(store.feeds()->size(), 3u);
}

TEST_F(StoreTest, AnUnmatchedRecordIsACatchUpOnlyAndRefusedOnceTheFeedWasRecorded) {
    auto store = open_rw();
    const auto feed = *store.ensure_feed("http://x/a.rss");
    RecordRequest unmatched{feed.id, {item("1", {}), item("2", {})}, 0, at(1)};
    unmatched.matched = false;
    auto first = store.record(unmatched);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_TRUE(first->first_fetch);
    EXPECT_EQ(first->new_items, 2u);
    // A second body of the same feed that skipped matching (it expected a catch-up too) would
    // lose the alerts of its new items: refused, nothing recorded.
    RecordRequest late{feed.id, {item("3", {})}, 0, at(2)};
    late.matched = false;
    auto refused = store.record(late);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, "store_stale");
    auto matched = store.record({feed.id, {item("3")}, 0, at(3)});
    ASSERT_TRUE(matched);
    EXPECT_EQ(matched->alerts.size(), 1u);  // item 3 is still new
}

TEST_F(StoreTest, CommitsWithoutAlertsAndWithAlertsInterleaveAndSurviveAReopen) {
    {
        auto store = open_rw();
        const auto a = *store.ensure_feed("http://x/a.rss");
        const auto b = *store.ensure_feed("http://x/b.rss");
        ASSERT_TRUE(store.record({a.id, {item("1")}, 0, at(1)}));   // catch-up: no alert
        ASSERT_TRUE(store.record({b.id, {item("1", {})}, 0, at(1)}));
        ASSERT_TRUE(store.save_feed_states(std::vector<FeedState>{a, b}));
        auto alerting = store.record({a.id, {item("2")}, 0, at(2)});
        ASSERT_TRUE(alerting);
        EXPECT_EQ(alerting->alerts.size(), 1u);
        ASSERT_TRUE(store.record({b.id, {item("2", {})}, 0, at(2)}));  // new, nothing to alert
    }
    auto store = open_rw();
    EXPECT_EQ(*store.last_seq(), 1);
    EXPECT_EQ(store.ensure_feed("http://x/b.rss")->items_seen, 2);
    auto again = store.record({store.ensure_feed("http://x/a.rss")->id, {item("3")}, 0, at(3)});
    ASSERT_TRUE(again);
    ASSERT_EQ(seqs(again->alerts), (std::vector<std::int64_t>{2}));
}

}  // namespace
}  // namespace ww::store
