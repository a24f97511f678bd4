#include "transaction/transaction_layer.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "sip/response.hpp"
#include "test_support.hpp"

namespace trapezoid::transaction {
namespace {

using namespace test;
using Received = TransactionLayer::Received;

struct Sent {
  Peer peer;
  std::string bytes;
};

class FakeSender : public MessageSender {
 public:
  bool send(const Peer& peer, std::string_view bytes) override {
    sent.push_back({peer, std::string(bytes)});
    return !fail;
  }
  [[nodiscard]] int status(std::size_t i) const { return parse(sent.at(i).bytes).status_code(); }
  std::vector<Sent> sent;
  bool fail = false;
};

class FakeTu : public TransactionUser {
 public:
  void on_request(TransactionId tx, const sip::Message& r) override {
    requests.emplace_back(tx, std::string(r.method_name()));
    if (request_hook) request_hook(tx, r);
  }
  void on_response(TransactionId tx, const sip::Message& r) override {
    responses.emplace_back(tx, r.status_code());
  }
  void on_stray_ack(const sip::Message&, const Peer&) override { ++stray_acks; }
  void on_stray_response(const sip::Message& r, const Peer&) override {
    stray_responses.push_back(r.status_code());
  }
  void on_timeout(TransactionId tx) override { timeouts.push_back(tx); }
  void on_transport_error(TransactionId tx) override { transport_errors.push_back(tx); }
  void on_terminated(TransactionId tx) override { terminated.push_back(tx); }

  std::vector<std::pair<TransactionId, std::string>> requests;
  std::vector<std::pair<TransactionId, int>> responses;
  std::vector<int> stray_responses;
  std::vector<TransactionId> timeouts, transport_errors, terminated;
  int stray_acks = 0;
  std::function<void(TransactionId, const sip::Message&)> request_hook;
};

class LayerTest : public ::testing::Test {
 protected:
  Received receive(const RequestSpec& s, bool reliable = false) {
    return layer.receive(request(s), reliable, alice, now);
  }
  Received receive_response(int status, const RequestSpec& s = {}, std::string_view tag = "a6c85cf") {
    return layer.receive(response(status, s, tag), false, bob, now);
  }
  std::string answer(TransactionId tx, int status, std::string_view tag = "b0b") {
    sip::BuildResult r = sip::make_response(*layer.request(tx), status, {}, tag);
    EXPECT_TRUE(r.ok());
    return r.bytes;
  }
  void advance_to(Duration since_start) { layer.advance(now = start + since_start); }

