#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "store/sqlite_error.hpp"
#include "store_test_support.hpp"

namespace trapezoid::store {
namespace {

using registrar::Binding;
using test::make_binding;
using test::RawDb;
using test::TempDir;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir.ok());
    path = dir.file("bindings.db");
    StoreStatus st = store.open(path);
    ASSERT_TRUE(st.ok()) << st.message;
  }

  TempDir dir;
  std::string path;
  SqliteStore store;
};

TEST_F(SqliteStoreTest, EveryFieldRoundTripsIncludingEdgeValues) {
  Binding a = make_binding(1);
  Binding b;
  b.aor = "sip:b\xc3\xa9r\xc3\xa9nice@biloxi.example.com";  // UTF-8
  b.contact = "<sip:x@[2001:db8::9]:5070;ob>;+sip.instance=\"<urn:uuid:1>\"";
  b.call_id = "it's \"quoted\"; and, commas";
  b.cseq = std::numeric_limits<std::uint32_t>::max();
  b.expires_at = std::numeric_limits<registrar::UnixSeconds>::max();
  b.q = -1;
  b.path = "";
  b.received = "";
  b.instance = "";
  b.user_agent = std::string("nul\0inside", 10);  // byte-exact, not C strings
  b.updated_at = std::numeric_limits<registrar::UnixSeconds>::min();
  Binding c = make_binding(2);
  c.q = 1000;
  c.cseq = 0;
  Binding d = make_binding(4);
  d.q = 0;

  std::vector<BindingChange> batch{BindingChange::upsert(a), BindingChange::upsert(b), BindingChange::upsert(c),
                                   BindingChange::upsert(d)};
  ASSERT_TRUE(store.write(batch).ok());

  LoadResult loaded = store.load();
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.message;
  ASSERT_EQ(loaded.bindings.size(), 4u);
  // Ordered by aor, then contact.
  std::vector<Binding> want{a, c, d, b};
  std::sort(want.begin(), want.end(),
            [](const Binding& x, const Binding& y) { return std::tie(x.aor, x.contact) < std::tie(y.aor, y.contact); });
  EXPECT_EQ(loaded.bindings, want);
  auto stored_b = std::find_if(loaded.bindings.begin(), loaded.bindings.end(),
                               [&](const Binding& x) { return x.aor == b.aor; });
  ASSERT_NE(stored_b, loaded.bindings.end());
  EXPECT_EQ(stored_b->user_agent.size(), 10u);
}

TEST_F(SqliteStoreTest, UpsertReplacesTheWholeBindingOfTheSameAorAndContact) {
  Binding first = make_binding(5, 0);
  ASSERT_TRUE(store.write(std::vector{BindingChange::upsert(first)}).ok());
  Binding refreshed = make_binding(5, 1);
  refreshed.path = "";  // a field emptied by the refresh is emptied in the file too
  ASSERT_TRUE(store.write(std::vector{BindingChange::upsert(refreshed)}).ok());

  LoadResult loaded = store.load();
  ASSERT_TRUE(loaded.status.ok());
  ASSERT_EQ(loaded.bindings.size(), 1u);
  EXPECT_EQ(loaded.bindings[0], refreshed);
}

TEST_F(SqliteStoreTest, SameAorWithAnotherContactIsASecondBinding) {
  Binding a = make_binding(6);
  Binding b = a;
  b.contact = "sip:user@198.51.100.1";
  ASSERT_TRUE(store.write(std::vector{BindingChange::upsert(a), BindingChange::upsert(b)}).ok());
  LoadResult loaded = store.load();
  ASSERT_EQ(loaded.bindings.size(), 2u);
  EXPECT_EQ(loaded.known_aors, std::vector<std::string>{a.aor});
}

TEST_F(SqliteStoreTest, RemoveDeletesOnlyThatBindingAndAMissingOneIsNoError) {
  Binding a = make_binding(0), b = make_binding(1);
  ASSERT_EQ(a.aor, b.aor);
  ASSERT_TRUE(store.write(std::vector{BindingChange::upsert(a), BindingChange::upsert(b)}).ok());
  StoreStatus st = store.write(std::vector{BindingChange::remove(a.aor, a.contact),
                                           BindingChange::remove("sip:nobody@atlanta.example.com", "sip:x@h")});
  ASSERT_TRUE(st.ok()) << st.message;
  LoadResult loaded = store.load();
  ASSERT_EQ(loaded.bindings.size(), 1u);
  EXPECT_EQ(loaded.bindings[0], b);
  // A removal does not make an AoR known.
  EXPECT_EQ(loaded.known_aors, std::vector<std::string>{a.aor});
}

