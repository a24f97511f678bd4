// The transaction layer on real loopback sockets: a SipWorker with a small TU (test_server.hpp)
// driven by plain UDP and TCP clients. T1 is 50 ms where retransmission timing matters.
#include <gtest/gtest.h>

#include "sip_client.hpp"
#include "test_server.hpp"
#include "transaction/transport_peer.hpp"

namespace trapezoid::integration {
namespace {

using transport::TransportKind;

transaction::TimerConfig fast_timers() {
  transaction::TimerConfig t;
  t.T1 = std::chrono::milliseconds(50);
  return t;
}

class TransactionServer : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(server.start_error) << server.start_error.message(); }
  transport::Endpoint udp() const { return server.local(TransportKind::kUdp); }
  transport::Endpoint tcp() const { return server.local(TransportKind::kTcp); }
  RequestSpec spec(const UdpPeer& from, std::string method, std::string branch) const {
    RequestSpec s;
    s.method = std::move(method);
    s.branch = "z9hG4bK" + std::move(branch);
    s.port = from.port();
    return s;
  }

  TestServer server{fast_timers()};
  UdpPeer client{false};
};

// (a) OPTIONS over UDP gets 200.
TEST_F(TransactionServer, OptionsOverUdpGets200) {
  ASSERT_EQ(client.send(udp(), request_text(spec(client, "OPTIONS", "opt-udp"))), 0);
  std::optional<std::string> reply = client.receive();
  ASSERT_TRUE(reply);
  EXPECT_EQ(status_of(*reply), 200);
  EXPECT_NE(reply->find("branch=z9hG4bKopt-udp"), std::string::npos);
  EXPECT_EQ(server.requests("OPTIONS"), 1);
}

// (a) OPTIONS over TCP gets 200 on the same connection (RFC 3261 §18.2.2).
TEST_F(TransactionServer, OptionsOverTcpGets200) {
  TcpPeer tcp_client(tcp());
  ASSERT_TRUE(tcp_client.connected);
  RequestSpec s;
  s.transport = "TCP";
  s.port = tcp_client.port();
  s.branch = "z9hG4bKopt-tcp";
  ASSERT_TRUE(tcp_client.send(request_text(s)));
  ASSERT_TRUE(tcp_client.read_until("\r\n\r\n"));
  EXPECT_TRUE(tcp_client.buffer.starts_with("SIP/2.0 200 "));
  EXPECT_EQ(server.requests("OPTIONS"), 1);
}

// (b) A retransmitted INVITE is absorbed by its server transaction: the TU sees it once, and
// the last provisional response is sent again (§17.2.1).
TEST_F(TransactionServer, RetransmittedInviteReachesTheTuOnce) {
  RequestSpec invite = spec(client, "INVITE", "inv-rtx");
  invite.user = "ring";  // stays in Proceeding: no Timer G to blur the count
  ASSERT_EQ(client.send(udp(), request_text(invite)), 0);
  ASSERT_TRUE(await_status(client, 180));
  ASSERT_EQ(client.send(udp(), request_text(invite)), 0);
  ASSERT_TRUE(await_status(client, 180));
  ASSERT_EQ(client.send(udp(), request_text(invite)), 0);
  ASSERT_TRUE(await_status(client, 180));
  EXPECT_EQ(server.requests("INVITE"), 1);
  EXPECT_FALSE(client.receive(150ms));  // nothing more: 1xx are not retransmitted on a timer
}

// (b) Once final, a retransmitted INVITE gets the final response again (Completed, §17.2.1).
// Slow timers here: Timer G waits T1 = 5 s, so a 486 within 2 s answers the retransmission.
TEST(TransactionServerSlowTimers, RetransmittedInviteAfterTheFinalGetsItAgain) {
  transaction::TimerConfig timers;
  timers.T1 = std::chrono::seconds(5);
  timers.T2 = std::chrono::seconds(8);
  TestServer slow(timers);
  ASSERT_FALSE(slow.start_error);
  UdpPeer peer(false);
  RequestSpec invite;
  invite.method = "INVITE";
  invite.branch = "z9hG4bKinv-rtx-final";
  invite.port = peer.port();
  const transport::Endpoint to = slow.local(TransportKind::kUdp);
  ASSERT_EQ(peer.send(to, request_text(invite)), 0);
  std::optional<std::string> busy = await_status(peer, 486);
  ASSERT_TRUE(busy);
  ASSERT_EQ(peer.send(to, request_text(invite)), 0);
  std::optional<std::string> again = await_status(peer, 486, 2s);
  ASSERT_TRUE(again);
  EXPECT_EQ(to_of(*again), to_of(*busy));
  EXPECT_EQ(slow.requests("INVITE"), 1);
}

