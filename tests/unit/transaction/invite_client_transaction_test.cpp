#include "transaction/invite_client_transaction.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "test_support.hpp"

namespace trapezoid::transaction {
namespace {

using namespace test;
using State = InviteClientTransaction::State;

class InviteClientTest : public ::testing::Test {
 protected:
  InviteClientTransaction make(Reliability r = Reliability::kUnreliable, RequestSpec spec = {}) {
    spec.extra += "Route: <sip:p1.atlanta.com;lr>\r\nRoute: <sip:p2.biloxi.com;lr>\r\n";
    return InviteClientTransaction(1, std::make_unique<sip::Message>(request(spec)), r, timers, fx);
  }
  TimerConfig timers;
  Recorder fx;
};

TEST_F(InviteClientTest, StartSendsInviteAndArmsTimersAAndB) {
  auto tx = make();
  tx.start();
  ASSERT_EQ(fx.sent.size(), 1u);
  EXPECT_EQ(fx.sent[0], tx.request()->raw());
  EXPECT_EQ(fx.delay(TimerKind::kA), 500ms);
  EXPECT_EQ(fx.delay(TimerKind::kB), 32s);
  EXPECT_EQ(tx.state(), State::kCalling);
}

TEST_F(InviteClientTest, TimerADoublesWithoutCapUntilTimerB) {
  auto tx = make();
  tx.start();
  // RFC 3261 §17.1.1.2: T1, 2*T1, 4*T1, ... (no T2 cap for INVITE).
  Duration expected = 500ms;
  Duration elapsed = 0ms;
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(fx.delay(TimerKind::kA), expected);
    elapsed += expected;
    fx.fire(tx, TimerKind::kA);
    expected *= 2;
  }
  EXPECT_EQ(elapsed, 31500ms);
  EXPECT_EQ(fx.delay(TimerKind::kA), 32s);  // past T2 = 4 s
  EXPECT_EQ(fx.sent.size(), 7u);
  for (const auto& s : fx.sent) EXPECT_EQ(s, tx.request()->raw());
  fx.fire(tx, TimerKind::kB);
  EXPECT_EQ(fx.timeouts, 1);
  EXPECT_EQ(fx.terminations, 1);
  EXPECT_EQ(tx.state(), State::kTerminated);
}

TEST_F(InviteClientTest, ReliableTransportHasNoTimerA) {
  auto tx = make(Reliability::kReliable);
  tx.start();
  EXPECT_FALSE(fx.is_armed(TimerKind::kA));
  EXPECT_EQ(fx.delay(TimerKind::kB), 32s);
  fx.fire(tx, TimerKind::kB);
  EXPECT_EQ(fx.timeouts, 1);
  EXPECT_EQ(fx.sent.size(), 1u);
}

TEST_F(InviteClientTest, ProvisionalStopsRetransmissionsAndTimerB) {
  auto tx = make();
  tx.start();
  tx.on_response(response(180));
  EXPECT_EQ(tx.state(), State::kProceeding);
  EXPECT_EQ(fx.responses, (std::vector<int>{180}));
  fx.fire(tx, TimerKind::kA);  // stale
  fx.fire(tx, TimerKind::kB);  // stale
  EXPECT_EQ(fx.sent.size(), 1u);
  EXPECT_EQ(fx.timeouts, 0);
  EXPECT_EQ(tx.state(), State::kProceeding);
  tx.on_response(response(183));
  EXPECT_EQ(fx.responses, (std::vector<int>{180, 183}));
}

TEST_F(InviteClientTest, NonSuccessFinalIsAckedAndPassedUpOnce) {
  auto tx = make();
  tx.start();
  tx.on_response(response(100));
  tx.on_response(response(486));
  EXPECT_EQ(tx.state(), State::kCompleted);
  EXPECT_EQ(fx.responses, (std::vector<int>{100, 486}));
  ASSERT_EQ(fx.sent.size(), 2u);
  EXPECT_EQ(fx.sent[1], tx.ack());
  EXPECT_EQ(fx.delay(TimerKind::kD), 32s);
  // A retransmitted final response: the ACK again, nothing to the TU (§17.1.1.2).
  tx.on_response(response(486));
  EXPECT_EQ(fx.sent.size(), 3u);
  EXPECT_EQ(fx.sent[2], tx.ack());
  EXPECT_EQ(fx.responses.size(), 2u);
  fx.fire(tx, TimerKind::kD);
  EXPECT_EQ(tx.state(), State::kTerminated);
  EXPECT_EQ(fx.terminations, 1);
}

TEST_F(InviteClientTest, FinalInCallingGoesStraightToCompleted) {
  auto tx = make();
  tx.start();
  tx.on_response(response(603));
  EXPECT_EQ(tx.state(), State::kCompleted);
  fx.fire(tx, TimerKind::kA);  // stale after leaving Calling
  EXPECT_EQ(fx.sent.size(), 2u);
}

TEST_F(InviteClientTest, TimerDIsZeroOnReliableTransport) {
  auto tx = make(Reliability::kReliable);
  tx.start();
  tx.on_response(response(404));
  EXPECT_FALSE(fx.is_armed(TimerKind::kD));
  EXPECT_EQ(tx.state(), State::kTerminated);
  EXPECT_EQ(fx.sent.size(), 2u);  // INVITE, ACK
  EXPECT_EQ(fx.terminations, 1);
}

TEST_F(InviteClientTest, AckForNonSuccessFollowsSection17_1_1_3) {
  auto tx = make();
  tx.start();
  tx.on_response(response(486, {}, "xyz"));
  sip::Message ack = parse(tx.ack());
  EXPECT_EQ(ack.method(), sip::Method::kAck);
  EXPECT_EQ(ack.request_uri(), "sip:bob@biloxi.com");
  EXPECT_EQ(ack.find(sip::HeaderId::kCallId)->value, "a84b4c76e66710@pc33.atlanta.com");
  EXPECT_EQ(ack.find(sip::HeaderId::kFrom)->value, "Alice <sip:alice@atlanta.com>;tag=1928301774");
  EXPECT_EQ(ack.find(sip::HeaderId::kTo)->value, "Bob <sip:bob@biloxi.com>;tag=xyz");
  EXPECT_EQ(ack.find(sip::HeaderId::kCSeq)->value, "314159 ACK");
  EXPECT_EQ(ack.count(sip::HeaderId::kVia), 1u);
  EXPECT_EQ(ack.find(sip::HeaderId::kVia)->value, "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds");
  ASSERT_EQ(ack.count(sip::HeaderId::kRoute), 2u);
  std::vector<std::string> routes;
  ack.for_each(sip::HeaderId::kRoute, [&](const sip::HeaderField& h) { routes.emplace_back(h.value); });
  EXPECT_EQ(routes, (std::vector<std::string>{"<sip:p1.atlanta.com;lr>", "<sip:p2.biloxi.com;lr>"}));
}

TEST_F(InviteClientTest, SuccessIsPassedUpNotAckedAndAcceptedAbsorbsWithTimerM) {
  auto tx = make();
  tx.start();
  tx.on_response(response(180));
  tx.on_response(response(200));
  // RFC 6026 §8.4: Accepted; the TU sends the ACK of a 2xx.
  EXPECT_EQ(tx.state(), State::kAccepted);
  EXPECT_EQ(fx.sent.size(), 1u);
  EXPECT_TRUE(tx.ack().empty());
  EXPECT_EQ(fx.delay(TimerKind::kM), 32s);
  // Further 2xx (retransmission or another fork) go to the TU; other responses do not.
  tx.on_response(response(200, {}, "other-fork"));
  tx.on_response(response(486));
  tx.on_response(response(180));
  EXPECT_EQ(fx.responses, (std::vector<int>{180, 200, 200}));
  EXPECT_EQ(fx.sent.size(), 1u);
  fx.fire(tx, TimerKind::kM);
  EXPECT_EQ(tx.state(), State::kTerminated);
  EXPECT_EQ(fx.terminations, 1);
}

TEST_F(InviteClientTest, TimerMIs64T1EvenOnReliableTransport) {
  auto tx = make(Reliability::kReliable);
  tx.start();
  tx.on_response(response(200));
  EXPECT_EQ(fx.delay(TimerKind::kM), 64 * timers.T1);
  EXPECT_EQ(tx.state(), State::kAccepted);
}

TEST_F(InviteClientTest, TransportErrorInformsTheTu) {
  auto tx = make();
  fx.fail_sends = true;
  tx.start();
  EXPECT_EQ(fx.transport_errors, 1);
  EXPECT_EQ(fx.terminations, 1);
  EXPECT_EQ(tx.state(), State::kTerminated);
  fx.fire(tx, TimerKind::kB);  // nothing more
  EXPECT_EQ(fx.timeouts, 0);
}

TEST_F(InviteClientTest, TransportErrorSendingAckInCompleted) {
  auto tx = make();
  tx.start();
  fx.fail_sends = true;
  tx.on_response(response(500));
  EXPECT_EQ(fx.responses, (std::vector<int>{500}));
  EXPECT_EQ(fx.transport_errors, 1);
  EXPECT_EQ(tx.state(), State::kTerminated);
}

TEST_F(InviteClientTest, CustomT1ScalesEveryTimer) {
  timers.T1 = 100ms;
  auto tx = make();
  tx.start();
  EXPECT_EQ(fx.delay(TimerKind::kA), 100ms);
  EXPECT_EQ(fx.delay(TimerKind::kB), 6400ms);
  fx.fire(tx, TimerKind::kA);
  EXPECT_EQ(fx.delay(TimerKind::kA), 200ms);
}

TEST_F(InviteClientTest, StaleGenerationIsIgnored) {
  auto tx = make();
  tx.start();
  const auto first = fx.armed.at(TimerKind::kA).generation;
  fx.fire(tx, TimerKind::kA);
  tx.on_timer(TimerKind::kA, first);  // the old entry again
  EXPECT_EQ(fx.sent.size(), 2u);
}

}  // namespace
}  // namespace trapezoid::transaction
