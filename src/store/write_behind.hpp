// The location service's BindingSink that writes every change through to a SqliteStore in
// batches, on a background thread, so that a REGISTER never waits for the disk.
//
//   SqliteStore db;
//   if (StoreStatus st = db.open(path); !st.ok()) die(st.message);
//   LoadResult loaded = db.load();
//   WriteBehindStore store(std::move(db), {.flush_interval = 200ms},
//                          [&](Severity s, std::string_view line) { logger.log(s, line); });
//   registrar::LocationService service(config, &store);  // on_upsert / on_remove from now on
//   service.load(loaded.bindings);                        // no sink calls for these
//   service.add_known(loaded.known_aors);
//
// Changes are queued under a short mutex and coalesced (the last change per aor+contact wins).
// The thread writes them in one transaction at most `flush_interval` after the first of them
// was queued, so kill -9 loses at most the changes of the last interval; a flush_interval of
// 0 writes in on_upsert / on_remove before they return (the location service calls its sink
// under a shard lock, so with 0 the REGISTERs of that shard wait for the disk).
//
// When a write fails (another process holds a lock, the disk is full, an I/O error, a
// read-only file) the error is logged, the changes stay queued (the location service keeps
// serving from memory) and the thread retries with a doubling backoff; the first write that
// works again logs that the store caught up and how many changes it wrote. While writes fail,
// even a flush_interval of 0 only queues: the server does not wait on a broken disk.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include "registrar/binding_sink.hpp"
#include "store/pending_changes.hpp"
#include "store/retry_backoff.hpp"
#include "store/sqlite_store.hpp"

namespace trapezoid::store {

enum class Severity : unsigned char { kInfo, kWarning, kError };

// Where the store reports failures and recoveries; called from the writing thread (the
// background thread, or the caller of flush() / a synchronous on_upsert) while it holds the
// store's write lock, so it must not call flush() or with_store(). May be empty.
using StoreLog = std::function<void(Severity, std::string_view)>;

struct WriteBehindStats {
  std::size_t pending = 0;            // changes not yet written (queued or being written)
  std::uint64_t batches_written = 0;  // transactions committed
  std::uint64_t changes_written = 0;  // changes in them
  std::uint64_t failed_writes = 0;    // attempts that failed
  bool failing = false;               // the last attempt failed; retries are scheduled
  StoreStatus last_error;             // the most recent failure (kept after recovery), or ok
};

class WriteBehindStore final : public registrar::BindingSink {
 public:
  struct Options {
    // How long a change may wait before it is written; 0: written before on_upsert returns.
    std::chrono::milliseconds flush_interval{200};
    // The backoff between failed attempts: doubling from retry_initial up to retry_max.
    std::chrono::milliseconds retry_initial{100};
    std::chrono::milliseconds retry_max{10'000};
    // How long the destructor keeps retrying what is still pending before giving up.
    std::chrono::milliseconds shutdown_wait{2'000};
  };

  // `store` should be open; writes to a closed one fail (and are logged) like any other.
  WriteBehindStore(SqliteStore store, Options options, StoreLog log);
  // Stops the thread and writes what is pending, retrying for up to shutdown_wait; what
  // still cannot be written is logged as lost.
  ~WriteBehindStore() override;
  WriteBehindStore(const WriteBehindStore&) = delete;
  WriteBehindStore& operator=(const WriteBehindStore&) = delete;

  // registrar::BindingSink. A binding the store cannot hold (binding_problem) is logged and
  // dropped rather than queued.
  void on_upsert(const registrar::Binding& b) override;
  void on_remove(std::string_view aor, std::string_view contact) override;

  // Writes everything pending now, on the calling thread, whatever the interval or backoff.
  // On failure the changes stay pending and the error is returned (and logged).
  [[nodiscard]] StoreStatus flush();

  [[nodiscard]] WriteBehindStats stats() const;

  // Runs f(SqliteStore&) while no write is in progress (e.g. set_max_page_count).
  template <class F>
  decltype(auto) with_store(F&& f) {
    std::lock_guard lock(write_mutex_);
    return std::forward<F>(f)(store_);
  }

 private:
  using Clock = std::chrono::steady_clock;

  // Queues under queue_mutex_ and wakes the thread or, when synchronous, writes.
  template <class Enqueue>
  void queue(Enqueue&& enqueue);
  // Takes every pending change and writes it in one transaction; restores it on failure.
  StoreStatus write_pending();
  void run();
  void log(Severity severity, std::string_view line) const;

  SqliteStore store_;  // guarded by write_mutex_
  const Options options_;
  const StoreLog log_;

  std::mutex write_mutex_;  // one write at a time; taken before queue_mutex_, never after

  mutable std::mutex queue_mutex_;  // guards everything below
  std::condition_variable wake_;
  PendingChanges pending_;
  std::size_t in_flight_ = 0;                    // changes taken by the write in progress
  std::optional<Clock::time_point> batch_due_;   // when the oldest queued change must be written
  bool failing_ = false;
  Clock::time_point retry_at_;
  Clock::time_point failing_since_;
  RetryBackoff backoff_;
  std::uint64_t batches_written_ = 0;
  std::uint64_t changes_written_ = 0;
  std::uint64_t failed_writes_ = 0;
  StoreStatus last_error_;
  bool stop_ = false;

  std::thread thread_;  // last: starts once every member above is ready
};

}  // namespace trapezoid::store
