#include "transaction/timer_config.hpp"

#include <gtest/gtest.h>

namespace trapezoid::transaction {
namespace {

using namespace std::chrono_literals;

TEST(TimerConfig, DefaultsFollowTable4) {
  const TimerConfig t;
  EXPECT_EQ(t.T1, 500ms);
  EXPECT_EQ(t.T2, 4s);
  EXPECT_EQ(t.T4, 5s);
  EXPECT_EQ(t.A(), 500ms);
  EXPECT_EQ(t.B(), 32s);
  EXPECT_EQ(t.D(Reliability::kUnreliable), 32s);
  EXPECT_EQ(t.D(Reliability::kReliable), 0ms);
  EXPECT_EQ(t.E(), 500ms);
  EXPECT_EQ(t.F(), 32s);
  EXPECT_EQ(t.G(), 500ms);
  EXPECT_EQ(t.H(), 32s);
  EXPECT_EQ(t.I(Reliability::kUnreliable), 5s);
  EXPECT_EQ(t.I(Reliability::kReliable), 0ms);
  EXPECT_EQ(t.J(Reliability::kUnreliable), 32s);
  EXPECT_EQ(t.J(Reliability::kReliable), 0ms);
  EXPECT_EQ(t.K(Reliability::kUnreliable), 5s);
  EXPECT_EQ(t.K(Reliability::kReliable), 0ms);
  EXPECT_EQ(t.L(), 32s);
  EXPECT_EQ(t.M(), 32s);
  EXPECT_EQ(t.doubled_capped(500ms), 1s);
  EXPECT_EQ(t.doubled_capped(4s), 4s);
}

TEST(TimerConfig, TimerDStaysAbove32sWithSmallT1) {
  TimerConfig t;
  t.T1 = 100ms;
  EXPECT_EQ(t.B(), 6400ms);
  EXPECT_EQ(t.D(Reliability::kUnreliable), 32s);
  t.T1 = 1s;
  EXPECT_EQ(t.D(Reliability::kUnreliable), 64s);
}

TEST(TimerConfig, KindNames) {
  EXPECT_EQ(to_string(TimerKind::kA), "Timer A");
  EXPECT_EQ(to_string(TimerKind::kM), "Timer M");
  EXPECT_EQ(to_string(TimerKind::kTrying), "Trying");
}

}  // namespace
}  // namespace trapezoid::transaction
