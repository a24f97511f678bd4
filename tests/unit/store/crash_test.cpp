// kill -9 of a process writing bindings: what was committed is there, the file is not corrupt.
// Each test forks a child that runs a WriteBehindStore and dies by SIGKILL; the parent (which
// has no connection open at the fork) reopens the file.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
#include <thread>

#include "store/sqlite_store.hpp"
#include "store/write_behind.hpp"
#include "store_test_support.hpp"

namespace trapezoid::store {
namespace {

using namespace std::chrono_literals;
using registrar::Binding;
using test::make_binding;
using test::RawDb;
using test::TempDir;

constexpr int kFlushed = 40;       // written and flush()ed
constexpr int kByThread = 30;      // written by the background thread
constexpr int kUnflushed = 25;     // queued, never written

// The child's exit codes when something fails before the kill (the parent reports them).
enum ChildFailure { kOpenFailed = 10, kFlushFailed, kThreadDidNotWrite, kPipeFailed };

void tell(int fd, char c) {
  if (write(fd, &c, 1) != 1) _exit(kPipeFailed);
}

// Waits up to `timeout` for one byte from the child; 0 when none came.
char hear(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(timeout.count())) != 1) return 0;
  char c = 0;
  return read(fd, &c, 1) == 1 ? c : 0;
}


// Index i of a make_binding(i) from its contact "sip:user@192.0.2.<i>:5060;...", or -1.
int index_of(const Binding& b) {
  constexpr std::string_view prefix = "sip:user@192.0.2.";
  if (b.contact.rfind(prefix, 0) != 0) return -1;
  return std::stoi(b.contact.substr(prefix.size()));
}

struct Reopened {
  std::string integrity;
  LoadResult loaded;
};

Reopened reopen(const std::string& path) {
  Reopened r;
  {
    RawDb raw(path);
    r.integrity = raw.text("PRAGMA integrity_check");
  }
  SqliteStore store;
  r.loaded.status = store.open(path);
  if (r.loaded.status.ok()) r.loaded = store.load();
  return r;
}

class KillNine : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir.ok());
    path = dir.file("bindings.db");
    ASSERT_EQ(pipe(fds), 0);
  }
  void TearDown() override {
    if (fds[0] >= 0) close(fds[0]);
    if (fds[1] >= 0) close(fds[1]);
  }

  // In the child: opens the store, writes and flushes kFlushed bindings, tells 'F'.
  [[nodiscard]] std::unique_ptr<WriteBehindStore> child_start(std::chrono::milliseconds interval) {
    close(fds[0]);
    SqliteStore db;
    if (!db.open(path).ok()) _exit(kOpenFailed);
    WriteBehindStore::Options o;
    o.flush_interval = interval;
    auto store = std::make_unique<WriteBehindStore>(std::move(db), o, StoreLog{});
    for (int i = 0; i < kFlushed; ++i) store->on_upsert(make_binding(i));
    if (!store->flush().ok()) _exit(kFlushFailed);
    tell(fds[1], 'F');
    return store;
  }

  // In the parent: the child's end.
  void expect_killed(pid_t pid) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with code " << WEXITSTATUS(status);
    EXPECT_EQ(WTERMSIG(status), SIGKILL);
  }

  TempDir dir;
  std::string path;
  int fds[2] = {-1, -1};
};

TEST_F(KillNine, ChangesNotYetFlushedAreLostAndFlushedOnesAreIntact) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto store = child_start(10s);  // the interval never passes before the kill
    for (int i = kFlushed; i < kFlushed + kUnflushed; ++i) store->on_upsert(make_binding(i));
    raise(SIGKILL);
    _exit(0);  // not reached
  }
  close(fds[1]);
  fds[1] = -1;
  EXPECT_EQ(hear(fds[0], 10s), 'F');
  expect_killed(pid);

  Reopened r = reopen(path);
  EXPECT_EQ(r.integrity, "ok");
  ASSERT_TRUE(r.loaded.status.ok()) << r.loaded.status.message;
  ASSERT_EQ(r.loaded.bindings.size(), static_cast<std::size_t>(kFlushed));
  for (const Binding& b : r.loaded.bindings) EXPECT_EQ(b, make_binding(index_of(b)));
}

TEST_F(KillNine, AKillDuringSteadyWritesKeepsEveryCommittedBatchWhole) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto store = child_start(10ms);
    for (int i = kFlushed; i < kFlushed + kByThread; ++i) store->on_upsert(make_binding(i));
    // No flush(): the background thread must write them within its interval.
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (store->stats().pending != 0) {
      if (std::chrono::steady_clock::now() > deadline) _exit(kThreadDidNotWrite);
      std::this_thread::sleep_for(1ms);
    }
    tell(fds[1], 'W');
    // Keep registering until the parent kills us, mid-batch or between batches.
    for (int i = kFlushed + kByThread; i < 250; ++i) {
      store->on_upsert(make_binding(i));
      std::this_thread::sleep_for(500us);
    }
    for (;;) std::this_thread::sleep_for(1s);  // the parent's SIGKILL ends this
  }
  close(fds[1]);
  fds[1] = -1;
  EXPECT_EQ(hear(fds[0], 10s), 'F');
  EXPECT_EQ(hear(fds[0], 10s), 'W');
  std::this_thread::sleep_for(40ms);
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  expect_killed(pid);

  Reopened r = reopen(path);
  EXPECT_EQ(r.integrity, "ok");
  ASSERT_TRUE(r.loaded.status.ok()) << r.loaded.status.message;
  // Everything flushed or written by the thread is there; of the stream that was cut, the
  // bindings present are a prefix (whole batches), each with every field intact.
  std::vector<bool> seen(250, false);
  for (const Binding& b : r.loaded.bindings) {
    int i = index_of(b);
    ASSERT_GE(i, 0);
    ASSERT_LT(i, 250);
    EXPECT_EQ(b, make_binding(i));
    seen[static_cast<std::size_t>(i)] = true;
  }
  std::size_t n = r.loaded.bindings.size();
  ASSERT_GE(n, static_cast<std::size_t>(kFlushed + kByThread));
  for (std::size_t i = 0; i < n; ++i) EXPECT_TRUE(seen[i]) << "binding " << i << " missing below " << n;
}

}  // namespace
}  // namespace trapezoid::store
