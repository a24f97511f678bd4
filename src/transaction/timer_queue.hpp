// A worker's pending timers: a min-heap of {deadline, owner, kind, generation}.
//
//   TimerQueue timers;
//   timers.schedule(now + Duration{500}, tx_id, TimerKind::kA, generation);
//   if (auto when = timers.next_deadline()) os_timer.set(*when);   // one OS timer per worker
//   timers.run_due(now, [&](const TimerEntry& e) { fire(e.owner, e.kind, e.generation); });
//
// Cancelling is the owner's business: it bumps its generation for that kind, and the stale
// entry, when it comes due, reaches the callback with an old generation that the owner
// ignores. So arming never allocates past the heap's capacity and cancelling costs nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "transaction/timer_config.hpp"

namespace trapezoid::transaction {

struct TimerEntry {
  TimePoint deadline;
  std::uint64_t owner = 0;
  TimerKind kind = TimerKind::kA;
  std::uint32_t generation = 0;
  std::uint64_t sequence = 0;  // set by schedule(): equal deadlines fire in scheduling order
};

class TimerQueue {
 public:
  void schedule(TimePoint deadline, std::uint64_t owner, TimerKind kind, std::uint32_t generation);

  // The earliest deadline (maybe of a stale entry), or nullopt when nothing is pending.
  [[nodiscard]] std::optional<TimePoint> next_deadline() const noexcept;
  // The earliest deadline scheduled since the last forget_scheduled(): a caller whose OS timer
  // is already set no later than that has nothing to move, and need not read the heap.
  [[nodiscard]] std::optional<TimePoint> earliest_scheduled() const noexcept { return earliest_scheduled_; }
  void forget_scheduled() noexcept { earliest_scheduled_.reset(); }
  [[nodiscard]] std::size_t size() const noexcept { return heap_.size(); }
  [[nodiscard]] bool empty() const noexcept { return heap_.empty(); }

  // Pops entries from the top while stale(const TimerEntry&) says they are, so that
  // next_deadline() names a timer that will really fire. Returns how many were dropped.
  template <class Stale>
  std::size_t drop_stale(Stale&& stale) {
    std::size_t n = 0;
    while (!heap_.empty() && stale(heap_.front())) {
      (void)pop();
      ++n;
    }
    return n;
  }

  // Pops every entry with deadline <= now, earliest first, and calls f(const TimerEntry&).
  // f may schedule new entries; those that are already due run in this call too. Returns how
  // many entries were popped.
  template <class F>
  std::size_t run_due(TimePoint now, F&& f) {
    std::size_t n = 0;
    while (!heap_.empty() && heap_.front().deadline <= now) {
      TimerEntry e = pop();
      ++n;
      f(e);
    }
    return n;
  }

 private:
  TimerEntry pop();

  std::vector<TimerEntry> heap_;
  std::uint64_t sequence_ = 0;
  std::optional<TimePoint> earliest_scheduled_;
};

}  // namespace trapezoid::transaction
