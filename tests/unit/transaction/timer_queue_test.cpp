#include "transaction/timer_queue.hpp"
#include "transaction/transaction_effects.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace trapezoid::transaction {
namespace {

using namespace std::chrono_literals;

TEST(TimerQueue, EmptyHasNoDeadline) {
  TimerQueue q;
  EXPECT_FALSE(q.next_deadline().has_value());
  EXPECT_EQ(q.run_due(TimePoint{} + 1h, [](const TimerEntry&) { FAIL(); }), 0u);
}

TEST(TimerQueue, RunsDueEntriesEarliestFirst) {
  TimerQueue q;
  const TimePoint t0{};
  q.schedule(t0 + 300ms, 3, TimerKind::kB, 1);
  q.schedule(t0 + 100ms, 1, TimerKind::kA, 1);
  q.schedule(t0 + 200ms, 2, TimerKind::kE, 1);
  EXPECT_EQ(q.next_deadline(), t0 + 100ms);
  std::vector<std::uint64_t> owners;
  EXPECT_EQ(q.run_due(t0 + 250ms, [&](const TimerEntry& e) { owners.push_back(e.owner); }), 2u);
  EXPECT_EQ(owners, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(q.next_deadline(), t0 + 300ms);
  EXPECT_EQ(q.size(), 1u);
}

TEST(TimerQueue, EqualDeadlinesKeepSchedulingOrder) {
  TimerQueue q;
  const TimePoint t0{};
  for (std::uint64_t i = 0; i < 10; ++i) q.schedule(t0 + 5ms, i, TimerKind::kK, 0);
  std::vector<std::uint64_t> owners;
  q.run_due(t0 + 5ms, [&](const TimerEntry& e) { owners.push_back(e.owner); });
  EXPECT_EQ(owners, (std::vector<std::uint64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(TimerQueue, EntriesScheduledFromTheCallbackRunWhenDue) {
  TimerQueue q;
  const TimePoint t0{};
  q.schedule(t0 + 500ms, 7, TimerKind::kA, 1);
  int fired = 0;
  q.run_due(t0 + 2s, [&](const TimerEntry& e) {
    ++fired;
    q.schedule(e.deadline + 1s, e.owner, e.kind, e.generation + 1);  // 1.5 s due, 2.5 s not
  });
  EXPECT_EQ(fired, 2);
  EXPECT_EQ(q.next_deadline(), t0 + 2500ms);
}

TEST(TimerQueue, CarriesKindAndGeneration) {
  TimerQueue q;
  q.schedule(TimePoint{}, 9, TimerKind::kH, 42);
  q.run_due(TimePoint{}, [](const TimerEntry& e) {
    EXPECT_EQ(e.owner, 9u);
    EXPECT_EQ(e.kind, TimerKind::kH);
    EXPECT_EQ(e.generation, 42u);
  });
  EXPECT_TRUE(q.empty());
}

TEST(TimerSlots, ArmAndCancelBumpTheGeneration) {
  TimerSlots slots;
  const auto g1 = slots.arm(TimerKind::kA);
  EXPECT_TRUE(slots.is_current(TimerKind::kA, g1));
  const auto g2 = slots.arm(TimerKind::kA);
  EXPECT_FALSE(slots.is_current(TimerKind::kA, g1));
  EXPECT_TRUE(slots.is_current(TimerKind::kA, g2));
  slots.cancel(TimerKind::kA);
  EXPECT_FALSE(slots.is_current(TimerKind::kA, g2));
  EXPECT_TRUE(slots.is_current(TimerKind::kB, 0));  // kinds are independent
}

}  // namespace
}  // namespace trapezoid::transaction
