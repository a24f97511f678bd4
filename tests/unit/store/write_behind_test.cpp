#include "store/write_behind.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store_test_support.hpp"

namespace trapezoid::store {
namespace {

using namespace std::chrono_literals;
using registrar::Binding;
using test::eventually;
using test::load_file;
using test::LogRecorder;
using test::make_binding;
using test::RawDb;
using test::TempDir;

class WriteBehindTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir.ok());
    path = dir.file("bindings.db");
  }

  // A store on `path` that fails at once on a lock (no busy wait), so tests stay fast.
  std::unique_ptr<WriteBehindStore> make(WriteBehindStore::Options options) {
    SqliteStore db;
    SqliteStore::Options db_options;
    db_options.busy_timeout = 0ms;
    StoreStatus st = db.open(path, db_options);
    EXPECT_TRUE(st.ok()) << st.message;
    return std::make_unique<WriteBehindStore>(std::move(db), options, log.sink());
  }

  static WriteBehindStore::Options interval(std::chrono::milliseconds flush_interval) {
    WriteBehindStore::Options o;
    o.flush_interval = flush_interval;
    o.retry_initial = 10ms;
    o.retry_max = 50ms;
    o.shutdown_wait = 500ms;
    return o;
  }

  std::size_t stored_count() {
    LoadResult r = load_file(path);
    return r.status.ok() ? r.bindings.size() : 0;
  }

  TempDir dir;
  std::string path;
  LogRecorder log;
};

TEST_F(WriteBehindTest, TheThreadWritesQueuedChangesAfterTheInterval) {
  auto store = make(interval(20ms));
  for (int i = 0; i < 3; ++i) store->on_upsert(make_binding(i));
  EXPECT_TRUE(eventually([&] { return stored_count() == 3; })) << log.all();
  EXPECT_TRUE(eventually([&] { return store->stats().pending == 0; }));
  WriteBehindStats s = store->stats();
  EXPECT_GE(s.batches_written, 1u);
  EXPECT_EQ(s.changes_written, 3u);
  EXPECT_FALSE(s.failing);
  EXPECT_TRUE(s.last_error.ok());
}

TEST_F(WriteBehindTest, ChangesWithinAnIntervalAreCoalescedIntoOneBatch) {
  auto store = make(interval(10s));  // only flush() writes in this test
  Binding a0 = make_binding(1, 0), a1 = make_binding(1, 1), a2 = make_binding(1, 2);
  Binding b = make_binding(4), c = make_binding(7);
  store->on_upsert(a0);
  store->on_upsert(a1);
  store->on_upsert(b);
  store->on_upsert(a2);
  store->on_remove(b.aor, b.contact);
  store->on_upsert(c);
  EXPECT_EQ(store->stats().pending, 3u);  // a, b, c
  EXPECT_EQ(stored_count(), 0u);          // nothing written before the interval

  StoreStatus st = store->flush();
  ASSERT_TRUE(st.ok()) << st.message;
  WriteBehindStats s = store->stats();
  EXPECT_EQ(s.pending, 0u);
  EXPECT_EQ(s.batches_written, 1u);
  EXPECT_EQ(s.changes_written, 3u);

  LoadResult loaded = load_file(path);
  ASSERT_TRUE(loaded.status.ok());
  EXPECT_EQ(loaded.bindings, (std::vector<Binding>{a2, c}));
  // b's upsert was coalesced away by its removal: the store never heard of b's AoR.
  EXPECT_EQ(loaded.known_aors, (std::vector<std::string>{a2.aor, c.aor}));
  EXPECT_TRUE(store->flush().ok());  // nothing pending: no empty transaction
  EXPECT_EQ(store->stats().batches_written, 1u);
}

