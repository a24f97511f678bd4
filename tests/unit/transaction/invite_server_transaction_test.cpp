#include "transaction/invite_server_transaction.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "test_support.hpp"

namespace trapezoid::transaction {
namespace {

using namespace test;
using State = InviteServerTransaction::State;

RequestSpec ack_spec() {
  RequestSpec s;
  s.method = "ACK";
  return s;
}

class InviteServerTest : public ::testing::Test {
 protected:
  InviteServerTransaction make(Reliability r = Reliability::kUnreliable) {
    return InviteServerTransaction(4, std::make_unique<sip::Message>(request()), r, timers, fx);
  }
  TimerConfig timers;
  Recorder fx;
};

TEST_F(InviteServerTest, StartPassesInviteToTuAndArmsTrying) {
  auto tx = make();
  tx.start();
  EXPECT_EQ(fx.requests, (std::vector<std::string>{"INVITE"}));
  EXPECT_EQ(fx.delay(TimerKind::kTrying), 200ms);
  EXPECT_TRUE(fx.sent.empty());
  EXPECT_EQ(tx.state(), State::kProceeding);
}

TEST_F(InviteServerTest, SendsTryingAfter200msOfSilence) {
  auto tx = make();
  tx.start();
  fx.fire(tx, TimerKind::kTrying);
  ASSERT_EQ(fx.sent.size(), 1u);
  sip::Message trying = parse(fx.sent[0]);
  EXPECT_EQ(trying.status_code(), 100);
  EXPECT_EQ(trying.find(sip::HeaderId::kVia)->value, "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds");
  EXPECT_EQ(trying.find(sip::HeaderId::kCSeq)->value, "314159 INVITE");
  // A retransmitted INVITE gets the 100 again (§17.2.1).
  tx.on_request(request());
  ASSERT_EQ(fx.sent.size(), 2u);
  EXPECT_EQ(fx.sent[1], fx.sent[0]);
}

TEST_F(InviteServerTest, NoTryingWhenTuRespondsFirst) {
  auto tx = make();
  tx.start();
  ASSERT_TRUE(tx.respond(response(180)));
  fx.fire(tx, TimerKind::kTrying);  // stale
  ASSERT_EQ(fx.sent.size(), 1u);
  EXPECT_EQ(parse(fx.sent[0]).status_code(), 180);
}

TEST_F(InviteServerTest, RetransmissionBeforeAnyResponseIsAbsorbed) {
  auto tx = make();
  tx.start();
  tx.on_request(request());
  EXPECT_TRUE(fx.sent.empty());
  EXPECT_EQ(fx.requests.size(), 1u);
}

TEST_F(InviteServerTest, RetransmissionGetsLastProvisional) {
  auto tx = make();
  tx.start();
  tx.respond(response(180));
  tx.respond(response(183));
  tx.on_request(request());
  ASSERT_EQ(fx.sent.size(), 3u);
  EXPECT_EQ(parse(fx.sent[2]).status_code(), 183);
  EXPECT_EQ(fx.requests.size(), 1u);  // not passed up again
}

TEST_F(InviteServerTest, NonSuccessFinalRetransmittedWithTimerGCappedAtT2) {
  auto tx = make();
  tx.start();
  tx.respond(response(486));
  EXPECT_EQ(tx.state(), State::kCompleted);
  EXPECT_EQ(fx.delay(TimerKind::kH), 32s);
  // RFC 3261 §17.2.1: G = T1, then min(2*G, T2).
  const Duration expected[] = {500ms, 1000ms, 2000ms, 4000ms, 4000ms};
  for (Duration d : expected) {
    EXPECT_EQ(fx.delay(TimerKind::kG), d);
    fx.fire(tx, TimerKind::kG);
  }
  ASSERT_EQ(fx.sent.size(), 6u);
  for (const auto& s : fx.sent) EXPECT_EQ(parse(s).status_code(), 486);
}

TEST_F(InviteServerTest, TimerHTimesOutWithoutAck) {
  auto tx = make();
  tx.start();
  tx.respond(response(500));
  fx.fire(tx, TimerKind::kH);
  EXPECT_EQ(fx.timeouts, 1);
  EXPECT_EQ(fx.terminations, 1);
  EXPECT_EQ(tx.state(), State::kTerminated);
  fx.fire(tx, TimerKind::kG);
  EXPECT_EQ(fx.sent.size(), 1u);
}

TEST_F(InviteServerTest, CompletedResendsFinalOnRetransmittedInvite) {
  auto tx = make();
  tx.start();
  tx.respond(response(404));
  tx.on_request(request());
  ASSERT_EQ(fx.sent.size(), 2u);
  EXPECT_EQ(fx.sent[1], fx.sent[0]);
  EXPECT_FALSE(tx.respond(response(200)));  // no response after the final one
}

TEST_F(InviteServerTest, AckConfirmsAndTimerIAbsorbs) {
  auto tx = make();
  tx.start();
  tx.respond(response(486));
  tx.on_request(request(ack_spec()));
  EXPECT_EQ(tx.state(), State::kConfirmed);
  EXPECT_EQ(fx.delay(TimerKind::kI), 5s);  // T4
  EXPECT_EQ(fx.requests, (std::vector<std::string>{"INVITE"}));  // ACK absorbed
  fx.fire(tx, TimerKind::kG);  // stale
  fx.fire(tx, TimerKind::kH);  // stale
  tx.on_request(request(ack_spec()));
  tx.on_request(request());
  EXPECT_EQ(fx.sent.size(), 1u);
  EXPECT_EQ(fx.timeouts, 0);
  fx.fire(tx, TimerKind::kI);
  EXPECT_EQ(tx.state(), State::kTerminated);
  EXPECT_EQ(fx.terminations, 1);
}

TEST_F(InviteServerTest, ReliableTransportNoTimerGAndZeroTimerI) {
  auto tx = make(Reliability::kReliable);
  tx.start();
  tx.respond(response(486));
  EXPECT_FALSE(fx.is_armed(TimerKind::kG));
  EXPECT_EQ(fx.delay(TimerKind::kH), 32s);
  tx.on_request(request(ack_spec()));
  EXPECT_FALSE(fx.is_armed(TimerKind::kI));
  EXPECT_EQ(tx.state(), State::kTerminated);
}

TEST_F(InviteServerTest, SuccessMovesToAcceptedPerRfc6026) {
  auto tx = make();
  tx.start();
  tx.respond(response(180));
  ASSERT_TRUE(tx.respond(response(200)));
  EXPECT_EQ(tx.state(), State::kAccepted);
  EXPECT_EQ(fx.delay(TimerKind::kL), 32s);
  EXPECT_FALSE(fx.is_armed(TimerKind::kG));  // the TU retransmits the 2xx, not us
  // INVITE retransmissions absorbed, nothing to the TU.
  tx.on_request(request());
  EXPECT_EQ(fx.sent.size(), 2u);
  // The TU's 2xx retransmissions go out; a non-2xx does not.
  EXPECT_TRUE(tx.respond(response(200)));
  EXPECT_FALSE(tx.respond(response(486)));
  EXPECT_EQ(fx.sent.size(), 3u);
  // The ACK of the 2xx goes to the TU.
  tx.on_request(request(ack_spec()));
  EXPECT_EQ(fx.requests, (std::vector<std::string>{"INVITE", "ACK"}));
  fx.fire(tx, TimerKind::kL);
  EXPECT_EQ(tx.state(), State::kTerminated);
  EXPECT_EQ(fx.terminations, 1);
}

TEST_F(InviteServerTest, TransportErrorInProceedingInformsTu) {
  auto tx = make();
  tx.start();
  fx.fail_sends = true;
  tx.respond(response(180));
  EXPECT_EQ(fx.transport_errors, 1);
  EXPECT_EQ(tx.state(), State::kTerminated);
}

TEST_F(InviteServerTest, TransportErrorInCompletedInformsTu) {
  auto tx = make();
  tx.start();
  tx.respond(response(480));
  fx.fail_sends = true;
  fx.fire(tx, TimerKind::kG);
  EXPECT_EQ(fx.transport_errors, 1);
  EXPECT_EQ(fx.terminations, 1);
}

TEST_F(InviteServerTest, TransportErrorInAcceptedKeepsAbsorbing) {
  auto tx = make();
  tx.start();
  tx.respond(response(200));
  tx.on_transport_error();
  EXPECT_EQ(fx.transport_errors, 1);
  EXPECT_EQ(tx.state(), State::kAccepted);
  EXPECT_EQ(fx.terminations, 0);
}

TEST_F(InviteServerTest, RemembersTheResponseToTag) {
  auto tx = make();
  tx.start();
  tx.respond(response(486, {}, "srv-tag"));
  EXPECT_EQ(tx.response_to_tag(), "srv-tag");
  EXPECT_EQ(tx.last_status(), 486);
}

}  // namespace
}  // namespace trapezoid::transaction
