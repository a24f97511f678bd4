#include "store/write_behind.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace trapezoid::store {
namespace {

std::string changes_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " change" : " changes"); }

std::string seconds_text(std::chrono::steady_clock::duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f s", std::chrono::duration<double>(d).count());
  return buf;
}

}  // namespace

WriteBehindStore::WriteBehindStore(SqliteStore store, Options options, StoreLog log)
    : store_(std::move(store)),
      options_(options),
      log_(std::move(log)),
      backoff_(options.retry_initial, options.retry_max),
      thread_([this] { run(); }) {}

WriteBehindStore::~WriteBehindStore() {
  {
    std::lock_guard lock(queue_mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();

  // What is still queued gets a bounded number of last attempts.
  const Clock::time_point deadline = Clock::now() + options_.shutdown_wait;
  StoreStatus st = write_pending();
  while (!st.ok() && Clock::now() < deadline) {
    Clock::duration wait = std::min<Clock::duration>(options_.retry_initial, deadline - Clock::now());
    std::this_thread::sleep_for(wait);
    st = write_pending();
  }
  if (!st.ok()) {
    std::size_t lost = stats().pending;
    log(Severity::kError, "bindings store: " + changes_text(lost) + " could not be written before shutdown and are lost: " +
                              st.message);
  }
}

void WriteBehindStore::log(Severity severity, std::string_view line) const {
  if (log_) log_(severity, line);
}

template <class Enqueue>
void WriteBehindStore::queue(Enqueue&& enqueue) {
  bool write_now = false;
  bool notify = false;
  {
    std::lock_guard lock(queue_mutex_);
    enqueue(pending_);
    if (options_.flush_interval.count() <= 0) {
      // Synchronous, unless writes are failing: then the retries catch up in the background.
      write_now = !failing_;
    } else if (!batch_due_) {
      batch_due_ = Clock::now() + options_.flush_interval;
      notify = true;
    }
  }
  if (notify) wake_.notify_one();
  if (write_now) (void)write_pending();  // a failure is logged and retried by the thread
}

void WriteBehindStore::on_upsert(const registrar::Binding& b) {
  // Checked here, not at write time: a binding the schema refuses would fail its batch forever.
  if (std::string why = binding_problem(BindingChange::Kind::kUpsert, b); !why.empty()) {
    log(Severity::kError, "bindings store: dropped a binding that cannot be stored: " + why);
    return;
  }
  queue([&](PendingChanges& p) { p.upsert(b); });
}

void WriteBehindStore::on_remove(std::string_view aor, std::string_view contact) {
  if (aor.empty() || contact.empty()) {
    log(Severity::kError, "bindings store: dropped a removal with an empty AoR or contact");
    return;
  }
  queue([&](PendingChanges& p) { p.remove(aor, contact); });
}

StoreStatus WriteBehindStore::flush() { return write_pending(); }

WriteBehindStats WriteBehindStore::stats() const {
  std::lock_guard lock(queue_mutex_);
  WriteBehindStats s;
  s.pending = pending_.size() + in_flight_;
  s.batches_written = batches_written_;
  s.changes_written = changes_written_;
  s.failed_writes = failed_writes_;
  s.failing = failing_;
  s.last_error = last_error_;
  return s;
}

StoreStatus WriteBehindStore::write_pending() {
  std::lock_guard write_lock(write_mutex_);
  std::vector<BindingChange> batch;
  {
    std::lock_guard lock(queue_mutex_);
    batch = pending_.take();
    in_flight_ = batch.size();
    batch_due_.reset();
    if (batch.empty()) {
      // Nothing left to catch up with (e.g. another writer took it): not failing any more.
      failing_ = false;
      backoff_.reset();
      return StoreStatus::success();
    }
  }

  // The disk work runs without queue_mutex_: on_upsert keeps queueing meanwhile.
  StoreStatus st = store_.write(batch);
  const std::size_t n = batch.size();
  const Clock::time_point now = Clock::now();
  std::string line;
  Severity severity = Severity::kInfo;
  {
    std::lock_guard lock(queue_mutex_);
    in_flight_ = 0;
    if (st.ok()) {
      ++batches_written_;
      changes_written_ += n;
      if (failing_) {
        line = "bindings store: caught up after " + std::to_string(backoff_.failures()) + " failed attempts over " +
               seconds_text(now - failing_since_) + ": wrote " + changes_text(n) + " to " + store_.path();
        severity = Severity::kWarning;
        failing_ = false;
        backoff_.reset();
      }
    } else {
      pending_.restore(std::move(batch));
      ++failed_writes_;
      last_error_ = st;
      if (!failing_) failing_since_ = now;
      const auto delay = backoff_.next();
      retry_at_ = now + delay;
      severity = Severity::kError;
      line = "bindings store: " + std::string(failing_ ? "still cannot write" : "cannot write") + " " +
             changes_text(n) + " (attempt " + std::to_string(backoff_.failures()) +
             "); serving from memory with " + changes_text(pending_.size()) + " pending, retrying in " +
             std::to_string(delay.count()) + " ms: " + st.message;
      failing_ = true;
    }
  }
  if (!st.ok()) wake_.notify_one();  // the thread schedules the retry
  if (!line.empty()) log(severity, line);
  return st;
}

void WriteBehindStore::run() {
  std::unique_lock lock(queue_mutex_);
  while (!stop_) {
    std::optional<Clock::time_point> due = failing_ ? std::optional(retry_at_) : batch_due_;
    if (!due) {
      wake_.wait(lock);
      continue;
    }
    if (Clock::now() < *due) {
      wake_.wait_until(lock, *due);
      continue;  // woken early or on time: look again
    }
    lock.unlock();
    (void)write_pending();  // errors are logged and rescheduled inside
    lock.lock();
  }
}

}  // namespace trapezoid::store