TEST_F(WriteBehindTest, IntervalZeroWritesBeforeOnUpsertAndOnRemoveReturn) {
  auto store = make(interval(0ms));
  for (int i = 0; i < 4; ++i) {
    store->on_upsert(make_binding(i));
    EXPECT_EQ(stored_count(), static_cast<std::size_t>(i + 1));
    EXPECT_EQ(store->stats().pending, 0u);
  }
  Binding gone = make_binding(2);
  store->on_remove(gone.aor, gone.contact);
  EXPECT_EQ(stored_count(), 3u);
  EXPECT_EQ(store->stats().batches_written, 5u);
}

TEST_F(WriteBehindTest, TheDestructorWritesWhatIsPending) {
  {
    auto store = make(interval(10s));
    for (int i = 0; i < 5; ++i) store->on_upsert(make_binding(i));
    EXPECT_EQ(stored_count(), 0u);
  }
  EXPECT_EQ(stored_count(), 5u);
  EXPECT_FALSE(log.has(Severity::kError, "")) << log.all();
}

TEST_F(WriteBehindTest, ALockedDatabaseKeepsChangesPendingThenCatchesUp) {
  auto store = make(interval(20ms));
  RawDb other(path);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other.exec("BEGIN EXCLUSIVE"), SQLITE_OK);

  store->on_upsert(make_binding(1));
  store->on_upsert(make_binding(2));
  StoreStatus st = store->flush();
  EXPECT_EQ(st.code, StoreErrc::kBusy);
  WriteBehindStats s = store->stats();
  EXPECT_EQ(s.pending, 2u);
  EXPECT_TRUE(s.failing);
  EXPECT_EQ(s.last_error.code, StoreErrc::kBusy);
  EXPECT_TRUE(log.has(Severity::kError, "cannot write 2 changes")) << log.all();
  EXPECT_TRUE(log.has(Severity::kError, "database is locked")) << log.all();
  EXPECT_TRUE(log.has(Severity::kError, path)) << log.all();

  // The thread keeps retrying on its own while the lock is held.
  EXPECT_TRUE(eventually([&] { return store->stats().failed_writes >= 3; })) << log.all();
  store->on_upsert(make_binding(3));  // still accepted: the server serves from memory
  EXPECT_EQ(store->stats().pending, 3u);
  EXPECT_EQ(stored_count(), 0u);

  ASSERT_EQ(other.exec("COMMIT"), SQLITE_OK);
  EXPECT_TRUE(eventually([&] { return store->stats().pending == 0 && !store->stats().failing; })) << log.all();
  // The line is logged just after the stats change, outside the queue's lock.
  EXPECT_TRUE(eventually([&] { return log.has(Severity::kWarning, "caught up"); })) << log.all();
  EXPECT_TRUE(log.has(Severity::kWarning, "wrote 3 changes")) << log.all();
  EXPECT_EQ(stored_count(), 3u);
  s = store->stats();
  EXPECT_EQ(s.changes_written, 3u);
  EXPECT_EQ(s.last_error.code, StoreErrc::kBusy);  // kept for the operator after recovery
}

TEST_F(WriteBehindTest, AFullDiskKeepsChangesPendingThenCatchesUp) {
  auto store = make(interval(20ms));
  StoreStatus capped = store->with_store(
      [](SqliteStore& db) { return db.set_max_page_count(static_cast<std::uint32_t>(db.page_count())); });
  ASSERT_TRUE(capped.ok()) << capped.message;

  for (int i = 0; i < 200; ++i) {
    Binding b = make_binding(i);
    b.user_agent.assign(300, 'u');
    store->on_upsert(b);
  }
  StoreStatus st = store->flush();
  EXPECT_EQ(st.code, StoreErrc::kFull);
  EXPECT_EQ(store->stats().pending, 200u);
  EXPECT_TRUE(log.has(Severity::kError, "database or disk is full")) << log.all();
  EXPECT_TRUE(log.has(Severity::kError, "serving from memory")) << log.all();
  EXPECT_EQ(stored_count(), 0u);

  StoreStatus raised = store->with_store([](SqliteStore& db) { return db.set_max_page_count(0); });
  ASSERT_TRUE(raised.ok()) << raised.message;
  EXPECT_TRUE(eventually([&] { return store->stats().pending == 0; })) << log.all();
  EXPECT_TRUE(eventually([&] { return log.has(Severity::kWarning, "wrote 200 changes"); })) << log.all();
  EXPECT_EQ(stored_count(), 200u);
}