TEST_F(SqliteStoreTest, BindingsAndKnownAorsSurviveAReopen) {
  Binding gone = make_binding(3);    // user1: registers, then unregisters
  Binding kept = make_binding(7);    // user2
  ASSERT_TRUE(store.write(std::vector{BindingChange::upsert(gone), BindingChange::upsert(kept)}).ok());
  ASSERT_TRUE(store.write(std::vector{BindingChange::remove(gone.aor, gone.contact)}).ok());
  store.close();
  EXPECT_FALSE(store.is_open());

  SqliteStore again;
  StoreStatus st = again.open(path);
  ASSERT_TRUE(st.ok()) << st.message;
  LoadResult loaded = again.load();
  ASSERT_TRUE(loaded.status.ok());
  EXPECT_EQ(loaded.bindings, std::vector<Binding>{kept});
  // user1 has no binding but is still known: the proxy answers 480, not 404.
  EXPECT_EQ(loaded.known_aors, (std::vector<std::string>{gone.aor, kept.aor}));
}

// A REGISTER costs one row: the AoR table only keeps AoRs whose bindings were removed.
TEST_F(SqliteStoreTest, AnAorIsWrittenOnlyWhenItsBindingGoes) {
  Binding a = make_binding(3), b = make_binding(7);
  ASSERT_NE(a.aor, b.aor);
  ASSERT_TRUE(store.write(std::vector{BindingChange::upsert(a), BindingChange::upsert(b)}).ok());
  auto aor_rows = [&] {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT aor FROM aors ORDER BY aor", -1, &stmt, nullptr), SQLITE_OK);
    std::vector<std::string> rows;
    while (sqlite3_step(stmt) == SQLITE_ROW) rows.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return rows;
  };
  EXPECT_TRUE(aor_rows().empty());
  EXPECT_EQ(store.load().known_aors, (std::vector<std::string>{a.aor, b.aor}));  // known by their bindings

  ASSERT_TRUE(store.write(std::vector{BindingChange::remove(a.aor, a.contact)}).ok());
  EXPECT_EQ(aor_rows(), std::vector<std::string>{a.aor});
  EXPECT_EQ(store.load().known_aors, (std::vector<std::string>{a.aor, b.aor}));
}

TEST_F(SqliteStoreTest, AnEmptyBatchIsNoWork) {
  EXPECT_TRUE(store.write({}).ok());
  EXPECT_TRUE(store.load().bindings.empty());
}

TEST_F(SqliteStoreTest, ABadBindingRefusesTheWholeBatchBeforeTouchingTheFile) {
  Binding good = make_binding(1);
  Binding bad = make_binding(2);
  bad.q = 1001;
  StoreStatus st = store.write(std::vector{BindingChange::upsert(good), BindingChange::upsert(bad)});
  EXPECT_EQ(st.code, StoreErrc::kInvalidArgument);
  EXPECT_NE(st.message.find("q 1001"), std::string::npos) << st.message;
  EXPECT_NE(st.message.find(path), std::string::npos) << st.message;

  Binding no_contact = make_binding(3);
  no_contact.contact.clear();
  EXPECT_EQ(store.write(std::vector{BindingChange::upsert(no_contact)}).code, StoreErrc::kInvalidArgument);
  EXPECT_EQ(store.write(std::vector{BindingChange::remove("", "sip:x@h")}).code, StoreErrc::kInvalidArgument);
  EXPECT_TRUE(store.load().bindings.empty());
}

TEST_F(SqliteStoreTest, TheFileIsInWalModeWithOurSchemaVersion) {
  RawDb raw(path);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.text("SELECT version FROM schema_version"), std::to_string(kSchemaVersion));
}

TEST_F(SqliteStoreTest, ALockedDatabaseFailsTheWriteAndKeepsNothingHalfDone) {
  SqliteStore::Options fast;
  fast.busy_timeout = std::chrono::milliseconds(0);
  ASSERT_TRUE(store.open(path, fast).ok());
  RawDb other(path);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other.exec("BEGIN EXCLUSIVE"), SQLITE_OK);

  Binding b = make_binding(1);
  StoreStatus st = store.write(std::vector{BindingChange::upsert(b)});
  EXPECT_EQ(st.code, StoreErrc::kBusy);
  EXPECT_EQ(st.sqlite_code & 0xff, SQLITE_BUSY);
  EXPECT_NE(st.message.find(path), std::string::npos) << st.message;
  EXPECT_NE(st.message.find("database is locked"), std::string::npos) << st.message;
  EXPECT_NE(st.message.find("SQLITE_BUSY"), std::string::npos) << st.message;
  // Readers are not blocked by the writer in WAL mode.
  LoadResult during = store.load();
  ASSERT_TRUE(during.status.ok()) << during.status.message;
  EXPECT_TRUE(during.bindings.empty());

  ASSERT_EQ(other.exec("COMMIT"), SQLITE_OK);
  st = store.write(std::vector{BindingChange::upsert(b)});  // the same batch, retried
  ASSERT_TRUE(st.ok()) << st.message;
  EXPECT_EQ(store.load().bindings, std::vector<Binding>{b});
}

