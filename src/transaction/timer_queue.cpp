#include "transaction/timer_queue.hpp"

#include <algorithm>

namespace trapezoid::transaction {
namespace {

// std::push_heap builds a max-heap: "later" ranks lower, so the earliest entry is on top.
bool later(const TimerEntry& a, const TimerEntry& b) noexcept {
  if (a.deadline != b.deadline) return a.deadline > b.deadline;
  return a.sequence > b.sequence;
}

}  // namespace

void TimerQueue::schedule(TimePoint deadline, std::uint64_t owner, TimerKind kind,
                          std::uint32_t generation) {
  if (!earliest_scheduled_ || deadline < *earliest_scheduled_) earliest_scheduled_ = deadline;
  heap_.push_back(TimerEntry{deadline, owner, kind, generation, sequence_++});
  std::push_heap(heap_.begin(), heap_.end(), later);
}

std::optional<TimePoint> TimerQueue::next_deadline() const noexcept {
  if (heap_.empty()) return std::nullopt;
  return heap_.front().deadline;
}

TimerEntry TimerQueue::pop() {
  std::pop_heap(heap_.begin(), heap_.end(), later);
  TimerEntry e = heap_.back();
  heap_.pop_back();
  return e;
}

}  // namespace trapezoid::transaction