TEST_F(WriteBehindTest, WhileFailingIntervalZeroOnlyQueues) {
  WriteBehindStore::Options o = interval(0ms);
  o.retry_initial = 10s;  // no background retry during the test
  o.retry_max = 10s;
  auto store = make(o);
  RawDb other(path);
  ASSERT_EQ(other.exec("BEGIN EXCLUSIVE"), SQLITE_OK);

  store->on_upsert(make_binding(1));  // tries, fails, logs
  EXPECT_EQ(store->stats().failed_writes, 1u);
  store->on_upsert(make_binding(2));  // does not wait on the broken store again
  store->on_upsert(make_binding(3));
  WriteBehindStats s = store->stats();
  EXPECT_EQ(s.failed_writes, 1u);
  EXPECT_EQ(s.pending, 3u);

  ASSERT_EQ(other.exec("COMMIT"), SQLITE_OK);
  StoreStatus st = store->flush();
  ASSERT_TRUE(st.ok()) << st.message;
  EXPECT_TRUE(log.has(Severity::kWarning, "caught up after 1 failed attempts")) << log.all();
  EXPECT_EQ(stored_count(), 3u);
  store->on_upsert(make_binding(4));  // synchronous again
  EXPECT_EQ(stored_count(), 4u);
}

TEST_F(WriteBehindTest, TheDestructorGivesUpAfterShutdownWaitAndSaysWhatIsLost) {
  WriteBehindStore::Options o = interval(10s);
  o.shutdown_wait = 100ms;
  auto store = make(o);
  RawDb other(path);  // outlives the store: the lock is held through its destructor
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other.exec("BEGIN EXCLUSIVE"), SQLITE_OK);
  store->on_upsert(make_binding(1));
  store->on_upsert(make_binding(2));
  auto start = std::chrono::steady_clock::now();
  store.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_TRUE(log.has(Severity::kError, "2 changes could not be written before shutdown and are lost")) << log.all();
  ASSERT_EQ(other.exec("COMMIT"), SQLITE_OK);
  EXPECT_EQ(stored_count(), 0u);
}

TEST_F(WriteBehindTest, ABindingTheStoreCannotHoldIsLoggedAndDropped) {
  auto store = make(interval(10s));
  Binding bad = make_binding(1);
  bad.q = 5000;
  store->on_upsert(bad);
  store->on_remove("", "sip:x@h");
  EXPECT_EQ(store->stats().pending, 0u);
  EXPECT_TRUE(log.has(Severity::kError, "q 5000")) << log.all();
  EXPECT_TRUE(log.has(Severity::kError, "empty AoR")) << log.all();
}

TEST_F(WriteBehindTest, ManyThreadsQueueAtOnce) {
  auto store = make(interval(5ms));
  constexpr int kThreads = 4, kEach = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        store->on_upsert(make_binding(t * kEach + i, 0));
        store->on_upsert(make_binding(t * kEach + i, 1));  // refresh: coalesced or rewritten
      }
    });
  }
  for (std::thread& th : threads) th.join();
  ASSERT_TRUE(store->flush().ok());
  LoadResult loaded = load_file(path);
  ASSERT_TRUE(loaded.status.ok());
  ASSERT_EQ(loaded.bindings.size(), static_cast<std::size_t>(kThreads * kEach));
  for (const Binding& b : loaded.bindings) EXPECT_EQ(b.cseq, 101u);  // the refresh won
}

}  // namespace
}  // namespace trapezoid::store