TEST_F(SqliteStoreTest, APageCapFailsLikeAFullDiskAndRollsTheBatchBack) {
  std::int64_t pages = store.page_count();
  ASSERT_GT(pages, 0);
  ASSERT_TRUE(store.set_max_page_count(static_cast<std::uint32_t>(pages)).ok());

  std::vector<BindingChange> batch;
  for (int i = 0; i < 200; ++i) {
    Binding b = make_binding(i);
    b.user_agent.assign(300, 'u');
    batch.push_back(BindingChange::upsert(b));
  }
  StoreStatus st = store.write(batch);
  EXPECT_EQ(st.code, StoreErrc::kFull);
  EXPECT_NE(st.message.find("database or disk is full"), std::string::npos) << st.message;
  EXPECT_NE(st.message.find("writing 200 changes"), std::string::npos) << st.message;
  LoadResult after_failure = store.load();
  ASSERT_TRUE(after_failure.status.ok()) << after_failure.status.message;
  EXPECT_TRUE(after_failure.bindings.empty());  // all or nothing
  EXPECT_TRUE(after_failure.known_aors.empty());

  ASSERT_TRUE(store.set_max_page_count(0).ok());  // back to SQLite's own limit
  st = store.write(batch);
  ASSERT_TRUE(st.ok()) << st.message;
  EXPECT_EQ(store.load().bindings.size(), 200u);
}

TEST_F(SqliteStoreTest, ThePageCapCanBeGivenAtOpen) {
  store.close();
  SqliteStore::Options capped;
  capped.max_page_count = 1;  // SQLite keeps it at the file's size: no room to grow
  ASSERT_TRUE(store.open(path, capped).ok());
  std::vector<BindingChange> batch;
  for (int i = 0; i < 100; ++i) {
    Binding b = make_binding(i);
    b.user_agent.assign(300, 'u');
    batch.push_back(BindingChange::upsert(b));
  }
  EXPECT_EQ(store.write(batch).code, StoreErrc::kFull);
}

TEST_F(SqliteStoreTest, UseBeforeOpenIsAnError) {
  SqliteStore closed;
  EXPECT_EQ(closed.write(std::vector{BindingChange::upsert(make_binding(1))}).code, StoreErrc::kNotOpen);
  EXPECT_EQ(closed.load().status.code, StoreErrc::kNotOpen);
  EXPECT_EQ(closed.set_max_page_count(10).code, StoreErrc::kNotOpen);
  EXPECT_EQ(closed.page_count(), -1);
}

TEST_F(SqliteStoreTest, AMovedStoreKeepsItsConnection) {
  ASSERT_TRUE(store.write(std::vector{BindingChange::upsert(make_binding(1))}).ok());
  SqliteStore moved(std::move(store));
  EXPECT_TRUE(moved.is_open());
  EXPECT_EQ(moved.path(), path);
  ASSERT_TRUE(moved.write(std::vector{BindingChange::upsert(make_binding(2))}).ok());
  SqliteStore assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.load().bindings.size(), 2u);
}

TEST(SqliteStoreOpen, CreatesMissingDirectories) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.file("var/lib/trapezoid/bindings.db");
  SqliteStore store;
  StoreStatus st = store.open(path);
  ASSERT_TRUE(st.ok()) << st.message;
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(SqliteStoreOpen, ADirectoryThatCannotBeCreatedIsAClearError) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string blocker = dir.file("plain-file");
  std::ofstream(blocker) << "not a directory";
  SqliteStore store;
  StoreStatus st = store.open(blocker + "/sub/bindings.db");
  EXPECT_EQ(st.code, StoreErrc::kCannotCreateDir);
  EXPECT_NE(st.message.find("cannot create directory"), std::string::npos) << st.message;
  EXPECT_NE(st.message.find(blocker), std::string::npos) << st.message;
  EXPECT_FALSE(store.is_open());
}

TEST(SqliteStoreOpen, AFileThatIsNotADatabaseIsAClearError) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.file("bindings.db");
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 200; ++i) out << "this is a text file, not an SQLite database\n";
  }
  SqliteStore store;
  StoreStatus st = store.open(path);
  EXPECT_EQ(st.code, StoreErrc::kNotADatabase);
  EXPECT_NE(st.message.find(path), std::string::npos) << st.message;
  EXPECT_NE(st.message.find("file is not a database"), std::string::npos) << st.message;
  EXPECT_FALSE(store.is_open());
}

