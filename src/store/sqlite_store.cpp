#include "store/sqlite_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <system_error>
#include <utility>

#include "store/sqlite_error.hpp"

namespace trapezoid::store {
namespace {

// STRICT tables: SQLite enforces the column types, and the CHECKs the ranges of Binding, so
// load() reads back exactly what write() was given. WITHOUT ROWID: the primary key is the
// table's own b-tree, one lookup per upsert or remove.
constexpr const char* kCreateSchema =
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS aors ("
    "  aor TEXT NOT NULL PRIMARY KEY,"
    "  first_seen INTEGER NOT NULL"
    ") STRICT, WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS bindings ("
    "  aor TEXT NOT NULL,"
    "  contact TEXT NOT NULL,"
    "  call_id TEXT NOT NULL,"
    "  cseq INTEGER NOT NULL CHECK (cseq BETWEEN 0 AND 4294967295),"
    "  expires_at INTEGER NOT NULL,"
    "  q INTEGER NOT NULL CHECK (q BETWEEN -1 AND 1000),"
    "  path TEXT NOT NULL,"
    "  received TEXT NOT NULL,"
    "  instance TEXT NOT NULL,"
    "  user_agent TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  PRIMARY KEY (aor, contact)"
    ") STRICT, WITHOUT ROWID;";

constexpr const char* kUpsertBinding =
    "INSERT INTO bindings (aor, contact, call_id, cseq, expires_at, q, path, received, instance,"
    "                      user_agent, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    " ON CONFLICT (aor, contact) DO UPDATE SET"
    "  call_id = excluded.call_id, cseq = excluded.cseq, expires_at = excluded.expires_at,"
    "  q = excluded.q, path = excluded.path, received = excluded.received,"
    "  instance = excluded.instance, user_agent = excluded.user_agent,"
    "  updated_at = excluded.updated_at";
// An AoR with a binding row is known through it; the aors table keeps those whose bindings are
// gone (so the proxy answers 480, not 404). So a REGISTER writes one row, and a removal first
// remembers the AoR of the binding it deletes, when there is one (a removal of a binding never
// stored makes no AoR known). first_seen: when that binding was last written.
constexpr const char* kRememberAor =
    "INSERT INTO aors (aor, first_seen) SELECT aor, updated_at FROM bindings WHERE aor = ?1 AND contact = ?2"
    " ON CONFLICT (aor) DO NOTHING";
constexpr const char* kRemoveBinding = "DELETE FROM bindings WHERE aor = ?1 AND contact = ?2";
constexpr const char* kSelectBindings =
    "SELECT aor, contact, call_id, cseq, expires_at, q, path, received, instance, user_agent, updated_at"
    " FROM bindings ORDER BY aor, contact";
constexpr const char* kSelectAors = "SELECT aor FROM aors UNION SELECT aor FROM bindings ORDER BY aor";

// Resets a statement when it goes out of scope, so that it can run again whatever happened.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~ResetOnExit() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

// Binds without a copy: the string outlives the statement's step.
int bind_text(sqlite3_stmt* stmt, int index, std::string_view text) {
  return sqlite3_bind_text64(stmt, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

std::string column_text(sqlite3_stmt* stmt, int index) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, index));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, index)));
}

std::string changes_text(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " change" : " changes");
}

}  // namespace

void SqliteStore::DbCloser::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
void SqliteStore::StmtFinalizer::operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }

SqliteStore::SqliteStore() = default;
SqliteStore::~SqliteStore() { close(); }
SqliteStore::SqliteStore(SqliteStore&&) noexcept = default;

SqliteStore& SqliteStore::operator=(SqliteStore&& other) noexcept {
  if (this != &other) {
    close();
    path_ = std::move(other.path_);
    default_max_pages_ = other.default_max_pages_;
    db_ = std::move(other.db_);
    begin_ = std::move(other.begin_);
    commit_ = std::move(other.commit_);
    rollback_ = std::move(other.rollback_);
    upsert_binding_ = std::move(other.upsert_binding_);
    remember_aor_ = std::move(other.remember_aor_);
    remove_binding_ = std::move(other.remove_binding_);
  }
  return *this;
}

void SqliteStore::close() noexcept {
  // Statements first: a connection closes once nothing refers to it.
  begin_.reset();
  commit_.reset();
  rollback_.reset();
  upsert_binding_.reset();
  remember_aor_.reset();
  remove_binding_.reset();
  db_.reset();
}

StoreStatus SqliteStore::fail(std::string_view doing, int rc) const {
  return detail::sqlite_error(path_, doing, rc, db_ ? std::string_view(sqlite3_errmsg(db_.get())) : std::string_view());
}

