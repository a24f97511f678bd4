#include "transaction/non_invite_client_transaction.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "test_support.hpp"

namespace trapezoid::transaction {
namespace {

using namespace test;
using State = NonInviteClientTransaction::State;

RequestSpec register_spec() {
  RequestSpec s;
  s.method = "REGISTER";
  s.uri = "sip:registrar.biloxi.com";
  return s;
}

class NonInviteClientTest : public ::testing::Test {
 protected:
  NonInviteClientTransaction make(Reliability r = Reliability::kUnreliable) {
    return NonInviteClientTransaction(2, std::make_unique<sip::Message>(request(register_spec())), r, timers, fx);
  }
  TimerConfig timers;
  Recorder fx;
};

TEST_F(NonInviteClientTest, StartSendsAndArmsTimersEAndF) {
  auto tx = make();
  tx.start();
  ASSERT_EQ(fx.sent.size(), 1u);
  EXPECT_EQ(fx.delay(TimerKind::kE), 500ms);
  EXPECT_EQ(fx.delay(TimerKind::kF), 32s);
  EXPECT_EQ(tx.state(), State::kTrying);
}

TEST_F(NonInviteClientTest, TimerEDoublesUpToT2InTrying) {
  auto tx = make();
  tx.start();
  // RFC 3261 §17.1.2.2: min(2*E, T2): 500, 1000, 2000, 4000, 4000, ...
  const Duration expected[] = {500ms, 1000ms, 2000ms, 4000ms, 4000ms, 4000ms};
  for (Duration d : expected) {
    EXPECT_EQ(fx.delay(TimerKind::kE), d);
    fx.fire(tx, TimerKind::kE);
  }
  EXPECT_EQ(fx.sent.size(), 7u);
  for (const auto& s : fx.sent) EXPECT_EQ(s, tx.request()->raw());
}

TEST_F(NonInviteClientTest, TimerEIsT2InProceeding) {
  auto tx = make();
  tx.start();
  tx.on_response(response(100, register_spec()));
  EXPECT_EQ(tx.state(), State::kProceeding);
  EXPECT_EQ(fx.responses, (std::vector<int>{100}));
  fx.fire(tx, TimerKind::kE);  // first firing after the 1xx: reset to T2
  EXPECT_EQ(fx.delay(TimerKind::kE), 4s);
  fx.fire(tx, TimerKind::kE);
  EXPECT_EQ(fx.delay(TimerKind::kE), 4s);
  EXPECT_EQ(fx.sent.size(), 3u);
}

TEST_F(NonInviteClientTest, TimerFTimesOutInTryingAndProceeding) {
  {
    auto tx = make();
    tx.start();
    fx.fire(tx, TimerKind::kF);
    EXPECT_EQ(fx.timeouts, 1);
    EXPECT_EQ(tx.state(), State::kTerminated);
    fx.fire(tx, TimerKind::kE);  // nothing after Terminated
    EXPECT_EQ(fx.sent.size(), 1u);
  }
  Recorder fx2;
  NonInviteClientTransaction tx(3, std::make_unique<sip::Message>(request(register_spec())), Reliability::kUnreliable, timers, fx2);
  tx.start();
  tx.on_response(response(180, register_spec()));
  fx2.fire(tx, TimerKind::kF);
  EXPECT_EQ(fx2.timeouts, 1);
  EXPECT_EQ(fx2.terminations, 1);
}

TEST_F(NonInviteClientTest, FinalResponseCompletesAndTimerKAbsorbs) {
  auto tx = make();
  tx.start();
  tx.on_response(response(200, register_spec()));
  EXPECT_EQ(tx.state(), State::kCompleted);
  EXPECT_EQ(fx.delay(TimerKind::kK), 5s);  // T4
  tx.on_response(response(200, register_spec()));  // retransmission: absorbed
  tx.on_response(response(100, register_spec()));
  EXPECT_EQ(fx.responses, (std::vector<int>{200}));
  fx.fire(tx, TimerKind::kE);  // stale
  fx.fire(tx, TimerKind::kF);  // stale
  EXPECT_EQ(fx.sent.size(), 1u);
  EXPECT_EQ(fx.timeouts, 0);
  fx.fire(tx, TimerKind::kK);
  EXPECT_EQ(tx.state(), State::kTerminated);
  EXPECT_EQ(fx.terminations, 1);
}

TEST_F(NonInviteClientTest, ReliableTransportNoTimerEAndZeroTimerK) {
  auto tx = make(Reliability::kReliable);
  tx.start();
  EXPECT_FALSE(fx.is_armed(TimerKind::kE));
  EXPECT_EQ(fx.delay(TimerKind::kF), 32s);
  tx.on_response(response(404, register_spec()));
  EXPECT_FALSE(fx.is_armed(TimerKind::kK));
  EXPECT_EQ(tx.state(), State::kTerminated);
  EXPECT_EQ(fx.responses, (std::vector<int>{404}));
}

TEST_F(NonInviteClientTest, TransportErrorInformsTheTu) {
  auto tx = make();
  tx.start();
  fx.fail_sends = true;
  fx.fire(tx, TimerKind::kE);
  EXPECT_EQ(fx.transport_errors, 1);
  EXPECT_EQ(tx.state(), State::kTerminated);
  tx.on_transport_error();  // once only
  EXPECT_EQ(fx.transport_errors, 1);
  EXPECT_EQ(fx.terminations, 1);
}

TEST_F(NonInviteClientTest, TransportErrorInCompletedIsIgnored) {
  auto tx = make();
  tx.start();
  tx.on_response(response(200, register_spec()));
  tx.on_transport_error();
  EXPECT_EQ(fx.transport_errors, 0);
  EXPECT_EQ(tx.state(), State::kCompleted);
}

}  // namespace
}  // namespace trapezoid::transaction
