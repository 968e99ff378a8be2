#include "store/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <system_error>

#include "store/backfill.h"
#include "store/migrations.h"
#include "store/sqlite.h"

namespace ww::store {

namespace {

std::optional<std::int64_t> to_unix(const std::optional<SysSeconds>& t) {
    if (!t) return std::nullopt;
    return t->time_since_epoch().count();
}

std::optional<SysSeconds> from_unix(std::optional<std::int64_t> v) {
    if (!v) return std::nullopt;
    return SysSeconds{std::chrono::seconds{*v}};
}

template <class T>
std::unexpected<Error> propagate(const Result<T>& r) {
    return std::unexpected(r.error());
}

constexpr std::string_view kFeedColumns =
    "id, config_url, url, etag, last_modified, next_check_at, last_success_at, last_attempt_at, "
    "error_streak, last_error, last_error_kind, status, learned_interval_s, initialised, "
    "items_seen, last_arrival_at";

FeedState read_feed(const sql::Statement& s) {
    FeedState f;
    f.id = s.column_int(0);
    f.config_url = s.column_text(1);
    f.url = s.column_text(2);
    f.etag = s.column_text(3);
    f.last_modified = s.column_text(4);
    f.next_check_at = from_unix(s.column_optional_int(5));
    f.last_success_at = from_unix(s.column_optional_int(6));
    f.last_attempt_at = from_unix(s.column_optional_int(7));
    f.error_streak = int(s.column_int(8));
    f.last_error = s.column_text(9);
    f.last_error_kind = s.column_text(10);
    f.status = s.column_text(11);
    f.learned_interval_s = s.column_int(12);
    f.initialised = s.column_int(13) != 0;
    f.items_seen = s.column_int(14);
    f.last_arrival_at = from_unix(s.column_optional_int(15));
    return f;
}

Result<int> schema_version(sql::Database& db) {
    auto exists = db.prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
    if (!exists) return propagate(exists);
    if (auto row = exists->step(); !row) return propagate(row);
    if (exists->column_int(0) == 0) return 0;
    auto version = db.prepare("SELECT version FROM schema_version");
    if (!version) return propagate(version);
    auto row = version->step();
    if (!row) return propagate(row);
    return *row ? int(version->column_int(0)) : 0;
}

Result<void> migrate(sql::Database& db, const std::filesystem::path& file) {
    if (auto r = db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        !r)
        return r;
    const auto all = migrations();
    for (;;) {
        // Each step in its own transaction, re-reading the version inside it: two processes
        // opening a fresh database at once must not both run a migration.
        auto tx = sql::Transaction::begin(db);
        if (!tx) return propagate(tx);
        auto version = schema_version(db);
        if (!version) return propagate(version);
        if (*version > int(all.size()))
            return fail("store", "store: " + file.string() + " has schema version " +
                                     std::to_string(*version) + ", newer than this binary (" +
                                     std::to_string(all.size()) + ")");
        if (*version == int(all.size())) return tx->commit();
        if (auto r = db.exec(all[std::size_t(*version)]); !r) {
            return fail("store", "store: migration " + std::to_string(*version + 1) + " of " +
                                     file.string() + " failed: " + r.error().message);
        }
        auto set = db.exec("DELETE FROM schema_version; INSERT INTO schema_version VALUES (" +
                           std::to_string(*version + 1) + ")");
        if (!set) return set;
        if (auto r = tx->commit(); !r) return r;
    }
}

}  // namespace

struct Store::Impl {
    // Declared first so that it is destroyed last, after the statements that use it.
    sql::Database db;
    std::filesystem::path file;
    Mode mode = Mode::read_write;
    bool synchronous_full = true;
    sql::Statement feed_initialised, insert_seen, touch_seen, insert_alert, read_last_seq, write_last_seq,
        mark_initialised, select_after, same_text_seen, stored_hash, insert_source, insert_kept, update_kept,
        kept_title, memberships;

    // Prepared once, on first use: read_only stores never prepare the writing statements.
    Result<sql::Statement*> cached(sql::Statement& slot, std::string_view text) {
        if (!slot.valid()) {
            auto s = db.prepare(text);
            if (!s) return propagate(s);
            slot = std::move(*s);
        }
        return &slot;
    }

    // The steps of record(), each inside its transaction.
    Result<bool> first_fetch(std::int64_t feed_id);
    Result<std::int64_t> stored_last_seq();
    enum class Seen { fresh, known, edited };
    Result<Seen> mark_seen(std::int64_t feed_id, const ItemRecord& item, std::int64_t now);
    Result<std::vector<StoryMembership>> stories_of(std::int64_t feed_id, std::string_view item_key);
    Result<std::string> kept_title_of(std::int64_t feed_id, std::string_view item_key);
    Result<void> keep(std::int64_t feed_id, const ItemRecord& item, std::int64_t now, bool fresh);
    Result<void> add_source(std::int64_t seq, const StorySource& source, std::int64_t feed_id,
                            std::string_view item_key, std::int64_t now);
    Result<std::vector<PendingAlert>> decide_events(const RecordRequest& request, std::size_t index, bool fresh);
    Result<void> write_events(std::span<const PendingAlert> events, std::int64_t feed_id,
                              std::string_view item_key, std::int64_t now, std::int64_t& seq,
                              RecordResult& result);
    bool seen_under_another_key(std::int64_t feed_id, const ItemRecord& item);
    Result<bool> add_alert(std::int64_t seq, const PendingAlert& pending, std::int64_t feed_id,
                           std::string_view item_key, std::int64_t now, std::string_view envelope);
    Result<void> finish_record(std::int64_t feed_id, std::int64_t seq, std::size_t new_items);

    // For a transaction that can hold no alert, made before it begins (SQLite refuses to change
    // the level inside one): its commit skips the fsync that FULL makes. WAL replays commits in
    // order, so a power loss can only roll back a suffix of such transactions (seen-marks and
    // feed states that the next poll writes again, never a published alert): the next commit
    // that carries an alert syncs the WAL, and with it every frame before it. A cold sweep of
    // 1,000 feeds otherwise waits for 2,000 fsyncs.
    class NoSyncScope {
    public:
        NoSyncScope(sql::Database& db, bool active) : db_(active ? &db : nullptr) {
            if (db_ && !db_->exec("PRAGMA synchronous = NORMAL")) db_ = nullptr;
        }
        ~NoSyncScope() {
            if (db_) (void)db_->exec("PRAGMA synchronous = FULL");
        }
        NoSyncScope(const NoSyncScope&) = delete;
        NoSyncScope& operator=(const NoSyncScope&) = delete;