StoreStatus SqliteStore::exec(const char* sql, std::string_view doing) {
  int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? StoreStatus::success() : fail(doing, rc);
}

StoreStatus SqliteStore::open(std::string_view path, const Options& options) {
  close();
  path_ = std::string(path);
  if (path.empty()) return StoreStatus::error(StoreErrc::kInvalidArgument, "empty database path");
  if (path.find('\0') != std::string_view::npos) {
    return StoreStatus::error(StoreErrc::kInvalidArgument, "database path holds a NUL byte");
  }
  std::filesystem::path parent = std::filesystem::path(path_).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return StoreStatus::error(StoreErrc::kCannotCreateDir,
                                path_ + ": cannot create directory " + parent.string() + ": " + ec.message());
    }
  }

  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path_.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                           nullptr);
  db_.reset(raw);  // closed on every path below, even when the open failed
  if (rc != SQLITE_OK) {
    StoreStatus st = fail("opening", rc);
    close();
    return st;
  }
  sqlite3_busy_timeout(db_.get(), static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(
                                      options.busy_timeout.count(), 0, std::numeric_limits<int>::max())));

  StoreStatus st = [&]() -> StoreStatus {
    // The first statement reads the file's header: a file that is not a database fails here.
    sqlite3_stmt* raw_stmt = nullptr;
    int prc = sqlite3_prepare_v2(db_.get(), "PRAGMA journal_mode = WAL", -1, &raw_stmt, nullptr);
    Stmt journal(raw_stmt);
    if (prc != SQLITE_OK) return fail("setting the WAL journal mode", prc);
    prc = sqlite3_step(journal.get());
    if (prc != SQLITE_ROW) return fail("setting the WAL journal mode", prc);
    std::string mode = column_text(journal.get(), 0);
    if (mode != "wal") {
      return StoreStatus::error(StoreErrc::kCannotOpen,
                                path_ + ": the WAL journal mode is not available (journal mode is '" + mode +
                                    "'); the durability of the store depends on it");
    }
    journal.reset();
    // NORMAL: in WAL mode a commit is written to the WAL (not fsynced) before COMMIT
    // returns, which kill -9 cannot undo. FULL also fsyncs the WAL, for power loss.
    StoreStatus s = exec(options.durability == Durability::kPowerLoss ? "PRAGMA synchronous = FULL"
                                                                      : "PRAGMA synchronous = NORMAL",
                         "setting synchronous");
    if (!s.ok()) return s;
    default_max_pages_ = -1;
    std::int64_t max_pages = query_int("PRAGMA max_page_count");
    if (max_pages <= 0) return fail("reading max_page_count", sqlite3_errcode(db_.get()));
    default_max_pages_ = max_pages;
    if (options.max_page_count != 0) {
      if (s = set_max_page_count(options.max_page_count); !s.ok()) return s;
    }
    if (s = create_schema(); !s.ok()) return s;
    return prepare_all();
  }();
  if (!st.ok()) close();
  return st;
}

std::int64_t SqliteStore::query_int(const char* sql) const {
  if (!db_) return -1;
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql, -1, &raw, nullptr) != SQLITE_OK) return -1;
  Stmt stmt(raw);
  if (sqlite3_step(stmt.get()) != SQLITE_ROW) return -1;
  return sqlite3_column_int64(stmt.get(), 0);
}