// (c) A 486 over UDP is retransmitted by Timer G (T1, 2*T1, ...) until the ACK arrives; then
// the transaction is Confirmed and sends nothing more (§17.2.1).
TEST_F(TransactionServer, FinalResponseIsRetransmittedUntilTheAck) {
  RequestSpec invite = spec(client, "INVITE", "inv-g");
  const auto sent = std::chrono::steady_clock::now();
  ASSERT_EQ(client.send(udp(), request_text(invite)), 0);
  std::optional<std::string> busy = await_status(client, 486);
  ASSERT_TRUE(busy);
  ASSERT_TRUE(await_status(client, 486));  // Timer G: after T1
  ASSERT_TRUE(await_status(client, 486));  // and after 2*T1 more
  EXPECT_GE(std::chrono::steady_clock::now() - sent, 150ms);

  RequestSpec ack = invite;  // §17.1.1.3: the INVITE's branch, the response's To
  ack.method = "ACK";
  ack.to = to_of(*busy);
  ASSERT_EQ(client.send(udp(), request_text(ack)), 0);
  // A retransmission already on its way may still land just after the ACK leaves.
  while (std::optional<std::string> late = client.receive(30ms)) EXPECT_EQ(status_of(*late), 486);
  // The next Timer G would have fired within 4*T1 (200 ms); wait well past it.
  EXPECT_FALSE(client.receive(600ms));
  EXPECT_EQ(server.requests("INVITE"), 1);
  EXPECT_EQ(server.requests("ACK"), 0);  // absorbed by the transaction
}

// The worker's one wake-up timer stands for the earliest deadline and is not moved later; a
// timer armed earlier than it must still move it: here Timer J of a finished OPTIONS (64*T1 =
// 3.2 s) is armed first, then an INVITE's 486 arms Timer G (T1), which resends on time.
TEST_F(TransactionServer, TimerEarlierThanTheStandingWakeUpFiresOnTime) {
  ASSERT_EQ(client.send(udp(), request_text(spec(client, "OPTIONS", "opt-first"))), 0);
  ASSERT_TRUE(await_status(client, 200));
  const auto sent = std::chrono::steady_clock::now();
  ASSERT_EQ(client.send(udp(), request_text(spec(client, "INVITE", "inv-early"))), 0);
  ASSERT_TRUE(await_status(client, 486));
  ASSERT_TRUE(await_status(client, 486, 1s));  // Timer G, at T1: long before Timer J
  EXPECT_LT(std::chrono::steady_clock::now() - sent, 1s);
}

// (d) CANCEL of a ringing INVITE: 200 to the CANCEL, 487 to the INVITE (§9.2).
TEST_F(TransactionServer, CancelEndsTheInviteWith487) {
  RequestSpec invite = spec(client, "INVITE", "inv-cancel");
  invite.user = "ring";
  ASSERT_EQ(client.send(udp(), request_text(invite)), 0);
  ASSERT_TRUE(await_status(client, 180));

  RequestSpec cancel = invite;  // §9.1: the INVITE's Request-URI, Call-ID, To, CSeq number, Via
  cancel.method = "CANCEL";
  ASSERT_EQ(client.send(udp(), request_text(cancel)), 0);
  bool cancel_ok = false;
  std::optional<std::string> terminated;
  for (int i = 0; i < 10 && !(cancel_ok && terminated); ++i) {
    std::optional<std::string> got = client.receive();
    ASSERT_TRUE(got);
    if (status_of(*got) == 200 && cseq_method_of(*got) == "CANCEL") cancel_ok = true;
    if (status_of(*got) == 487 && cseq_method_of(*got) == "INVITE") terminated = got;
  }
  EXPECT_TRUE(cancel_ok);
  ASSERT_TRUE(terminated);
  EXPECT_EQ(server.requests("CANCEL"), 1);

  RequestSpec ack = invite;
  ack.method = "ACK";
  ack.to = to_of(*terminated);
  ASSERT_EQ(client.send(udp(), request_text(ack)), 0);
}