    private:
        sql::Database* db_;
    };

    Error with_file(Error e) const {
        e.message += " (" + file.string() + ")";
        return e;
    }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

namespace {

// The state holds WebSub secrets and every alert: a state directory we create is 0700 and a
// database we create is 0600, whatever the umask and with or without systemd's
// StateDirectory=. SQLite gives -wal and -shm the database file's mode. Existing files keep
// the mode their owner gave them.
Result<void> prepare_private_state(const std::filesystem::path& dir, const std::filesystem::path& file) {
    std::error_code ec;
    if (dir.has_parent_path()) std::filesystem::create_directories(dir.parent_path(), ec);
    if (::mkdir(dir.c_str(), 0700) == 0) {
        if (::chmod(dir.c_str(), 0700) != 0)
            return fail("store", "store: cannot make " + dir.string() + " private: " + std::generic_category().message(errno));
    } else if (errno != EEXIST) {
        return fail("store", "store: cannot create state directory " + dir.string() + ": " +
                                 std::generic_category().message(errno));
    }
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        const bool ok = ::fchmod(fd, 0600) == 0;
        ::close(fd);
        if (!ok) return fail("store", "store: cannot make " + file.string() + " private");
    }
    return {};  // EEXIST: an existing database; anything else, SQLite's open names it
}

}  // namespace

Result<Store> Store::open(const std::filesystem::path& state_dir, Mode mode) {
    return open(state_dir, mode, StoreOptions{});
}

Result<Store> Store::open(const std::filesystem::path& state_dir, Mode mode,
                          const StoreOptions& options) {
    const auto file = state_dir / kFileName;
    int flags = SQLITE_OPEN_NOMUTEX;
    if (mode == Mode::read_write) {
        if (auto ok = prepare_private_state(state_dir, file); !ok) return std::unexpected(ok.error());
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    } else {
        if (!std::filesystem::exists(file))
            return fail("store", "store: no state database at " + file.string() +
                                     " (has the daemon run with this state_dir?)");
        flags |= SQLITE_OPEN_READONLY;
    }
    auto db = sql::Database::open(file, flags);
    if (!db) return propagate(db);
    // Every failure from here on names the file: "database disk image is malformed" alone does
    // not tell an operator which file to restore.
    auto named = [&file](Error e) {
        e.message += " (" + file.string() + ")";
        return std::unexpected(std::move(e));
    };
    sqlite3_busy_timeout(db->get(), options.busy_timeout_ms);
    if (auto r = db->exec("PRAGMA cache_size = -" + std::to_string(options.cache_kib)); !r)
        return named(r.error());

    if (mode == Mode::read_write) {
        // WAL lets readers (`wirewatch feeds`, the replay server) run while the daemon writes.
        const std::string pragmas = std::string("PRAGMA journal_mode = WAL; PRAGMA synchronous = ") +
                                    (options.synchronous_full ? "FULL" : "NORMAL") +
                                    "; PRAGMA foreign_keys = ON;";
        if (auto r = db->exec(pragmas); !r) return named(r.error());
        if (auto r = migrate(*db, file); !r) return named(r.error());
    } else {
        auto version = schema_version(*db);
        if (!version) return named(version.error());
        if (*version == 0)
            return fail("store", "store: " + file.string() + " is not initialised yet");
        if (*version > int(migrations().size()))
            return fail("store", "store: " + file.string() + " has schema version " +
                                     std::to_string(*version) + ", newer than this binary");
    }
    auto impl = std::make_unique<Impl>();
    impl->db = std::move(*db);
    impl->file = file;
    impl->mode = mode;
    impl->synchronous_full = options.synchronous_full;
    return Store(std::move(impl));
}

std::filesystem::path Store::path() const { return impl_->file; }

Result<FeedState> Store::ensure_feed(std::string_view config_url) {
    auto insert = impl_->db.prepare(
        "INSERT INTO feeds (config_url, url) VALUES (?1, ?1) ON CONFLICT(config_url) DO NOTHING");
    if (!insert) return propagate(insert);
    insert->bind(1, config_url);
    if (auto r = insert->run(); !r) return std::unexpected(impl_->with_file(r.error()));
    auto select = impl_->db.prepare("SELECT " + std::string(kFeedColumns) +
                                    " FROM feeds WHERE config_url = ?1");
    if (!select) return propagate(select);
    select->bind(1, config_url);
    auto row = select->step();
    if (!row) return propagate(row);
    if (!*row) return fail("store", "store: feed " + std::string(config_url) + " vanished");
    return read_feed(*select);
}

Result<std::vector<FeedState>> Store::ensure_feeds(std::span<const std::string> config_urls) {
    auto tx = sql::Transaction::begin(impl_->db);
    if (!tx) return propagate(tx);
    std::vector<FeedState> out;
    out.reserve(config_urls.size());
    for (const auto& url : config_urls) {
        auto state = ensure_feed(url);
        if (!state) return propagate(state);
        out.push_back(std::move(*state));
    }
    if (auto r = tx->commit(); !r) return propagate(r);
    return out;
}

Result<std::vector<FeedState>> Store::feeds() {
    auto select =
        impl_->db.prepare("SELECT " + std::string(kFeedColumns) + " FROM feeds ORDER BY id");
    if (!select) return propagate(select);
    std::vector<FeedState> out;
    for (;;) {
        auto row = select->step();
        if (!row) return propagate(row);
        if (!*row) break;
        out.push_back(read_feed(*select));
    }
    return out;
}

Result<void> Store::save_feed_state(const FeedState& f) {
    auto update = impl_->db.prepare(
        "UPDATE feeds SET url = ?2, etag = ?3, last_modified = ?4, next_check_at = ?5, "
        "last_success_at = ?6, last_attempt_at = ?7, error_streak = ?8, last_error = ?9, "
        "last_error_kind = ?10, status = ?11, learned_interval_s = ?12, last_arrival_at = ?13 "
        "WHERE id = ?1");
    if (!update) return propagate(update);
    update->bind(1, f.id)
        .bind(2, f.url.empty() ? std::string_view(f.config_url) : std::string_view(f.url))
        .bind(3, f.etag)
        .bind(4, f.last_modified)
        .bind(5, to_unix(f.next_check_at))
        .bind(6, to_unix(f.last_success_at))
        .bind(7, to_unix(f.last_attempt_at))
        .bind(8, std::int64_t{f.error_streak})
        .bind(9, f.last_error)
        .bind(10, f.last_error_kind)
        .bind(11, f.status)
        .bind(12, f.learned_interval_s)
        .bind(13, to_unix(f.last_arrival_at));
    if (auto r = update->run(); !r) return r;
    if (impl_->db.changes() == 0)
        return fail("store", "store: save_feed_state: no feed with id " + std::to_string(f.id) +
                                 " (" + f.config_url + ")");
    return {};
}

Result<void> Store::save_feed_states(std::span<const FeedState> states) {
    const Impl::NoSyncScope no_sync(impl_->db, impl_->synchronous_full);  // destroyed after tx
    auto tx = sql::Transaction::begin(impl_->db);
    if (!tx) return propagate(tx);
    for (const auto& f : states)
        if (auto r = save_feed_state(f); !r) return r;
    return tx->commit();
}

namespace {

// Which items may alert: all new ones after the first fetch; on the first (the catch-up)
// only the newest `backfill`.
std::vector<bool> alerting_items(const RecordRequest& request, bool first_fetch) {
    if (!first_fetch) return std::vector<bool>(request.items.size(), true);
    std::vector<std::optional<SysSeconds>> published;
    published.reserve(request.items.size());
    for (const auto& item : request.items) published.push_back(item.published);
    return select_backfill(published, request.backfill);
}

}  // namespace

Result<bool> Store::Impl::first_fetch(std::int64_t feed_id) {
    auto s = cached(feed_initialised, "SELECT initialised FROM feeds WHERE id = ?1");
    if (!s) return propagate(s);
    (*s)->bind(1, feed_id);
    auto row = (*s)->step();
    if (!row) return propagate(row);
    if (!*row) {
        (*s)->reset();  // a cached statement left stepped could not be bound again
        return fail("store", "store: record: no feed with id " + std::to_string(feed_id));
    }
    const bool first = (*s)->column_int(0) == 0;
    (*s)->reset();
    return first;
}

Result<std::int64_t> Store::Impl::stored_last_seq() {
    auto s = cached(read_last_seq, "SELECT last_seq FROM sequence WHERE id = 1");
    if (!s) return propagate(s);
    auto row = (*s)->step();
    if (!row) return propagate(row);
    if (!*row) return fail("store", "store: the sequence row is missing in " + file.string());
    const std::int64_t seq = (*s)->column_int(0);
    (*s)->reset();
    return seq;
}

Result<Store::Impl::Seen> Store::Impl::mark_seen(std::int64_t feed_id, const ItemRecord& item, std::int64_t now) {
    auto insert = cached(insert_seen,
                         "INSERT INTO seen_items (feed_id, item_key, first_seen, content_hash, "
                         "last_seen) VALUES (?1, ?2, ?3, ?4, ?3) ON CONFLICT DO NOTHING");
    if (!insert) return propagate(insert);
    (*insert)->bind(1, feed_id).bind(2, item.key).bind(3, now).bind(4, item.content_hash);
    if (auto r = (*insert)->run(); !r) return std::unexpected(with_file(r.error()));
    if (db.changes() == 1) return seen_under_another_key(feed_id, item) ? Seen::known : Seen::fresh;
    // Seen before: it never alerts again, but it is still listed, so retention keeps it. A
    // changed text is an edit (docs/stories.md); a stored hash of "" predates hashes and is not.
    auto hash = cached(stored_hash, "SELECT content_hash FROM seen_items WHERE feed_id = ?1 AND item_key = ?2");
    if (!hash) return propagate(hash);
    (*hash)->bind(1, feed_id).bind(2, item.key);
    auto row = (*hash)->step();
    if (!row) return propagate(row);
    const std::string before = *row ? (*hash)->column_text(0) : std::string();
    (*hash)->reset();
    const bool edited = !before.empty() && !item.content_hash.empty() && before != item.content_hash;
    auto touch = cached(touch_seen,
                        "UPDATE seen_items SET last_seen = ?3, content_hash = CASE WHEN ?4 = '' "
                        "THEN content_hash ELSE ?4 END WHERE feed_id = ?1 AND item_key = ?2");
    if (!touch) return propagate(touch);
    (*touch)->bind(1, feed_id).bind(2, item.key).bind(3, now).bind(4, item.content_hash);
    if (auto r = (*touch)->run(); !r) return std::unexpected(with_file(r.error()));
    return edited ? Seen::edited : Seen::known;
}

namespace {

constexpr char kListSeparator = '\x1f';

std::string join_list(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty()) out.push_back(kListSeparator);
        out += s;
    }
    return out;
}

