// The worker's wake-up timer (TransportWorker::wake_at): runs on the worker's thread, once,
// and a re-armed or cancelled wake-up never runs its old function.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "test_worker.hpp"

namespace trapezoid::transport {
namespace {

using namespace testing;
using Clock = std::chrono::steady_clock;

TEST(WorkerWake, RunsOnTheWorkerThreadAtTheDeadline) {
  Recorder rec;
  RunningWorker w(rec);
  ASSERT_FALSE(w.start_error);
  std::promise<std::thread::id> ran;
  const auto start = Clock::now();
  w.worker.wake_at(start + 30ms, [&] { ran.set_value(std::this_thread::get_id()); });
  std::future<std::thread::id> f = ran.get_future();
  ASSERT_EQ(f.wait_for(3s), std::future_status::ready);
  EXPECT_GE(Clock::now() - start, 30ms);
  EXPECT_NE(f.get(), std::this_thread::get_id());
}

TEST(WorkerWake, APassedDeadlineRunsAtOnce) {
  Recorder rec;
  RunningWorker w(rec);
  std::atomic<int> runs{0};
  w.worker.wake_at(Clock::now() - 1s, [&] { ++runs; });
  EXPECT_TRUE(eventually([&] { return runs.load() == 1; }));
}

TEST(WorkerWake, ReArmingReplacesThePendingWakeUp) {
  Recorder rec;
  RunningWorker w(rec);
  std::atomic<int> first{0};
  std::atomic<int> second{0};
  w.worker.wake_at(Clock::now() + 50ms, [&] { ++first; });
  w.worker.wake_at(Clock::now() + 10ms, [&] { ++second; });
  ASSERT_TRUE(eventually([&] { return second.load() == 1; }));
  std::this_thread::sleep_for(150ms);  // well past the replaced deadline
  EXPECT_EQ(first.load(), 0);
  EXPECT_EQ(second.load(), 1);
}

TEST(WorkerWake, AWakeUpMayArmTheNext) {
  Recorder rec;
  RunningWorker w(rec);
  std::atomic<int> runs{0};
  std::function<void()> tick = [&] {
    if (++runs < 3) w.worker.wake_at(Clock::now() + 5ms, tick);
  };
  w.worker.wake_at(Clock::now() + 5ms, tick);
  EXPECT_TRUE(eventually([&] { return runs.load() == 3; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(runs.load(), 3);
}

TEST(WorkerWake, CancelledWakeUpNeverRuns) {
  Recorder rec;
  RunningWorker w(rec);
  std::atomic<int> runs{0};
  w.worker.wake_at(Clock::now() + 30ms, [&] { ++runs; });
  w.worker.cancel_wake();
  std::promise<void> flushed;  // posted after both: the worker has handled them
  w.worker.post([&] { flushed.set_value(); });
  ASSERT_EQ(flushed.get_future().wait_for(3s), std::future_status::ready);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(runs.load(), 0);
}

TEST(WorkerWake, PendingWakeUpIsDroppedWithTheWorker) {
  Recorder rec;
  std::atomic<int> runs{0};
  {
    RunningWorker w(rec);
    w.worker.wake_at(Clock::now() + 1h, [&] { ++runs; });
  }
  EXPECT_EQ(runs.load(), 0);
}

}  // namespace
}  // namespace trapezoid::transport