TEST(SqliteStoreOpen, ADirectoryInsteadOfAFileCannotBeOpened) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  SqliteStore store;
  StoreStatus st = store.open(dir.path().string());
  EXPECT_EQ(st.code, StoreErrc::kCannotOpen);
  EXPECT_NE(st.message.find(dir.path().string()), std::string::npos) << st.message;
}

TEST(SqliteStoreOpen, AnEmptyPathIsRefused) {
  SqliteStore store;
  EXPECT_EQ(store.open("").code, StoreErrc::kInvalidArgument);
  EXPECT_EQ(store.open(std::string_view("a\0b", 3)).code, StoreErrc::kInvalidArgument);
}

TEST(SqliteStoreOpen, ADatabaseOfAnotherProgramIsRefused) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.file("other.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE invoices (id INTEGER)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  SqliteStore store;
  StoreStatus st = store.open(path);
  EXPECT_EQ(st.code, StoreErrc::kSchemaMismatch);
  EXPECT_NE(st.message.find("invoices"), std::string::npos) << st.message;
}

TEST(SqliteStoreOpen, ANewerSchemaVersionIsRefused) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.file("bindings.db");
  {
    SqliteStore store;
    ASSERT_TRUE(store.open(path).ok());
  }
  {
    RawDb raw(path);
    ASSERT_EQ(raw.exec("UPDATE schema_version SET version = 99"), SQLITE_OK);
  }
  SqliteStore store;
  StoreStatus st = store.open(path);
  EXPECT_EQ(st.code, StoreErrc::kSchemaMismatch);
  EXPECT_NE(st.message.find("schema version 99"), std::string::npos) << st.message;
}

TEST(SqliteError, ExtendedCodesMapToWhatTheWriterMustDo) {
  using detail::classify_sqlite;
  EXPECT_EQ(classify_sqlite(SQLITE_BUSY), StoreErrc::kBusy);
  EXPECT_EQ(classify_sqlite(SQLITE_BUSY_SNAPSHOT), StoreErrc::kBusy);
  EXPECT_EQ(classify_sqlite(SQLITE_LOCKED_SHAREDCACHE), StoreErrc::kBusy);
  EXPECT_EQ(classify_sqlite(SQLITE_FULL), StoreErrc::kFull);
  EXPECT_EQ(classify_sqlite(SQLITE_IOERR_WRITE), StoreErrc::kIo);
  EXPECT_EQ(classify_sqlite(SQLITE_IOERR_FSYNC), StoreErrc::kIo);
  EXPECT_EQ(classify_sqlite(SQLITE_READONLY_DBMOVED), StoreErrc::kReadOnly);
  EXPECT_EQ(classify_sqlite(SQLITE_CANTOPEN_ISDIR), StoreErrc::kCannotOpen);
  EXPECT_EQ(classify_sqlite(SQLITE_NOTADB), StoreErrc::kNotADatabase);
  EXPECT_EQ(classify_sqlite(SQLITE_CORRUPT), StoreErrc::kCorrupt);
  EXPECT_EQ(classify_sqlite(SQLITE_CONSTRAINT_CHECK), StoreErrc::kInvalidArgument);
  EXPECT_EQ(classify_sqlite(SQLITE_NOMEM), StoreErrc::kOther);
}

TEST(SqliteError, TheMessageNamesTheFileTheStepAndTheCode) {
  StoreStatus st = detail::sqlite_error("/data/b.db", "writing 3 changes", SQLITE_IOERR_WRITE, "disk I/O error");
  EXPECT_EQ(st.code, StoreErrc::kIo);
  EXPECT_EQ(st.sqlite_code, SQLITE_IOERR_WRITE);
  EXPECT_EQ(st.message, "/data/b.db: writing 3 changes: disk I/O error (SQLITE_IOERR, extended code " +
                            std::to_string(SQLITE_IOERR_WRITE) + ")");
  // Without SQLite's message, its generic text for the code.
  StoreStatus busy = detail::sqlite_error("/data/b.db", "opening", SQLITE_BUSY, "");
  EXPECT_EQ(busy.message, "/data/b.db: opening: database is locked (SQLITE_BUSY)");
  // A code that is not an error is still reported as a failure, never as ok.
  EXPECT_FALSE(detail::sqlite_error("/data/b.db", "stepping", SQLITE_ROW, "").ok());
}

TEST(StoreStatus, ErrorCodesHaveNames) {
  EXPECT_EQ(to_string(StoreErrc::kBusy), "database busy");
  EXPECT_EQ(to_string(StoreErrc::kFull), "database or disk full");
  EXPECT_EQ(to_string(StoreErrc::kNotADatabase), "not a database");
}

}  // namespace
}  // namespace trapezoid::store