  FakeSender sender;
  FakeTu tu;
  TransactionLayer layer{sender, tu};
  const TimePoint start = TimePoint{} + 1000h;
  TimePoint now = start;
  Peer alice{1, {192, 0, 2, 1}, 5060, 0};
  Peer bob{2, {192, 0, 2, 2}, 5060, 0};
};

TEST_F(LayerTest, ClientInviteRetransmitsOnScheduleAndTimesOut) {
  auto tx = layer.send_request(request(), bob, Reliability::kUnreliable, now);
  ASSERT_TRUE(tx.has_value());
  EXPECT_EQ(layer.next_deadline(), start + 500ms);
  ASSERT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(sender.sent[0].peer, bob);
  // RFC 3261 §17.1.1.2: sends at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s; Timer B at 32 s.
  advance_to(499ms);
  EXPECT_EQ(sender.sent.size(), 1u);
  advance_to(500ms);
  EXPECT_EQ(sender.sent.size(), 2u);
  advance_to(31499ms);
  EXPECT_EQ(sender.sent.size(), 6u);
  advance_to(31500ms);
  EXPECT_EQ(sender.sent.size(), 7u);
  EXPECT_TRUE(tu.timeouts.empty());
  advance_to(32s);
  EXPECT_EQ(tu.timeouts, (std::vector<TransactionId>{*tx}));
  EXPECT_EQ(tu.terminated, (std::vector<TransactionId>{*tx}));
  EXPECT_EQ(layer.size(), 0u);
}

TEST_F(LayerTest, LateAdvanceKeepsTheRfcSchedule) {
  ASSERT_TRUE(layer.send_request(request(), bob, Reliability::kUnreliable, now));
  advance_to(40s);  // one late wake-up: every retransmission, then Timer B
  EXPECT_EQ(sender.sent.size(), 7u);
  EXPECT_EQ(tu.timeouts.size(), 1u);
  EXPECT_FALSE(layer.next_deadline().has_value());
}

TEST_F(LayerTest, ClientNonInviteCompletesAndTimerKReaps) {
  RequestSpec reg;
  reg.method = "REGISTER";
  auto tx = layer.send_request(request(reg), bob, Reliability::kUnreliable, now);
  ASSERT_TRUE(tx);
  EXPECT_EQ(receive_response(200, reg), Received::kMatched);
  EXPECT_EQ(tu.responses, (std::vector<std::pair<TransactionId, int>>{{*tx, 200}}));
  EXPECT_EQ(receive_response(200, reg), Received::kMatched);  // absorbed in Completed
  EXPECT_EQ(tu.responses.size(), 1u);
  advance_to(4999ms);
  EXPECT_TRUE(layer.contains(*tx));
  advance_to(5s);  // Timer K = T4
  EXPECT_FALSE(layer.contains(*tx));
  EXPECT_EQ(receive_response(200, reg), Received::kStrayResponse);
}

TEST_F(LayerTest, Client2xxRetransmissionsAfterTimerMAreStray) {
  auto tx = layer.send_request(request(), bob, Reliability::kReliable, now);
  ASSERT_TRUE(tx);
  receive_response(200);
  receive_response(200);
  EXPECT_EQ(tu.responses.size(), 2u);  // RFC 6026: both reach the TU
  EXPECT_EQ(sender.sent.size(), 1u);   // no ACK from the transaction
  advance_to(32s);
  EXPECT_FALSE(layer.contains(*tx));
  receive_response(200);
  EXPECT_EQ(tu.stray_responses, (std::vector<int>{200}));
}

TEST_F(LayerTest, ClientNon2xxIsAckedToThePeer) {
  ASSERT_TRUE(layer.send_request(request(), bob, Reliability::kUnreliable, now));
  receive_response(486);
  ASSERT_EQ(sender.sent.size(), 2u);
  EXPECT_EQ(sender.sent[1].peer, bob);
  EXPECT_EQ(parse(sender.sent[1].bytes).method(), sip::Method::kAck);
}

TEST_F(LayerTest, SendRequestRefusesAckAndDuplicateBranches) {
  RequestSpec ack;
  ack.method = "ACK";
  EXPECT_FALSE(layer.send_request(request(ack), bob, Reliability::kUnreliable, now));
  EXPECT_TRUE(layer.send_request(request(), bob, Reliability::kUnreliable, now));
  EXPECT_FALSE(layer.send_request(request(), bob, Reliability::kUnreliable, now));
  RequestSpec no_branch;
  no_branch.branch = "";
  EXPECT_FALSE(layer.send_request(request(no_branch), bob, Reliability::kUnreliable, now));
  EXPECT_EQ(layer.size(), 1u);
}

TEST_F(LayerTest, ServerInviteFailureFlow) {
  EXPECT_EQ(receive({}), Received::kNewServerTransaction);
  ASSERT_EQ(tu.requests.size(), 1u);
  const TransactionId tx = tu.requests[0].first;
  advance_to(200ms);  // the TU was silent: 100 (Trying)
  ASSERT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(sender.status(0), 100);
  EXPECT_EQ(sender.sent[0].peer, alice);
  EXPECT_TRUE(layer.respond(tx, answer(tx, 486), now));
  EXPECT_EQ(receive({}), Received::kMatched);  // retransmitted INVITE: the 486 again
  ASSERT_EQ(sender.sent.size(), 3u);
  EXPECT_EQ(sender.status(2), 486);
  advance_to(700ms);  // Timer G = T1 after the 486 at 200 ms
  EXPECT_EQ(sender.sent.size(), 4u);
  RequestSpec ack;
  ack.method = "ACK";
  ack.to_tag = "b0b";
  EXPECT_EQ(receive(ack), Received::kMatched);
  EXPECT_EQ(tu.requests.size(), 1u);  // the ACK of a non-2xx stays in the transaction
  advance_to(5699ms);
  EXPECT_TRUE(layer.contains(tx));
  advance_to(5700ms);  // Timer I = T4
  EXPECT_FALSE(layer.contains(tx));
  EXPECT_EQ(sender.sent.size(), 4u);
}

TEST_F(LayerTest, ServerTimerHReportsTimeout) {
  receive({});
  const TransactionId tx = tu.requests[0].first;
  layer.respond(tx, answer(tx, 500), now);
  advance_to(32s);
  EXPECT_EQ(tu.timeouts, (std::vector<TransactionId>{tx}));
  EXPECT_EQ(tu.terminated, (std::vector<TransactionId>{tx}));
  // Retransmissions at 0.5, 1.5, 3.5, 7.5, 11.5, ... 31.5 s: G capped at T2 = 4 s.
  EXPECT_EQ(sender.sent.size(), 1u + 10u);
}

TEST_F(LayerTest, ServerInviteAcceptedPassesAckToTu) {
  std::string ok;  // the UA core keeps its 2xx to retransmit it (§13.3.1.4)
  tu.request_hook = [&](TransactionId tx, const sip::Message& r) {
    if (r.method() == sip::Method::kInvite) {
      ok = answer(tx, 200);
      EXPECT_TRUE(layer.respond(tx, ok, now));
    }
  };
  receive({});  // answered from inside on_request
  const TransactionId tx = tu.requests[0].first;
  ASSERT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(sender.status(0), 200);
  advance_to(1s);
  EXPECT_EQ(sender.sent.size(), 1u);  // no Trying, no retransmission by the transaction
  EXPECT_EQ(receive({}), Received::kMatched);  // INVITE retransmission absorbed
  EXPECT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(layer.request(tx), nullptr);  // answered: the INVITE is no longer kept
  EXPECT_TRUE(layer.respond(tx, ok, now));  // the TU's 2xx retransmission
  EXPECT_EQ(sender.sent.size(), 2u);
  RequestSpec ack;
  ack.method = "ACK";
  ack.branch = "z9hG4bKack2xx";  // the ACK of a 2xx is a new transaction at its sender...
  EXPECT_EQ(receive(ack), Received::kStrayAck);  // ...so it matches nothing
  ack.branch = "z9hG4bK776asdhds";
  EXPECT_EQ(receive(ack), Received::kMatched);
  EXPECT_EQ(tu.requests.back(), (std::pair<TransactionId, std::string>{tx, "ACK"}));
  advance_to(32s);  // Timer L
  EXPECT_FALSE(layer.contains(tx));
  EXPECT_EQ(receive(ack), Received::kStrayAck);
  EXPECT_EQ(tu.stray_acks, 2);
}

TEST_F(LayerTest, ServerNonInviteOverTcpEndsWithTheFinalResponse) {
  RequestSpec options;
  options.method = "OPTIONS";
  EXPECT_EQ(receive(options, true), Received::kNewServerTransaction);
  const TransactionId tx = tu.requests[0].first;
  EXPECT_FALSE(layer.next_deadline().has_value());  // no Trying timer for non-INVITE
  const std::string ok = answer(tx, 200);
  EXPECT_TRUE(layer.respond(tx, ok, now));
  EXPECT_FALSE(layer.contains(tx));  // Timer J is zero on TCP
  EXPECT_FALSE(layer.respond(tx, ok, now));
}

TEST_F(LayerTest, ServerNonInviteOverUdpAbsorbsUntilTimerJ) {
  RequestSpec options;
  options.method = "OPTIONS";
  receive(options);
  const TransactionId tx = tu.requests[0].first;
  layer.respond(tx, answer(tx, 200), now);
  EXPECT_EQ(receive(options), Received::kMatched);
  EXPECT_EQ(sender.sent.size(), 2u);
  EXPECT_EQ(tu.requests.size(), 1u);
  advance_to(32s);
  EXPECT_FALSE(layer.contains(tx));
  EXPECT_EQ(receive(options), Received::kNewServerTransaction);  // after J, a new one
}

TEST_F(LayerTest, CancelFindsItsInvite) {
  receive({});
  RequestSpec cancel;
  cancel.method = "CANCEL";
  EXPECT_EQ(receive(cancel), Received::kNewServerTransaction);
  const TransactionId invite_tx = tu.requests[0].first;
  const TransactionId cancel_tx = tu.requests[1].first;
  EXPECT_NE(invite_tx, cancel_tx);
  EXPECT_EQ(layer.find_cancelled(cancel_tx), invite_tx);
  EXPECT_FALSE(layer.find_cancelled(invite_tx).has_value());
  EXPECT_TRUE(layer.respond(cancel_tx, answer(cancel_tx, 200), now));
  EXPECT_TRUE(layer.respond(invite_tx, answer(invite_tx, 487), now));
}

TEST_F(LayerTest, MergedRequestIsDetected) {
  RequestSpec first;
  first.branch = "z9hG4bKviaproxyA";
  RequestSpec second;
  second.branch = "z9hG4bKviaproxyB";
  second.sent_by = "proxyb.example.com";
  receive(first);
  receive(second);
  ASSERT_EQ(tu.requests.size(), 2u);
  EXPECT_FALSE(layer.is_merged(tu.requests[0].first));
  EXPECT_TRUE(layer.is_merged(tu.requests[1].first));
}

TEST_F(LayerTest, AnsweredServerTransactionLetsItsRequestGo) {
  RequestSpec options;
  options.method = "OPTIONS";
  bool readable_after_answer = false;
  tu.request_hook = [&](TransactionId tx, const sip::Message& r) {
    EXPECT_TRUE(layer.respond(tx, answer(tx, 200), now));
    // Inside the call that answered, the request is still there for the TU.
    readable_after_answer = r.method() == sip::Method::kOptions && layer.request(tx) == &r;
  };
  receive(options);
  EXPECT_TRUE(readable_after_answer);
  const TransactionId tx = tu.requests[0].first;
  EXPECT_TRUE(layer.contains(tx));
  EXPECT_EQ(layer.request(tx), nullptr);
  // The keys were copied: a retransmission still matches and gets the 200 again (§17.2.2)...
  EXPECT_EQ(receive(options), Received::kMatched);
  ASSERT_EQ(sender.sent.size(), 2u);
  EXPECT_EQ(sender.sent[1].bytes, sender.sent[0].bytes);
  // ...and the same request by another path is still seen as merged (§8.2.2.2).
  tu.request_hook = nullptr;
  RequestSpec other_path = options;
  other_path.branch = "z9hG4bKviaproxyB";
  other_path.sent_by = "proxyb.example.com";
  EXPECT_EQ(receive(other_path), Received::kNewServerTransaction);
  EXPECT_TRUE(layer.is_merged(tu.requests.back().first));
  advance_to(32s);  // Timer J
  EXPECT_FALSE(layer.contains(tx));
  EXPECT_EQ(receive(options), Received::kNewServerTransaction);
}

TEST_F(LayerTest, ProvisionalAnswerKeepsTheRequest) {
  receive({});
  const TransactionId tx = tu.requests[0].first;
  EXPECT_TRUE(layer.respond(tx, answer(tx, 180), now));
  ASSERT_NE(layer.request(tx), nullptr);  // the final response is still to come
  EXPECT_TRUE(layer.respond(tx, answer(tx, 486), now));
  EXPECT_EQ(layer.request(tx), nullptr);
  RequestSpec cancel;
  cancel.method = "CANCEL";
  receive(cancel);  // a late CANCEL still finds the INVITE by its copied key (§9.2)
  EXPECT_EQ(layer.find_cancelled(tu.requests.back().first), tx);
}

TEST_F(LayerTest, ClientTransactionLetsItsRequestGoWithItsFinalResponse) {
  auto tx = layer.send_request(request(), bob, Reliability::kUnreliable, now);
  ASSERT_TRUE(tx);
  receive_response(180);
  ASSERT_NE(layer.request(*tx), nullptr);  // a CANCEL is built from it (§9.1)
  receive_response(486);
  EXPECT_EQ(layer.request(*tx), nullptr);
  ASSERT_EQ(sender.sent.size(), 2u);  // the INVITE and its ACK
  EXPECT_EQ(receive_response(486), Received::kMatched);  // matched by the copied key...
  ASSERT_EQ(sender.sent.size(), 3u);
  EXPECT_EQ(sender.sent[2].bytes, sender.sent[1].bytes);  // ...and ACKed again (§17.1.1.2)
  EXPECT_EQ(tu.responses.size(), 2u);
}

TEST_F(LayerTest, Rfc2543RequestsMatchWithoutCookie) {
  RequestSpec old;
  old.branch = "";
  receive(old);
  const TransactionId tx = tu.requests[0].first;
  layer.respond(tx, answer(tx, 404, "t1"), now);
  EXPECT_EQ(receive(old), Received::kMatched);
  RequestSpec ack = old;
  ack.method = "ACK";
  ack.to_tag = "t1";
  EXPECT_EQ(receive(ack), Received::kMatched);
  EXPECT_EQ(layer.next_deadline(), now + 5s);  // Confirmed: Timer I
  EXPECT_NE(layer.request(tx), nullptr);  // matched on the whole request: kept to the end
}

TEST_F(LayerTest, TransportErrorsReachTheTu) {
  sender.fail = true;
  auto tx = layer.send_request(request(), bob, Reliability::kReliable, now);
  ASSERT_TRUE(tx);
  EXPECT_EQ(tu.transport_errors, (std::vector<TransactionId>{*tx}));
  EXPECT_FALSE(layer.contains(*tx));
  sender.fail = false;
  RequestSpec bye;
  bye.method = "BYE";
  auto tx2 = layer.send_request(request(bye), bob, Reliability::kReliable, now);
  ASSERT_TRUE(tx2);
  layer.report_transport_error(*tx2, now);
  EXPECT_EQ(tu.transport_errors.back(), *tx2);
  EXPECT_FALSE(layer.contains(*tx2));
}

TEST_F(LayerTest, TransportErrorAtAPeerReachesItsTransactionsOnly) {
  RequestSpec to_bob;
  to_bob.method = "OPTIONS";
  to_bob.branch = "z9hG4bKbob";
  auto at_bob = layer.send_request(request(to_bob), bob, Reliability::kReliable, now);
  Peer carol{0, {192, 0, 2, 3}, 5060, 0};
  RequestSpec to_carol = to_bob;
  to_carol.branch = "z9hG4bKcarol";
  auto at_carol = layer.send_request(request(to_carol), carol, Reliability::kReliable, now);
  ASSERT_TRUE(at_bob && at_carol);
  Peer bob_elsewhere = bob;  // another port, no connection
  bob_elsewhere.flow = 0;
  bob_elsewhere.port = 5070;
  layer.report_transport_error(bob_elsewhere, now);
  EXPECT_TRUE(tu.transport_errors.empty());
  Peer bob_no_flow = bob;
  bob_no_flow.flow = 0;  // the same address and port: the failure is bob's
  layer.report_transport_error(bob_no_flow, now);
  EXPECT_EQ(tu.transport_errors, (std::vector<TransactionId>{*at_bob}));
  EXPECT_FALSE(layer.contains(*at_bob));
  EXPECT_TRUE(layer.contains(*at_carol));
  Peer carol_connection = bob;  // the connection carol's transaction was sent on, by id
  carol_connection.flow = 9;
  Peer carol_on_9 = carol;
  carol_on_9.flow = 9;
  RequestSpec again = to_carol;
  again.branch = "z9hG4bKcarol2";
  auto on_9 = layer.send_request(request(again), carol_on_9, Reliability::kReliable, now);
  ASSERT_TRUE(on_9);
  layer.report_transport_error(carol_connection, now);
  EXPECT_EQ(tu.transport_errors.back(), *on_9);
  EXPECT_TRUE(layer.contains(*at_carol));
}

TEST_F(LayerTest, UnmatchableMessagesAreDropped) {
  sip::Message m = parse(
      "OPTIONS sip:bob@biloxi.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(layer.receive(std::move(m), false, alice, now), Received::kDropped);
  RequestSpec bad_via;
  bad_via.sent_by = "bad host name..";
  EXPECT_EQ(receive(bad_via), Received::kDropped);
  EXPECT_EQ(layer.size(), 0u);
  EXPECT_EQ(receive_response(200, {}), Received::kStrayResponse);
}

TEST_F(LayerTest, NewTransactionOwnsBorrowedBytes) {
  std::string buffer = request_text({});
  {
    sip::Message borrowed;
    ASSERT_TRUE(sip::parse_datagram(buffer, borrowed).ok());
    layer.receive(std::move(borrowed), false, alice, now);
  }
  buffer.assign(buffer.size(), 'x');  // the receive buffer is reused
  const sip::Message* kept = layer.request(tu.requests[0].first);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->request_uri(), "sip:bob@biloxi.com");
  EXPECT_EQ(receive({}), Received::kMatched);
}

TEST_F(LayerTest, SendRequestFromBytes) {
  RequestSpec options;
  options.method = "OPTIONS";
  auto tx = layer.send_request(std::string_view(request_text(options)), bob, Reliability::kUnreliable, now);
  ASSERT_TRUE(tx);
  EXPECT_EQ(layer.request(*tx)->method(), sip::Method::kOptions);
  EXPECT_EQ(layer.next_deadline(), now + 500ms);  // Timer E
  EXPECT_FALSE(layer.send_request(std::string_view("garbage"), bob, Reliability::kUnreliable, now));
}

TEST_F(LayerTest, RespondRejectsGarbageAndUnknownIds) {
  receive({});
  const TransactionId tx = tu.requests[0].first;
  EXPECT_FALSE(layer.respond(tx, "not sip", now));
  EXPECT_FALSE(layer.respond(tx + 100, answer(tx, 200), now));
  RequestSpec other;
  other.branch = "z9hG4bKc";
  auto client = layer.send_request(request(other), bob, Reliability::kUnreliable, now);
  ASSERT_TRUE(client);
  EXPECT_FALSE(layer.respond(*client, answer(tx, 200), now));
}

}  // namespace
}  // namespace trapezoid::transaction
