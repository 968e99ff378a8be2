#include "store/store.h"

#include <algorithm>
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
    sql::Statement feed_initialised, insert_seen, touch_seen, insert_alert, read_last_seq, write_last_seq,
        mark_initialised, select_after, same_text_seen;

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
    Result<bool> mark_seen(std::int64_t feed_id, const ItemRecord& item, std::int64_t now);
    bool seen_under_another_key(std::int64_t feed_id, const ItemRecord& item);
    Result<bool> add_alert(std::int64_t seq, const PendingAlert& pending, std::int64_t feed_id,
                           std::string_view item_key, std::int64_t now, std::string_view envelope);
    Result<void> finish_record(std::int64_t feed_id, std::int64_t seq, std::size_t new_items);

    Error with_file(Error e) const {
        e.message += " (" + file.string() + ")";
        return e;
    }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Result<Store> Store::open(const std::filesystem::path& state_dir, Mode mode) {
    return open(state_dir, mode, StoreOptions{});
}

Result<Store> Store::open(const std::filesystem::path& state_dir, Mode mode,
                          const StoreOptions& options) {
    const auto file = state_dir / kFileName;
    int flags = SQLITE_OPEN_NOMUTEX;
    if (mode == Mode::read_write) {
        std::error_code ec;
        std::filesystem::create_directories(state_dir, ec);
        if (ec)
            return fail("store", "store: cannot create state directory " + state_dir.string() +
                                     ": " + ec.message());
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
    if (!*row) return fail("store", "store: record: no feed with id " + std::to_string(feed_id));
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

Result<bool> Store::Impl::mark_seen(std::int64_t feed_id, const ItemRecord& item, std::int64_t now) {
    auto insert = cached(insert_seen,
                         "INSERT INTO seen_items (feed_id, item_key, first_seen, content_hash, "
                         "last_seen) VALUES (?1, ?2, ?3, ?4, ?3) ON CONFLICT DO NOTHING");
    if (!insert) return propagate(insert);
    (*insert)->bind(1, feed_id).bind(2, item.key).bind(3, now).bind(4, item.content_hash);
    if (auto r = (*insert)->run(); !r) return std::unexpected(with_file(r.error()));
    if (db.changes() == 1) return !seen_under_another_key(feed_id, item);
    // Seen before: it never alerts again, but it is still listed, so retention keeps it.
    auto touch = cached(touch_seen,
                        "UPDATE seen_items SET last_seen = ?3 WHERE feed_id = ?1 AND item_key = ?2");
    if (!touch) return propagate(touch);
    (*touch)->bind(1, feed_id).bind(2, item.key).bind(3, now);
    if (auto r = (*touch)->run(); !r) return std::unexpected(with_file(r.error()));
    return false;
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

Result<RecordResult> Store::record(const RecordRequest& request) {
    auto& m = *impl_;
    auto tx = sql::Transaction::begin(m.db);
    if (!tx) return std::unexpected(m.with_file(tx.error()));
    auto first = m.first_fetch(request.feed_id);
    if (!first) return propagate(first);
    auto seq = m.stored_last_seq();
    if (!seq) return propagate(seq);

    RecordResult result;
    result.first_fetch = *first;
    const auto alerting = alerting_items(request, result.first_fetch);
    const std::int64_t now = request.now.time_since_epoch().count();
    for (std::size_t i = 0; i < request.items.size(); ++i) {
        const auto& item = request.items[i];
        auto fresh = m.mark_seen(request.feed_id, item, now);
        if (!fresh) return propagate(fresh);
        if (!*fresh) continue;
        ++result.new_items;
        if (!alerting[i]) continue;
        for (const auto& pending : item.alerts) {
            // Delivery policy: a held match waits in held_matches for its summary or digest.
            std::optional<SysSeconds> opens_window;
            if (pending.policy) {
                auto held = apply_policy(m.db, pending, request.feed_id, item.key, now, opens_window);
                if (!held) return std::unexpected(m.with_file(held.error()));
                if (*held) {
                    ++result.held;
                    continue;
                }
            }
            // The seq is taken only when the row goes in: a skipped duplicate leaves no gap.
            std::string envelope = pending.render ? pending.render(*seq + 1) : std::string("{}");
            auto added = m.add_alert(*seq + 1, pending, request.feed_id, item.key, now, envelope);
            if (!added) return propagate(added);
            if (!*added) continue;
            if (opens_window)
                if (auto r = write_window(m.db, pending.watchlist, *opens_window); !r) return propagate(r);
            ++*seq;
            result.alerts.push_back({*seq, pending.topic, std::move(envelope)});
        }
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
        if (!*added) continue;
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
