// Registrations on disk: one SQLite file holding every binding (primary key aor+contact) and
// every AoR that ever registered, so that bindings and known users survive a restart.
//
//   SqliteStore store;
//   if (StoreStatus st = store.open("/var/lib/trapezoid/bindings.db"); !st.ok()) die(st.message);
//   LoadResult loaded = store.load();        // at start-up: fill the location service
//   StoreStatus st = store.write(batch);     // one transaction; on failure nothing was applied
//
// Durability: WAL journal with synchronous=NORMAL by default. A commit appends the batch to
// the WAL with write(2) before write() returns, so a committed batch is in the kernel's page
// cache and survives kill -9 of the process; a transaction cut short by the kill is ignored
// when the file is next opened. Only a power loss or kernel crash can undo the last commits
// (never corrupt the file); Options::durability = kPowerLoss adds an fsync per commit
// (synchronous=FULL) for that too.
//
// Not thread-safe: one thread at a time (WriteBehindStore serializes its calls).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "registrar/binding.hpp"
#include "store/binding_change.hpp"
#include "store/store_status.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace trapezoid::store {

// The schema this build writes; open() refuses a file with a newer one.
inline constexpr int kSchemaVersion = 1;

struct LoadResult {
  StoreStatus status;
  std::vector<registrar::Binding> bindings;  // every stored binding, expired ones included
  std::vector<std::string> known_aors;       // every AoR that ever registered, sorted
};

class SqliteStore {
 public:
  enum class Durability : unsigned char {
    kProcessCrash,  // synchronous=NORMAL: committed batches survive kill -9 (the default)
    kPowerLoss,     // synchronous=FULL: and a power loss, at one fsync per commit
  };

  struct Options {
    Durability durability = Durability::kProcessCrash;
    // How long a write waits for another connection's lock before failing with kBusy.
    std::chrono::milliseconds busy_timeout{50};
    // A cap on the file's size in pages (PRAGMA max_page_count), 0 for SQLite's own limit.
    // A write that needs more pages fails with kFull, as on a full disk.
    std::uint32_t max_page_count = 0;
  };

  SqliteStore();
  ~SqliteStore();
  SqliteStore(SqliteStore&&) noexcept;
  SqliteStore& operator=(SqliteStore&&) noexcept;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Opens (creating the directory, the file and the schema when missing) the database at
  // `path`. A store already open is closed first. On failure the store stays closed.
  [[nodiscard]] StoreStatus open(std::string_view path, const Options& options);
  [[nodiscard]] StoreStatus open(std::string_view path) { return open(path, Options{}); }
  void close() noexcept;

  [[nodiscard]] bool is_open() const noexcept { return db_ != nullptr; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  // Every stored binding and known AoR, read in one transaction (a consistent snapshot).
  [[nodiscard]] LoadResult load();

  // Applies the changes in one transaction: an upsert stores the binding's whole value and
  // marks its AoR known; a remove deletes the binding (removing one that is not there is no
  // error) and keeps the AoR known. All or nothing: on any error the transaction is rolled
  // back and the caller still holds the batch to retry.
  [[nodiscard]] StoreStatus write(std::span<const BindingChange> batch);

  // The page cap of Options::max_page_count, changed while open (0: SQLite's own limit).
  // SQLite never sets it below the file's current size.
  [[nodiscard]] StoreStatus set_max_page_count(std::uint32_t pages);
  // The file's size in pages (WAL content included), or -1 when closed or on error.
  [[nodiscard]] std::int64_t page_count() const;

 private:
  struct DbCloser {
    void operator()(sqlite3* db) const noexcept;
  };
  struct StmtFinalizer {
    void operator()(sqlite3_stmt* stmt) const noexcept;
  };
  using Db = std::unique_ptr<sqlite3, DbCloser>;
  using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

  [[nodiscard]] StoreStatus prepare_all();
  [[nodiscard]] StoreStatus create_schema();
  [[nodiscard]] StoreStatus apply(const BindingChange& change, std::string_view what);
  // The first column of the first row of `sql`, or -1 on error.
  [[nodiscard]] std::int64_t query_int(const char* sql) const;
  [[nodiscard]] StoreStatus fail(std::string_view doing, int rc) const;
  [[nodiscard]] StoreStatus exec(const char* sql, std::string_view doing);
  void rollback() noexcept;

  std::string path_;
  std::int64_t default_max_pages_ = -1;  // SQLite's own page cap, read at open()
  // Declared before the statements: members are destroyed in reverse order, so every
  // statement is finalized before the connection closes.
  Db db_;
  Stmt begin_;
  Stmt commit_;
  Stmt rollback_;
  Stmt upsert_binding_;
  Stmt remember_aor_;
  Stmt remove_binding_;
};

}  // namespace trapezoid::store