StoreStatus SqliteStore::create_schema() {
  // What the file holds now: nothing (a new file), our tables, or someone else's.
  bool has_version = false, has_bindings = false, has_aors = false;
  std::string other_table;
  {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), "SELECT name FROM sqlite_schema WHERE type = 'table'", -1, &raw, nullptr);
    Stmt tables(raw);
    if (rc != SQLITE_OK) return fail("reading the schema", rc);
    while ((rc = sqlite3_step(tables.get())) == SQLITE_ROW) {
      std::string name = column_text(tables.get(), 0);
      if (name == "schema_version") has_version = true;
      else if (name == "bindings") has_bindings = true;
      else if (name == "aors") has_aors = true;
      else if (other_table.empty()) other_table = name;
    }
    if (rc != SQLITE_DONE) return fail("reading the schema", rc);
  }

  if (has_version) {
    std::int64_t version = query_int("SELECT max(version) FROM schema_version");
    if (version != kSchemaVersion) {
      return StoreStatus::error(StoreErrc::kSchemaMismatch,
                                path_ + ": schema version " + std::to_string(version) +
                                    " is not the one this build reads (" + std::to_string(kSchemaVersion) + ")");
    }
    if (!has_bindings || !has_aors) {
      return StoreStatus::error(StoreErrc::kSchemaMismatch,
                                path_ + ": schema version " + std::to_string(version) +
                                    " but the bindings or aors table is missing");
    }
    return StoreStatus::success();
  }
  if (has_bindings || has_aors || !other_table.empty()) {
    return StoreStatus::error(StoreErrc::kSchemaMismatch,
                              path_ + ": holds tables of another program (no schema_version table; found '" +
                                  (other_table.empty() ? std::string(has_bindings ? "bindings" : "aors")
                                                       : other_table) +
                                  "'): not a bindings store");
  }

  // A new file. IMMEDIATE: two servers starting on one file do not both create it.
  if (StoreStatus s = exec("BEGIN IMMEDIATE", "creating the schema"); !s.ok()) return s;
  StoreStatus s = exec(kCreateSchema, "creating the schema");
  if (s.ok()) {
    std::string insert = "INSERT INTO schema_version (version) SELECT " + std::to_string(kSchemaVersion) +
                         " WHERE NOT EXISTS (SELECT 1 FROM schema_version)";
    s = exec(insert.c_str(), "creating the schema");
  }
  if (s.ok()) s = exec("COMMIT", "creating the schema");
  if (!s.ok()) rollback();
  return s;
}

StoreStatus SqliteStore::prepare_all() {
  struct Entry {
    Stmt* stmt;
    const char* sql;
  };
  const Entry entries[] = {
      {&begin_, "BEGIN IMMEDIATE"},          {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},              {&upsert_binding_, kUpsertBinding},
      {&remember_aor_, kRememberAor},        {&remove_binding_, kRemoveBinding},
  };
  for (const Entry& e : entries) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), e.sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    e.stmt->reset(raw);
    if (rc != SQLITE_OK) return fail("preparing statements", rc);
  }
  return StoreStatus::success();
}

void SqliteStore::rollback() noexcept {
  // SQLite rolls back on its own after some errors (SQLITE_FULL, SQLITE_IOERR, ...).
  if (!db_ || sqlite3_get_autocommit(db_.get())) return;
  if (rollback_) {
    ResetOnExit reset(rollback_.get());
    sqlite3_step(rollback_.get());
  } else {
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

LoadResult SqliteStore::load() {
  LoadResult out;
  if (!db_) {
    out.status = StoreStatus::error(StoreErrc::kNotOpen, path_ + ": load() on a store that is not open");
    return out;
  }
  // One read transaction: the bindings and the AoRs come from the same snapshot.
  if (out.status = exec("BEGIN", "loading bindings"); !out.status.ok()) return out;
  auto read_all = [&]() -> StoreStatus {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), kSelectBindings, -1, &raw, nullptr);
    Stmt rows(raw);
    if (rc != SQLITE_OK) return fail("loading bindings", rc);
    while ((rc = sqlite3_step(rows.get())) == SQLITE_ROW) {
      registrar::Binding b;
      b.aor = column_text(rows.get(), 0);
      b.contact = column_text(rows.get(), 1);
      b.call_id = column_text(rows.get(), 2);
      std::int64_t cseq = sqlite3_column_int64(rows.get(), 3);
      b.expires_at = sqlite3_column_int64(rows.get(), 4);
      std::int64_t q = sqlite3_column_int64(rows.get(), 5);
      b.path = column_text(rows.get(), 6);
      b.received = column_text(rows.get(), 7);
      b.instance = column_text(rows.get(), 8);
      b.user_agent = column_text(rows.get(), 9);
      b.updated_at = sqlite3_column_int64(rows.get(), 10);
      // The schema's CHECKs hold these; a file edited with the checks off may not.
      if (cseq < 0 || cseq > std::numeric_limits<std::uint32_t>::max() || q < -1 || q > 1000) {
        return StoreStatus::error(StoreErrc::kCorrupt, path_ + ": binding " + b.aor + " -> " + b.contact +
                                                           " has cseq " + std::to_string(cseq) + " and q " +
                                                           std::to_string(q) + ", outside their ranges");
      }
      b.cseq = static_cast<std::uint32_t>(cseq);
      b.q = static_cast<int>(q);
      out.bindings.push_back(std::move(b));
    }
    if (rc != SQLITE_DONE) return fail("loading bindings", rc);

    rc = sqlite3_prepare_v2(db_.get(), kSelectAors, -1, &raw, nullptr);
    Stmt aors(raw);
    if (rc != SQLITE_OK) return fail("loading known AoRs", rc);
    while ((rc = sqlite3_step(aors.get())) == SQLITE_ROW) out.known_aors.push_back(column_text(aors.get(), 0));
    if (rc != SQLITE_DONE) return fail("loading known AoRs", rc);
    return exec("COMMIT", "loading bindings");
  };
  out.status = read_all();
  if (!out.status.ok()) {
    rollback();
    out.bindings.clear();
    out.known_aors.clear();
  }
  return out;
}