std::vector<std::string> split_list(std::string_view s) {
    std::vector<std::string> out;
    while (!s.empty()) {
        const auto end = s.find(kListSeparator);
        out.emplace_back(s.substr(0, end));
        if (end == std::string_view::npos) break;
        s.remove_prefix(end + 1);
    }
    return out;
}

}  // namespace

Result<std::vector<StoryMembership>> Store::Impl::stories_of(std::int64_t feed_id, std::string_view item_key) {
    auto s = cached(memberships,
                    "SELECT DISTINCT watchlist, story_id FROM story_sources WHERE feed_id = ?1 AND item_key = ?2");
    if (!s) return propagate(s);
    (*s)->bind(1, feed_id).bind(2, item_key);
    std::vector<StoryMembership> out;
    for (;;) {
        auto row = (*s)->step();
        if (!row) return propagate(row);
        if (!*row) break;
        out.push_back({(*s)->column_text(0), (*s)->column_text(1)});
    }
    (*s)->reset();
    return out;
}

Result<std::string> Store::Impl::kept_title_of(std::int64_t feed_id, std::string_view item_key) {
    auto s = cached(kept_title, "SELECT title FROM kept_items WHERE feed_id = ?1 AND item_key = ?2");
    if (!s) return propagate(s);
    (*s)->bind(1, feed_id).bind(2, item_key);
    auto row = (*s)->step();
    if (!row) return propagate(row);
    std::string title = *row ? (*s)->column_text(0) : std::string();
    (*s)->reset();
    return title;
}