// (d) A CANCEL that matches nothing gets 481 (§9.2).
TEST_F(TransactionServer, CancelOfNothingGets481) {
  RequestSpec cancel = spec(client, "CANCEL", "no-such-invite");
  ASSERT_EQ(client.send(udp(), request_text(cancel)), 0);
  EXPECT_TRUE(await_status(client, 481));
}

// (e) A datagram that is not SIP is dropped by the transport; the next request is served.
TEST_F(TransactionServer, GarbageThenOptionsIsStillAnswered) {
  constexpr char garbage[] = "\x00\x01 this is not SIP\r\n\r\n";
  ASSERT_EQ(client.send(udp(), std::string(garbage, sizeof garbage - 1)), 0);
  ASSERT_EQ(client.send(udp(), request_text(spec(client, "OPTIONS", "after-garbage"))), 0);
  std::optional<std::string> reply = await_status(client, 200);
  ASSERT_TRUE(reply);
  EXPECT_NE(reply->find("branch=z9hG4bKafter-garbage"), std::string::npos);
  EXPECT_EQ(server.requests("OPTIONS"), 1);
}

// A request the layer sends over TCP to a port nobody listens on: the connection is refused
// later, and the transaction's TU hears of it (§17.1.4).
TEST_F(TransactionServer, RefusedConnectionIsATransportError) {
  const transport::Endpoint closed{TransportKind::kTcp, tcp().address,
                                   transport::testing::free_port(tcp())};
  ASSERT_NE(closed.port, 0);
  RequestSpec options;
  options.transport = "TCP";
  options.port = tcp().port;
  options.branch = "z9hG4bKrefused";
  server.send_request(request_text(options), transaction::to_peer(transport::Target{closed, 0}));
  EXPECT_TRUE(transport::testing::eventually([&] { return server.transport_errors() == 1; }));
}

// A UDP send that fails at once (no IPv6 socket here) is reported as it happens.
TEST_F(TransactionServer, ImmediateSendFailureIsATransportError) {
  const transport::Endpoint unreachable{TransportKind::kUdp, *transport::IpAddress::parse("::1"), 5060};
  RequestSpec options;
  options.port = udp().port;
  options.branch = "z9hG4bKno-v6";
  server.send_request(request_text(options), transaction::to_peer(transport::Target{unreachable, 0}));
  EXPECT_TRUE(transport::testing::eventually([&] { return server.transport_errors() == 1; }));
}

// RFC 3261 §18.1.1 through the transaction layer: a request over 1300 bytes that the layer
// sends to a UDP address leaves over TCP (its top Via says TCP), and the 200 that comes back on
// that connection completes the client transaction.
TEST_F(TransactionServer, LargeRequestLeavesOverTcpAndItsTransactionCompletes) {
  TestServer far;
  ASSERT_FALSE(far.start_error);
  RequestSpec options;
  options.port = udp().port;
  options.branch = "z9hG4bKlarge";
  std::string big = request_text(options);
  big.insert(big.find("Content-Length"), "X-Pad: " + std::string(1800, 'p') + "\r\n");
  ASSERT_GT(big.size(), 1300u);
  server.send_request(big, transaction::to_peer(transport::Target{far.local(TransportKind::kUdp), 0}));
  EXPECT_TRUE(transport::testing::eventually([&] { return server.responses(200) == 1; }));
  EXPECT_EQ(far.requests("OPTIONS"), 1);
  EXPECT_EQ(server.transport_errors(), 0);
}

// A TCP stream whose header never ends is cut off with 513 and closed; the server still serves.
TEST_F(TransactionServer, EndlessHeaderOnTcpThenTheServerStillServes) {
  TcpPeer endless(tcp());
  ASSERT_TRUE(endless.connected);
  RequestSpec s;
  s.transport = "TCP";
  s.port = endless.port();
  s.branch = "z9hG4bKendless";
  std::string head = request_text(s);
  head.erase(head.find("Content-Length"));
  endless.send(head + "X-Endless: " + std::string(70 * 1024, 'e'));  // no CRLFCRLF, ever
  EXPECT_TRUE(endless.wait_closed());
  EXPECT_TRUE(endless.buffer.starts_with("SIP/2.0 513 ")) << endless.buffer.substr(0, 60);

  ASSERT_EQ(client.send(udp(), request_text(spec(client, "OPTIONS", "after-endless"))), 0);
  std::optional<std::string> reply = await_status(client, 200);
  ASSERT_TRUE(reply);
  EXPECT_EQ(server.requests("OPTIONS"), 1);
}

}  // namespace
}  // namespace trapezoid::integration
