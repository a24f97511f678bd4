#include "transaction/non_invite_server_transaction.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "test_support.hpp"

namespace trapezoid::transaction {
namespace {

using namespace test;
using State = NonInviteServerTransaction::State;

RequestSpec options_spec() {
  RequestSpec s;
  s.method = "OPTIONS";
  return s;
}

class NonInviteServerTest : public ::testing::Test {
 protected:
  NonInviteServerTransaction make(Reliability r = Reliability::kUnreliable) {
    return NonInviteServerTransaction(5, std::make_unique<sip::Message>(request(options_spec())), r, timers, fx);
  }
  TimerConfig timers;
  Recorder fx;
};

TEST_F(NonInviteServerTest, StartPassesRequestAndTryingAbsorbsRetransmissions) {
  auto tx = make();
  tx.start();
  EXPECT_EQ(fx.requests, (std::vector<std::string>{"OPTIONS"}));
  EXPECT_EQ(tx.state(), State::kTrying);
  tx.on_request(request(options_spec()));
  EXPECT_TRUE(fx.sent.empty());
  EXPECT_EQ(fx.requests.size(), 1u);
  EXPECT_TRUE(fx.arm_log.empty());  // no 100 (Trying) timer for non-INVITE
}

TEST_F(NonInviteServerTest, ProceedingResendsLastProvisional) {
  auto tx = make();
  tx.start();
  EXPECT_TRUE(tx.respond(response(100, options_spec())));
  EXPECT_EQ(tx.state(), State::kProceeding);
  tx.on_request(request(options_spec()));
  ASSERT_EQ(fx.sent.size(), 2u);
  EXPECT_EQ(fx.sent[1], fx.sent[0]);
}

TEST_F(NonInviteServerTest, CompletedResendsFinalUntilTimerJ) {
  auto tx = make();
  tx.start();
  tx.respond(response(100, options_spec()));
  EXPECT_TRUE(tx.respond(response(200, options_spec())));
  EXPECT_EQ(tx.state(), State::kCompleted);
  EXPECT_EQ(fx.delay(TimerKind::kJ), 32s);  // 64*T1
  tx.on_request(request(options_spec()));
  ASSERT_EQ(fx.sent.size(), 3u);
  EXPECT_EQ(parse(fx.sent[2]).status_code(), 200);
  // Later responses from the TU are discarded (§17.2.2).
  EXPECT_FALSE(tx.respond(response(500, options_spec())));
  EXPECT_EQ(fx.sent.size(), 3u);
  fx.fire(tx, TimerKind::kJ);
  EXPECT_EQ(tx.state(), State::kTerminated);
  EXPECT_EQ(fx.terminations, 1);
}

TEST_F(NonInviteServerTest, TimerJIsZeroOnReliableTransport) {
  auto tx = make(Reliability::kReliable);
  tx.start();
  tx.respond(response(200, options_spec()));
  EXPECT_FALSE(fx.is_armed(TimerKind::kJ));
  EXPECT_EQ(tx.state(), State::kTerminated);
  EXPECT_EQ(fx.sent.size(), 1u);
}

TEST_F(NonInviteServerTest, FinalStraightFromTrying) {
  auto tx = make();
  tx.start();
  tx.respond(response(405, options_spec()));
  EXPECT_EQ(tx.state(), State::kCompleted);
  EXPECT_EQ(tx.last_status(), 405);
}

TEST_F(NonInviteServerTest, TransportErrorInformsTheTu) {
  auto tx = make();
  tx.start();
  fx.fail_sends = true;
  tx.respond(response(200, options_spec()));
  EXPECT_EQ(fx.transport_errors, 1);
  EXPECT_EQ(fx.terminations, 1);
  EXPECT_EQ(tx.state(), State::kTerminated);
  fx.fire(tx, TimerKind::kJ);  // stale: terminated once
  EXPECT_EQ(fx.terminations, 1);
}

}  // namespace
}  // namespace trapezoid::transaction