StoreStatus SqliteStore::apply(const BindingChange& change, std::string_view what) {
  const registrar::Binding& b = change.binding;
  // The error text is built only on failure: this runs once or twice per binding written.
  enum class Doing : unsigned char { kRemoving, kStoring, kRemembering };
  auto step_done = [&](sqlite3_stmt* stmt, Doing doing) -> StoreStatus {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) return StoreStatus::success();
    std::string text(what);
    switch (doing) {
      case Doing::kRemoving: text += ", removing " + b.aor + " -> " + b.contact; break;
      case Doing::kStoring: text += ", storing " + b.aor + " -> " + b.contact; break;
      case Doing::kRemembering: text += ", remembering " + b.aor; break;
    }
    return fail(text, rc);
  };
  if (change.kind == BindingChange::Kind::kRemove) {
    {
      ResetOnExit reset(remember_aor_.get());
      sqlite3_stmt* s = remember_aor_.get();
      bind_text(s, 1, b.aor);
      bind_text(s, 2, b.contact);
      if (StoreStatus st = step_done(s, Doing::kRemembering); !st.ok()) return st;
    }
    ResetOnExit reset(remove_binding_.get());
    sqlite3_stmt* s = remove_binding_.get();
    bind_text(s, 1, b.aor);
    bind_text(s, 2, b.contact);
    return step_done(s, Doing::kRemoving);
  }
  ResetOnExit reset(upsert_binding_.get());
  sqlite3_stmt* s = upsert_binding_.get();
  bind_text(s, 1, b.aor);
  bind_text(s, 2, b.contact);
  bind_text(s, 3, b.call_id);
  sqlite3_bind_int64(s, 4, b.cseq);
  sqlite3_bind_int64(s, 5, b.expires_at);
  sqlite3_bind_int64(s, 6, b.q);
  bind_text(s, 7, b.path);
  bind_text(s, 8, b.received);
  bind_text(s, 9, b.instance);
  bind_text(s, 10, b.user_agent);
  sqlite3_bind_int64(s, 11, b.updated_at);
  return step_done(s, Doing::kStoring);
}

StoreStatus SqliteStore::write(std::span<const BindingChange> batch) {
  if (!db_) return StoreStatus::error(StoreErrc::kNotOpen, path_ + ": write() on a store that is not open");
  // Refused before the transaction: one bad binding would otherwise fail the batch forever.
  for (const BindingChange& c : batch) {
    if (std::string why = binding_problem(c); !why.empty()) {
      return StoreStatus::error(StoreErrc::kInvalidArgument, path_ + ": cannot store a binding: " + why);
    }
  }
  if (batch.empty()) return StoreStatus::success();

  const std::string what = "writing " + changes_text(batch.size());
  {
    ResetOnExit reset(begin_.get());
    if (int rc = sqlite3_step(begin_.get()); rc != SQLITE_DONE) return fail(what, rc);
  }
  for (const BindingChange& c : batch) {
    if (StoreStatus st = apply(c, what); !st.ok()) {
      rollback();
      return st;
    }
  }
  int rc;
  {
    ResetOnExit reset(commit_.get());
    rc = sqlite3_step(commit_.get());
  }
  if (rc != SQLITE_DONE) {
    StoreStatus st = fail("committing " + changes_text(batch.size()), rc);
    rollback();  // a failed COMMIT leaves the transaction open: end it so the batch can be retried
    return st;
  }
  return StoreStatus::success();
}

StoreStatus SqliteStore::set_max_page_count(std::uint32_t pages) {
  if (!db_) return StoreStatus::error(StoreErrc::kNotOpen, path_ + ": set_max_page_count() on a store that is not open");
  std::int64_t want = pages == 0 ? default_max_pages_ : static_cast<std::int64_t>(pages);
  std::string sql = "PRAGMA max_page_count = " + std::to_string(want);
  if (query_int(sql.c_str()) <= 0) return fail("setting max_page_count", sqlite3_errcode(db_.get()));
  return StoreStatus::success();
}

std::int64_t SqliteStore::page_count() const { return query_int("PRAGMA page_count"); }

}  // namespace trapezoid::store
