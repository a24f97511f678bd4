#include "auth/sqlite_credentials.hpp"

#include <sqlite3.h>

#include <filesystem>

namespace trapezoid::auth {
namespace {

// STRICT: SQLite enforces the types. The HA1 columns hold lower-case hex of the right length
// or nothing ("" when an algorithm's value is not known, e.g. a row written by another tool).
constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS subscribers ("
    "  username TEXT NOT NULL,"
    "  realm TEXT NOT NULL,"
    "  ha1_md5 TEXT NOT NULL CHECK (ha1_md5 = '' OR length(ha1_md5) = 32),"
    "  ha1_sha256 TEXT NOT NULL CHECK (ha1_sha256 = '' OR length(ha1_sha256) = 64),"
    "  PRIMARY KEY (username, realm)"
    ") STRICT, WITHOUT ROWID";
constexpr const char* kSelect = "SELECT ha1_md5, ha1_sha256 FROM subscribers WHERE username = ?1 AND realm = ?2";
constexpr const char* kUpsert =
    "INSERT INTO subscribers (username, realm, ha1_md5, ha1_sha256) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (username, realm) DO UPDATE SET ha1_md5 = excluded.ha1_md5, ha1_sha256 = excluded.ha1_sha256";
constexpr const char* kDeleteOne = "DELETE FROM subscribers WHERE username = ?1 AND realm = ?2";
constexpr const char* kDeleteAll = "DELETE FROM subscribers WHERE username = ?1";
constexpr const char* kList = "SELECT username, realm FROM subscribers ORDER BY realm, username";

// A prepared statement, finalized when it goes out of scope.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  [[nodiscard]] bool ok() const noexcept { return rc_ == SQLITE_OK; }
  bool bind(int index, std::string_view text) {
    return sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8) == SQLITE_OK;
  }
  int step() { return sqlite3_step(stmt_); }
  [[nodiscard]] std::string text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

}  // namespace

void SqliteCredentials::DbCloser::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }

SqliteCredentials::SqliteCredentials() = default;
SqliteCredentials::~SqliteCredentials() = default;

std::string SqliteCredentials::failure(std::string_view doing) const {
  return path_ + ": " + std::string(doing) + ": " + (db_ ? sqlite3_errmsg(db_.get()) : "not open");
}

std::string SqliteCredentials::open(const std::string& path) {
  std::lock_guard lock(mutex_);
  db_.reset();
  path_ = path;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) return path + ": cannot create directory " + parent.string() + ": " + ec.message();
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) {
    std::string why = failure("opening");
    db_.reset();
    return why;
  }
  // The store's writes hold the file's write lock for a moment; a user change waits for it.
  sqlite3_busy_timeout(db_.get(), 2000);
  if (sqlite3_exec(db_.get(), kCreateTable, nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::string why = failure("creating the subscribers table");
    db_.reset();
    return why;
  }
  return {};
}

std::optional<StoredCredentials> SqliteCredentials::lookup(std::string_view username, std::string_view realm) const {
  std::lock_guard lock(mutex_);
  if (!db_) return std::nullopt;
  Statement select(db_.get(), kSelect);
  if (!select.ok() || !select.bind(1, username) || !select.bind(2, realm)) return std::nullopt;
  if (select.step() != SQLITE_ROW) return std::nullopt;
  return StoredCredentials{select.text(0), select.text(1)};
}

std::string SqliteCredentials::add(std::string_view username, std::string_view realm, std::string_view password) {
  std::lock_guard lock(mutex_);
  if (!db_) return failure("adding a user");
  Statement upsert(db_.get(), kUpsert);
  const bool bound = upsert.ok() && upsert.bind(1, username) && upsert.bind(2, realm) &&
                     upsert.bind(3, digest_ha1(DigestAlgorithm::kMd5, username, realm, password)) &&
                     upsert.bind(4, digest_ha1(DigestAlgorithm::kSha256, username, realm, password));
  if (!bound || upsert.step() != SQLITE_DONE) return failure("adding a user");
  return {};
}

int SqliteCredentials::remove(std::string_view username, std::string_view realm, std::string& error) {
  std::lock_guard lock(mutex_);
  if (!db_) {
    error = failure("removing a user");
    return -1;
  }
  Statement del(db_.get(), realm.empty() ? kDeleteAll : kDeleteOne);
  bool bound = del.ok() && del.bind(1, username);
  if (bound && !realm.empty()) bound = del.bind(2, realm);
  if (!bound || del.step() != SQLITE_DONE) {
    error = failure("removing a user");
    return -1;
  }
  return sqlite3_changes(db_.get());
}

std::vector<SubscriberRow> SqliteCredentials::list(std::string& error) const {
  std::lock_guard lock(mutex_);
  std::vector<SubscriberRow> rows;
  if (!db_) {
    error = failure("listing users");
    return rows;
  }
  Statement select(db_.get(), kList);
  if (!select.ok()) {
    error = failure("listing users");
    return rows;
  }
  int rc = SQLITE_ROW;
  while ((rc = select.step()) == SQLITE_ROW) rows.push_back({select.text(0), select.text(1)});
  if (rc != SQLITE_DONE) error = failure("listing users");
  return rows;
}

}  // namespace trapezoid::auth