// A fresh item's text is inserted, an edited item's replaces the kept one (a backtest runs
// over what the feed says now), keeping when it was first seen.
Result<void> Store::Impl::keep(std::int64_t feed_id, const ItemRecord& item, std::int64_t now, bool fresh) {
    if (!item.kept) return {};
    const auto& k = *item.kept;
    auto s = fresh ? cached(insert_kept,
                            "INSERT INTO kept_items (feed_id, item_key, first_seen, updated_at, feed_title, "
                            "title, link, summary, content, language, categories, authors, published, origin_link) "
                            "VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                            "ON CONFLICT(feed_id, item_key) DO NOTHING")
                   : cached(update_kept,
                            "INSERT INTO kept_items (feed_id, item_key, first_seen, updated_at, feed_title, "
                            "title, link, summary, content, language, categories, authors, published, origin_link) "
                            "VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                            "ON CONFLICT(feed_id, item_key) DO UPDATE SET updated_at = excluded.updated_at, "
                            "feed_title = excluded.feed_title, title = excluded.title, link = excluded.link, "
                            "summary = excluded.summary, content = excluded.content, language = excluded.language, "
                            "categories = excluded.categories, authors = excluded.authors, "
                            "published = excluded.published, origin_link = excluded.origin_link");
    if (!s) return propagate(s);
    (*s)->bind(1, feed_id)
        .bind(2, item.key)
        .bind(3, now)
        .bind(4, k.feed_title)
        .bind(5, k.title)
        .bind(6, k.link)
        .bind(7, k.summary)
        .bind(8, k.content)
        .bind(9, k.language)
        .bind(10, join_list(k.categories))
        .bind(11, join_list(k.authors))
        .bind(12, k.published ? std::optional<std::int64_t>(k.published->time_since_epoch().count())
                              : std::optional<std::int64_t>())
        .bind(13, k.origin_link);
    if (auto r = (*s)->run(); !r) return std::unexpected(with_file(r.error()));
    return {};
}

Result<void> Store::Impl::add_source(std::int64_t seq, const StorySource& source, std::int64_t feed_id,
                                     std::string_view item_key, std::int64_t now) {
    auto s = cached(insert_source,
                    "INSERT INTO story_sources (watchlist, story_id, seq, feed_id, item_key, title, link, "
                    "canonical_link, sketch, opens, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                    // A held opener (seq 0) held again after its seen-mark was pruned is the
                    // same source: keep the first row rather than fail the feed's every record.
                    "ON CONFLICT DO NOTHING");
    if (!s) return propagate(s);
    (*s)->bind(1, source.watchlist)
        .bind(2, source.story_id)
        .bind(3, seq)
        .bind(4, feed_id)
        .bind(5, item_key)
        .bind(6, source.title)
        .bind(7, source.link)
        .bind(8, source.canonical_link)
        .bind(9, source.sketch)
        .bind(10, std::int64_t{source.opens ? 1 : 0})
        .bind(11, now);
    if (auto r = (*s)->run(); !r) return std::unexpected(with_file(r.error()));
    return {};
}

Result<std::vector<PendingAlert>> Store::Impl::decide_events(const RecordRequest& request, std::size_t index,
                                                             bool fresh) {
    if (fresh) return request.decide(ItemSeen{index, ItemStatus::fresh, {}, {}});
    const auto& item = request.items[index];
    ItemSeen facts{index, ItemStatus::edited, {}, {}};
    auto stories = stories_of(request.feed_id, item.key);
    if (!stories) return propagate(stories);
    auto title = kept_title_of(request.feed_id, item.key);
    if (!title) return propagate(title);
    facts.stories = std::move(*stories);
    facts.previous_title = std::move(*title);
    return request.decide(facts);
}

namespace {

// Delivery-policy steps of record() and emit_held(). Prepared per call: only watchlists with a
// cooldown or a digest come here, and they are few.
Result<std::optional<SysSeconds>> read_window(sql::Database& db, std::string_view watchlist) {
    auto s = db.prepare("SELECT until FROM cooldown_windows WHERE watchlist = ?1");
    if (!s) return propagate(s);
    s->bind(1, watchlist);
    auto row = s->step();
    if (!row) return propagate(row);
    if (!*row) return std::optional<SysSeconds>{};
    return std::optional<SysSeconds>{SysSeconds{std::chrono::seconds{s->column_int(0)}}};
}

Result<void> write_window(sql::Database& db, std::string_view watchlist, SysSeconds until) {
    auto s = db.prepare("INSERT INTO cooldown_windows (watchlist, until) VALUES (?1, ?2) "
                        "ON CONFLICT(watchlist) DO UPDATE SET until = excluded.until");
    if (!s) return propagate(s);
    s->bind(1, watchlist).bind(2, std::int64_t(until.time_since_epoch().count()));
    return s->run();
}

// True when the policy held the match (or it was already held or alerted: never twice);
// false when it is to be alerted now, with the window it opens in `opens_window`.
Result<bool> apply_policy(sql::Database& db, const PendingAlert& pending, std::int64_t feed_id,
                          std::string_view item_key, std::int64_t now, std::optional<SysSeconds>& opens_window) {
    auto window = read_window(db, pending.watchlist);
    if (!window) return propagate(window);
    auto waiting = db.prepare("SELECT min(due_at) FROM held_matches WHERE watchlist = ?1 AND kind = 'cooldown'");
    if (!waiting) return propagate(waiting);
    waiting->bind(1, pending.watchlist);
    if (auto row = waiting->step(); !row) return propagate(row);
    PolicyState state{*window, std::nullopt};
    if (!waiting->column_is_null(0)) state.pending_summary_due = SysSeconds{std::chrono::seconds{waiting->column_int(0)}};
    const PolicyDecision d = pending.policy(state);
    if (!d.hold) {
        opens_window = d.window_until;
        return false;
    }
    auto s = db.prepare(
        "INSERT INTO held_matches (watchlist, kind, due_at, alert_id, feed_id, item_key, envelope, held_at) "
        "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE NOT EXISTS (SELECT 1 FROM alerts WHERE alert_id = ?4) "
        "ON CONFLICT(alert_id) DO NOTHING");
    if (!s) return propagate(s);
    const std::string envelope = pending.render ? pending.render(0) : std::string("{}");
    s->bind(1, pending.watchlist)
        .bind(2, d.kind)
        .bind(3, std::int64_t(d.due_at.time_since_epoch().count()))
        .bind(4, pending.alert_id)
        .bind(5, feed_id)
        .bind(6, item_key)
        .bind(7, envelope)
        .bind(8, now);
    if (auto r = s->run(); !r) return propagate(r);
    return true;
}

}  // namespace

Result<void> Store::Impl::write_events(std::span<const PendingAlert> events, std::int64_t feed_id,
                                       std::string_view item_key, std::int64_t now, std::int64_t& seq,
                                       RecordResult& result) {
    for (const auto& pending : events) {
        // Delivery policy: a held match waits in held_matches for its summary or digest. The
        // story it opens is stored with seq 0, so that a restart still knows the story and its
        // next source is a story.update rather than a second alert.
        std::optional<SysSeconds> opens_window;
        if (pending.policy) {
            auto held = apply_policy(db, pending, feed_id, item_key, now, opens_window);
            if (!held) return std::unexpected(with_file(held.error()));
            if (*held) {
                ++result.held;
                if (pending.story)
                    if (auto r = add_source(0, *pending.story, feed_id, item_key, now); !r) return r;
                continue;
            }
        }
        // The seq is taken only when the row goes in: a skipped duplicate leaves no gap.
        std::string envelope = pending.render ? pending.render(seq + 1) : std::string("{}");
        auto added = add_alert(seq + 1, pending, feed_id, item_key, now, envelope);
        if (!added) return propagate(added);
        if (!*added) continue;
        if (opens_window)
            if (auto r = write_window(db, pending.watchlist, *opens_window); !r) return propagate(r);
        ++seq;
        if (pending.story)
            if (auto r = add_source(seq, *pending.story, feed_id, item_key, now); !r) return r;
        result.alerts.push_back({seq, pending.topic, std::move(envelope)});
    }
    return {};
}

// A new key whose text this feed already recorded under another key is the same item re-keyed
// (a publisher changed its guids, or the feed's identity degraded from guid to link): marked
// seen under the new key too, never alerted again.
bool Store::Impl::seen_under_another_key(std::int64_t feed_id, const ItemRecord& item) {
    if (item.content_hash.empty()) return false;
    auto find = cached(same_text_seen,
                       "SELECT 1 FROM seen_items WHERE feed_id = ?1 AND content_hash = ?2 "
                       "AND item_key != ?3 LIMIT 1");
    if (!find) return false;
    (*find)->bind(1, feed_id).bind(2, item.content_hash).bind(3, item.key);
    auto row = (*find)->step();
    const bool found = row && *row;
    (*find)->reset();
    return found;
}

Result<bool> Store::Impl::add_alert(std::int64_t seq, const PendingAlert& pending, std::int64_t feed_id,
                                    std::string_view item_key, std::int64_t now,
                                    std::string_view envelope) {
    // alert_id is UNIQUE: the second line of defence against alerting an item twice for the
    // same watchlist, should its seen-mark ever be missing.
    auto insert = cached(insert_alert,
                         "INSERT INTO alerts (seq, watchlist, topic, alert_id, feed_id, item_key, "
                         "envelope, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                         "ON CONFLICT(alert_id) DO NOTHING");
    if (!insert) return propagate(insert);
    (*insert)
        ->bind(1, seq)
        .bind(2, pending.watchlist)
        .bind(3, pending.topic)
        .bind(4, pending.alert_id)
        .bind(5, feed_id)
        .bind(6, item_key)
        .bind(7, envelope)
        .bind(8, now);
    if (auto r = (*insert)->run(); !r) return std::unexpected(with_file(r.error()));
    return db.changes() == 1;
}

Result<void> Store::Impl::finish_record(std::int64_t feed_id, std::int64_t seq, std::size_t new_items) {
    auto write = cached(write_last_seq, "UPDATE sequence SET last_seq = ?1 WHERE id = 1");
    if (!write) return propagate(write);
    (*write)->bind(1, seq);
    if (auto r = (*write)->run(); !r) return r;
    auto mark = cached(mark_initialised,
                       "UPDATE feeds SET initialised = 1, items_seen = items_seen + ?2 WHERE id = ?1");
    if (!mark) return propagate(mark);
    (*mark)->bind(1, feed_id).bind(2, std::int64_t(new_items));
    return (*mark)->run();
}

Result<RecordResult> Store::record(const RecordRequest& request) {
    auto& m = *impl_;
    const bool may_alert = std::ranges::any_of(request.items, [](const ItemRecord& i) { return !i.alerts.empty(); });
    const Impl::NoSyncScope no_sync(m.db, m.synchronous_full && !may_alert);  // destroyed after tx
    auto tx = sql::Transaction::begin(m.db);
    if (!tx) return std::unexpected(m.with_file(tx.error()));
    auto first = m.first_fetch(request.feed_id);
    if (!first) return propagate(first);
    auto seq = m.stored_last_seq();
    if (!seq) return propagate(seq);

    if (!request.matched && (!*first || request.backfill > 0))
        return fail("store_stale", "store: record: feed " + std::to_string(request.feed_id) +
                                       " was recorded meanwhile; its items must be matched");
    RecordResult result;
    result.first_fetch = *first;
    const auto alerting = alerting_items(request, result.first_fetch);
    const std::int64_t now = request.now.time_since_epoch().count();
    for (std::size_t i = 0; i < request.items.size(); ++i) {
        const auto& item = request.items[i];
        auto seen = m.mark_seen(request.feed_id, item, now);
        if (!seen) return propagate(seen);
        if (*seen == Impl::Seen::known) continue;
        const bool fresh = *seen == Impl::Seen::fresh;
        if (fresh) ++result.new_items;
        // Edits never alert again, but the decider may report them (item.updated); a fresh
        // item of a first fetch's catch-up writes nothing.
        std::vector<PendingAlert> decided;
        if (request.decide && (!fresh || alerting[i])) {
            auto d = m.decide_events(request, i, fresh);
            if (!d) return propagate(d);
            decided = std::move(*d);
        }
        // After the decision: an edit is told the title it replaces.
        if (request.keep_texts)
            if (auto r = m.keep(request.feed_id, item, now, fresh); !r) return propagate(r);
        const auto& events = !request.decide && fresh && alerting[i] ? item.alerts : decided;
        if (auto r = m.write_events(events, request.feed_id, item.key, now, *seq, result); !r) return propagate(r);
    }
    if (auto r = m.finish_record(request.feed_id, *seq, result.new_items); !r) return propagate(r);
    if (auto r = tx->commit(); !r) return std::unexpected(m.with_file(r.error()));
    return result;
}

Result<std::int64_t> Store::last_seq() { return impl_->stored_last_seq(); }

Result<std::int64_t> Store::earliest_seq() {
    // One read transaction so that a concurrent prune or record cannot split the two reads.
    auto s = impl_->db.prepare(
        "SELECT coalesce((SELECT min(seq) FROM alerts), "
        "(SELECT last_seq FROM sequence WHERE id = 1) + 1)");
    if (!s) return propagate(s);
    auto row = s->step();
    if (!row) return propagate(row);
    return s->column_int(0);
}

Result<AlertPage> Store::alert_page(std::int64_t after, std::string_view prefix, std::size_t limit) {
    // A read transaction pins one WAL snapshot for the three reads; it never blocks the writer.
    if (auto r = impl_->db.exec("BEGIN DEFERRED"); !r) return propagate(r);
    struct End {
        sql::Database& db;
        ~End() { (void)db.exec("COMMIT"); }
    } end{impl_->db};
    AlertPage page;
    auto earliest = earliest_seq();
    if (!earliest) return propagate(earliest);
    auto last = last_seq();
    if (!last) return propagate(last);
    auto alerts = alerts_after(after, prefix, limit);
    if (!alerts) return propagate(alerts);
    page.earliest_seq = *earliest;
    page.last_seq = *last;
    page.alerts = std::move(*alerts);
    return page;
}

Result<std::int64_t> Store::prune_alerts(SysSeconds older_than) {
    auto s = impl_->db.prepare("DELETE FROM alerts WHERE created_at < ?1");
    if (!s) return propagate(s);
    s->bind(1, std::int64_t(older_than.time_since_epoch().count()));
    if (auto r = s->run(); !r) return std::unexpected(impl_->with_file(r.error()));
    return earliest_seq();
}

Result<std::size_t> Store::prune_seen(SysSeconds older_than) {
    // An item of the latest fetch has its feed's largest last_seen: keep those, whatever
    // their age (a feed that has been failing for months still lists them).
    auto s = impl_->db.prepare(
        "DELETE FROM seen_items WHERE last_seen < ?1 AND last_seen < "
        "(SELECT max(s2.last_seen) FROM seen_items AS s2 WHERE s2.feed_id = seen_items.feed_id)");
    if (!s) return propagate(s);
    s->bind(1, std::int64_t(older_than.time_since_epoch().count()));
    if (auto r = s->run(); !r) return std::unexpected(impl_->with_file(r.error()));
    return std::size_t(impl_->db.changes());
}

Result<std::vector<RecordedAlert>> Store::alerts_after(std::int64_t after, std::string_view prefix,
                                                       std::size_t limit) {
    // substr() on the prefix's own length: a LIKE pattern would need escaping of '_' and '%'.
    auto s = impl_->cached(impl_->select_after,
                           "SELECT seq, topic, envelope FROM alerts WHERE seq > ?1 AND "
                           "substr(topic, 1, length(?2)) = ?2 ORDER BY seq LIMIT ?3");
    if (!s) return propagate(s);
    const auto capped = std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max());
    (*s)->bind(1, after).bind(2, prefix).bind(3, std::int64_t(capped));
    std::vector<RecordedAlert> out;
    for (;;) {
        auto row = (*s)->step();
        if (!row) return propagate(row);
        if (!*row) break;
        out.push_back({(*s)->column_int(0), (*s)->column_text(1), (*s)->column_text(2)});
    }
    (*s)->reset();
    return out;
}

Result<std::vector<RecordedAlert>> Store::recent_alerts(const RecentFilter& filter, std::size_t limit) {
    // The WHERE clauses repeat the indexed expressions of migration 8 word for word: SQLite
    // uses an expression index only for the same expression.
    std::string_view where;
    switch (filter.by) {
        case RecentFilter::By::all: where = ""; break;
        case RecentFilter::By::kind: where = "WHERE substr(topic, 1, instr(topic, '.')) = ?2 "; break;
        case RecentFilter::By::topic: where = "WHERE topic = ?2 "; break;
    }
    auto s = impl_->db.prepare("SELECT seq, topic, envelope FROM alerts " + std::string(where) +
                               "ORDER BY seq DESC LIMIT ?1");
    if (!s) return propagate(s);
    s->bind(1, std::int64_t(std::min<std::size_t>(limit, std::numeric_limits<std::int32_t>::max())));
    if (filter.by != RecentFilter::By::all) s->bind(2, filter.value);
    std::vector<RecordedAlert> out;
    for (;;) {
        auto row = s->step();
        if (!row) return propagate(row);
        if (!*row) break;
        out.push_back({s->column_int(0), s->column_text(1), s->column_text(2)});
    }
    return out;
}

namespace {

constexpr std::string_view kSourceColumns =
    "s.watchlist, s.story_id, s.seq, s.feed_id, coalesce(f.config_url, ''), s.item_key, s.title, s.link, "
    "s.canonical_link, s.sketch, s.opens, s.added_at FROM story_sources AS s LEFT JOIN feeds AS f "
    "ON f.id = s.feed_id";

StorySourceRow read_source(const sql::Statement& s) {
    return StorySourceRow{s.column_text(0), s.column_text(1), s.column_int(2), s.column_int(3),
                          s.column_text(4), s.column_text(5), s.column_text(6), s.column_text(7),
                          s.column_text(8), s.column_text(9), s.column_int(10) != 0,
                          SysSeconds{std::chrono::seconds{s.column_int(11)}}};
}

Result<std::vector<StorySourceRow>> read_sources(sql::Statement& s) {
    std::vector<StorySourceRow> out;
    for (;;) {
        auto row = s.step();
        if (!row) return propagate(row);
        if (!*row) break;
        out.push_back(read_source(s));
    }
    return out;
}

}  // namespace

Result<std::vector<StorySourceRow>> Store::story_sources_since(SysSeconds since) {
    auto s = impl_->db.prepare("SELECT " + std::string(kSourceColumns) +
                               " WHERE s.added_at >= ?1 ORDER BY s.seq");
    if (!s) return propagate(s);
    s->bind(1, std::int64_t(since.time_since_epoch().count()));
    return read_sources(*s);
}

Result<std::vector<StorySourceRow>> Store::story_sources(std::string_view watchlist, std::string_view story_id) {
    auto s = impl_->db.prepare("SELECT " + std::string(kSourceColumns) +
                               " WHERE s.watchlist = ?1 AND s.story_id = ?2 ORDER BY s.seq");
    if (!s) return propagate(s);
    s->bind(1, watchlist).bind(2, story_id);
    return read_sources(*s);
}

Result<std::vector<KeptItem>> Store::kept_items(SysSeconds since) {
    auto s = impl_->db.prepare(
        "SELECT k.feed_id, coalesce(f.config_url, ''), k.item_key, k.first_seen, k.updated_at, k.feed_title, "
        "k.title, k.link, k.summary, k.content, k.language, k.categories, k.authors, k.published, "
        "k.origin_link "
        "FROM kept_items AS k LEFT JOIN feeds AS f ON f.id = k.feed_id WHERE k.first_seen >= ?1 "
        "ORDER BY k.first_seen, k.rowid");
    if (!s) return propagate(s);
    s->bind(1, std::int64_t(since.time_since_epoch().count()));
    std::vector<KeptItem> out;
    for (;;) {
        auto row = s->step();
        if (!row) return propagate(row);
        if (!*row) break;
        KeptItem k;
        k.feed_id = s->column_int(0);
        k.feed_url = s->column_text(1);
        k.item_key = s->column_text(2);
        k.first_seen = SysSeconds{std::chrono::seconds{s->column_int(3)}};
        k.updated_at = SysSeconds{std::chrono::seconds{s->column_int(4)}};
        k.text.feed_title = s->column_text(5);
        k.text.title = s->column_text(6);
        k.text.link = s->column_text(7);
        k.text.summary = s->column_text(8);
        k.text.content = s->column_text(9);
        k.text.language = s->column_text(10);
        k.text.categories = split_list(s->column_text(11));
        k.text.authors = split_list(s->column_text(12));
        k.text.published = from_unix(s->column_optional_int(13));
        k.text.origin_link = s->column_text(14);
        out.push_back(std::move(k));
    }
    return out;
}

Result<std::size_t> Store::prune_kept(SysSeconds items_before, SysSeconds stories_before) {
    auto tx = sql::Transaction::begin(impl_->db);
    if (!tx) return propagate(tx);
    std::size_t n = 0;
    for (const auto& [text, before] : {std::pair{"DELETE FROM kept_items WHERE updated_at < ?1", items_before},
                                       std::pair{"DELETE FROM story_sources WHERE added_at < ?1", stories_before}}) {
        auto s = impl_->db.prepare(text);
        if (!s) return propagate(s);
        s->bind(1, std::int64_t(before.time_since_epoch().count()));
        if (auto r = s->run(); !r) return std::unexpected(impl_->with_file(r.error()));
        n += std::size_t(impl_->db.changes());
    }
    if (auto r = tx->commit(); !r) return propagate(r);
    return n;
}

Result<std::optional<SinkCursor>> Store::sink_cursor(std::string_view sink) {
    auto s = impl_->db.prepare("SELECT last_seq, updated_at FROM sink_cursors WHERE sink = ?1");
    if (!s) return propagate(s);
    s->bind(1, sink);
    auto row = s->step();
    if (!row) return propagate(row);
    if (!*row) return std::optional<SinkCursor>{};
    return SinkCursor{std::string(sink), s->column_int(0),
                      SysSeconds{std::chrono::seconds{s->column_int(1)}}};
}

Result<void> Store::set_sink_cursor(std::string_view sink, std::int64_t last_seq, SysSeconds now) {
    auto s = impl_->db.prepare(
        "INSERT INTO sink_cursors (sink, last_seq, updated_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(sink) DO UPDATE SET last_seq = excluded.last_seq, "
        "updated_at = excluded.updated_at");
    if (!s) return propagate(s);
    s->bind(1, sink).bind(2, last_seq).bind(3, std::int64_t(now.time_since_epoch().count()));
    if (auto r = s->run(); !r)
        return fail(r.error().kind, r.error().message + " sink=" + std::string(sink));
    return {};
}

Result<void> Store::record_sink_failure(std::string_view sink, std::int64_t seq,
                                       std::string_view message, SysSeconds now) {
    auto s = impl_->db.prepare(
        "INSERT INTO sink_failures (sink, seq, message, failed_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(sink, seq) DO UPDATE SET message = excluded.message, failed_at = excluded.failed_at");
    if (!s) return propagate(s);
    s->bind(1, sink).bind(2, seq).bind(3, message).bind(4, std::int64_t(now.time_since_epoch().count()));
    if (auto r = s->run(); !r)
        return fail(r.error().kind, r.error().message + " sink=" + std::string(sink));
    return {};
}

Result<std::vector<Store::SinkFailure>> Store::sink_failures(std::string_view sink) {
    auto s = impl_->db.prepare("SELECT sink, seq, message, failed_at FROM sink_failures WHERE sink = ?1 ORDER BY seq");
    if (!s) return propagate(s);
    s->bind(1, sink);
    std::vector<SinkFailure> out;
    for (;;) {
        auto row = s->step();
        if (!row) return propagate(row);
        if (!*row) break;
        out.push_back({s->column_text(0), s->column_int(1), s->column_text(2),
                       SysSeconds(std::chrono::seconds(s->column_int(3)))});
    }
    return out;
}

// WebSub subscriptions ------------------------------------------------------------------

namespace {

constexpr std::string_view kSubscriptionColumns =
    "feed_id, topic, hub, callback_id, secret, state, lease_seconds, expires_at, last_error, updated_at";

Subscription read_subscription(const sql::Statement& s) {
    Subscription out;
    out.feed_id = s.column_int(0);
    out.topic = s.column_text(1);
    out.hub = s.column_text(2);
    out.callback_id = s.column_text(3);
    out.secret = s.column_text(4);
    out.state = s.column_text(5);
    out.lease_seconds = s.column_int(6);
    out.expires_at = from_unix(s.column_optional_int(7));
    out.last_error = s.column_text(8);
    out.updated_at = SysSeconds(std::chrono::seconds(s.column_int(9)));
    return out;
}

}  // namespace

Result<std::vector<Subscription>> Store::subscriptions() {
    auto s = impl_->db.prepare("SELECT " + std::string(kSubscriptionColumns) +
                               " FROM websub_subscriptions ORDER BY feed_id");
    if (!s) return propagate(s);
    std::vector<Subscription> out;
    for (;;) {
        auto row = s->step();
        if (!row) return propagate(row);
        if (!*row) break;
        out.push_back(read_subscription(*s));
    }
    return out;
}

Result<std::optional<Subscription>> Store::subscription(std::int64_t feed_id) {
    auto s = impl_->db.prepare("SELECT " + std::string(kSubscriptionColumns) +
                               " FROM websub_subscriptions WHERE feed_id = ?1");
    if (!s) return propagate(s);
    s->bind(1, feed_id);
    auto row = s->step();
    if (!row) return propagate(row);
    if (!*row) return std::optional<Subscription>{};
    return std::optional<Subscription>(read_subscription(*s));
}

Result<void> Store::save_subscription(const Subscription& sub) {
    // ON CONFLICT(feed_id), not OR REPLACE: a clash on callback_id must fail, not delete the
    // other feed's subscription.
    auto s = impl_->db.prepare(
        "INSERT INTO websub_subscriptions (" + std::string(kSubscriptionColumns) +
        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(feed_id) DO UPDATE SET "
        "topic = excluded.topic, hub = excluded.hub, callback_id = excluded.callback_id, "
        "secret = excluded.secret, state = excluded.state, lease_seconds = excluded.lease_seconds, "
        "expires_at = excluded.expires_at, last_error = excluded.last_error, updated_at = excluded.updated_at");
    if (!s) return propagate(s);
    s->bind(1, sub.feed_id)
        .bind(2, sub.topic)
        .bind(3, sub.hub)
        .bind(4, sub.callback_id)
        .bind(5, sub.secret)
        .bind(6, sub.state)
        .bind(7, sub.lease_seconds)
        .bind(8, to_unix(sub.expires_at))
        .bind(9, sub.last_error)
        .bind(10, std::int64_t(sub.updated_at.time_since_epoch().count()));
    if (auto r = s->run(); !r)
        return fail(r.error().kind, r.error().message + " websub topic=" + sub.topic);
    return {};
}

Result<void> Store::delete_subscription(std::int64_t feed_id) {
    auto s = impl_->db.prepare("DELETE FROM websub_subscriptions WHERE feed_id = ?1");
    if (!s) return propagate(s);
    s->bind(1, feed_id);
    if (auto r = s->run(); !r) return std::unexpected(impl_->with_file(r.error()));
    return {};
}

Result<std::vector<HeldMatch>> Store::due_held(SysSeconds now) {
    auto s = impl_->db.prepare(
        "SELECT id, watchlist, kind, due_at, envelope, held_at FROM held_matches WHERE due_at <= ?1 "
        "ORDER BY watchlist, kind, due_at, id");
    if (!s) return propagate(s);
    s->bind(1, std::int64_t(now.time_since_epoch().count()));
    std::vector<HeldMatch> out;
    for (;;) {
        auto row = s->step();
        if (!row) return propagate(row);
        if (!*row) break;
        out.push_back({s->column_int(0), s->column_text(1), s->column_text(2),
                       SysSeconds{std::chrono::seconds{s->column_int(3)}}, s->column_text(4),
                       SysSeconds{std::chrono::seconds{s->column_int(5)}}});
    }
    return out;
}

Result<std::vector<RecordedAlert>> Store::emit_held(std::span<const HeldEmission> emissions, SysSeconds now) {
    auto& m = *impl_;
    auto tx = sql::Transaction::begin(m.db);
    if (!tx) return std::unexpected(m.with_file(tx.error()));
    auto seq = m.stored_last_seq();
    if (!seq) return propagate(seq);
    auto remove = m.db.prepare("DELETE FROM held_matches WHERE id = ?1");
    if (!remove) return propagate(remove);
    const std::int64_t t = now.time_since_epoch().count();
    std::vector<RecordedAlert> out;
    for (const auto& e : emissions) {
        std::size_t removed = 0;
        for (const auto id : e.held_ids) {
            remove->bind(1, id);
            if (auto r = remove->run(); !r) return std::unexpected(m.with_file(r.error()));
            removed += std::size_t(m.db.changes());
        }
        if (removed == 0) continue;  // emitted before: its matches are gone
        PendingAlert pending{e.watchlist, e.topic, e.alert_id, {}, {}};
        std::string envelope = e.render ? e.render(*seq + 1) : std::string("{}");
        auto added = m.add_alert(*seq + 1, pending, 0, "", t, envelope);
        if (!added) return propagate(added);
        // An id already taken would drop the held matches deleted above: keep them instead.
        if (!*added)
            return fail("store", "store: emit_held: alert " + e.alert_id + " of watchlist " + e.watchlist +
                                     " exists already; its held matches are kept");
        ++*seq;
        if (e.window_until)
            if (auto r = write_window(m.db, e.watchlist, *e.window_until); !r) return propagate(r);
        out.push_back({*seq, e.topic, std::move(envelope)});
    }
    auto write = m.cached(m.write_last_seq, "UPDATE sequence SET last_seq = ?1 WHERE id = 1");
    if (!write) return propagate(write);
    (*write)->bind(1, *seq);
    if (auto r = (*write)->run(); !r) return propagate(r);
    if (auto r = tx->commit(); !r) return std::unexpected(m.with_file(r.error()));
    return out;
}

Result<std::optional<SysSeconds>> Store::cooldown_window(std::string_view watchlist) {
    return read_window(impl_->db, watchlist);
}

Result<std::size_t> Store::held_count() {
    auto s = impl_->db.prepare("SELECT count(*) FROM held_matches");
    if (!s) return propagate(s);
    if (auto row = s->step(); !row) return propagate(row);
    return std::size_t(s->column_int(0));
}

}  // namespace ww::store
