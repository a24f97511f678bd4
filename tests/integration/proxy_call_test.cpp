// The proxy (RFC 3261 §16) on real loopback sockets: a caller and one or two callees as plain
// UDP sockets around a SipWorker running ProxyCore. T1 is 100 ms, and every wait is bounded.
#include <gtest/gtest.h>

#include "proxy_server.hpp"
#include "sip/header_list.hpp"

namespace trapezoid::integration {
namespace {

using sip::HeaderId;

transaction::TimerConfig fast_timers() {
  transaction::TimerConfig t;
  t.T1 = std::chrono::milliseconds(100);
  return t;
}

// A request from alice's UA (127.0.0.1, its own port) with the given first line and extras.
std::string alice_request(const UdpPeer& alice, const std::string& method, const std::string& uri,
                          const std::string& branch, std::uint32_t cseq, const std::string& to,
                          const std::string& extra = {}) {
  return method + " " + uri + " SIP/2.0\r\n"
         "Via: SIP/2.0/UDP 127.0.0.1:" + std::to_string(alice.port()) + ";branch=" + branch + ";rport\r\n"
         "Max-Forwards: 70\r\n"
         "To: " + to + "\r\n"
         "From: Alice <sip:alice@example.com>;tag=al1\r\n"
         "Call-ID: proxy-call-" + branch + "@127.0.0.1\r\n"
         "CSeq: " + std::to_string(cseq) + " " + method + "\r\n"
         "Contact: <sip:alice@127.0.0.1:" + std::to_string(alice.port()) + ">\r\n" +
         extra + "Content-Length: 0\r\n\r\n";
}

class ProxyCall : public ::testing::Test {
 protected:
  UdpPeer alice{false};
  UdpPeer bob1{false};
  UdpPeer bob2{false};
};

TEST_F(ProxyCall, InviteRingingAnswerAckByeThroughTheProxy) {
  ProxyServer proxy({binding("sip:bob@example.com", bob1.port())}, fast_timers());
  ASSERT_FALSE(proxy.start_error) << proxy.start_error.message();
  const std::string bob_contact = "<sip:bob@127.0.0.1:" + std::to_string(bob1.port()) + ">";
  const std::string call = "z9hG4bKcall1";

  ASSERT_EQ(alice.send(proxy.udp(), alice_request(alice, "INVITE", "sip:bob@example.com", call, 1,
                                                  "<sip:bob@example.com>")), 0);
  ASSERT_TRUE(await_response(alice, 100, "INVITE"));

  std::optional<Received> invite = await_request(bob1, "INVITE");
  ASSERT_TRUE(invite);
  EXPECT_EQ(invite->message.request_uri(), "sip:bob@127.0.0.1:" + std::to_string(bob1.port()));
  EXPECT_EQ(list_of(invite->message, HeaderId::kVia).size(), 2u);
  EXPECT_EQ(invite->message.find(HeaderId::kMaxForwards)->value, "69");
  const std::vector<std::string> rr = list_of(invite->message, HeaderId::kRecordRoute);
  ASSERT_EQ(rr.size(), 1u);
  EXPECT_EQ(rr[0], "<sip:127.0.0.1:" + std::to_string(proxy.udp().port) + ";lr>");

  ASSERT_EQ(bob1.send(proxy.udp(), answer(invite->message, 180, "b1", bob_contact)), 0);
  ASSERT_TRUE(await_response(alice, 180, "INVITE"));
  ASSERT_EQ(bob1.send(proxy.udp(), answer(invite->message, 200, "b1", bob_contact)), 0);
  std::optional<Received> ok = await_response(alice, 200, "INVITE");
  ASSERT_TRUE(ok);
  EXPECT_EQ(list_of(ok->message, HeaderId::kVia).size(), 1u);
  EXPECT_EQ(list_of(ok->message, HeaderId::kRecordRoute), rr);

  // §12.2.1.1: the dialog's requests go to the remote target by the route set (the proxy).
  const std::string remote_target = "sip:bob@127.0.0.1:" + std::to_string(bob1.port());
  const std::string to = "<sip:bob@example.com>;tag=b1";
  const std::string route = "Route: " + rr[0] + "\r\n";
  ASSERT_EQ(alice.send(proxy.udp(), alice_request(alice, "ACK", remote_target, "z9hG4bKack1", 1, to, route)), 0);
  std::optional<Received> ack = await_request(bob1, "ACK");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->message.request_uri(), remote_target);
  EXPECT_TRUE(list_of(ack->message, HeaderId::kRoute).empty());
  EXPECT_EQ(list_of(ack->message, HeaderId::kVia).size(), 2u);

  ASSERT_EQ(alice.send(proxy.udp(), alice_request(alice, "BYE", remote_target, "z9hG4bKbye1", 2, to, route)), 0);
  std::optional<Received> bye = await_request(bob1, "BYE");
  ASSERT_TRUE(bye);
  ASSERT_EQ(bob1.send(proxy.udp(), answer(bye->message, 200, "b1")), 0);
  EXPECT_TRUE(await_response(alice, 200, "BYE"));
}

TEST_F(ProxyCall, ForkedCallOneAnswersTheOtherIsCancelled) {
  ProxyServer proxy({binding("sip:bob@example.com", bob1.port()), binding("sip:bob@example.com", bob2.port())},
                    fast_timers());
  ASSERT_FALSE(proxy.start_error) << proxy.start_error.message();

  ASSERT_EQ(alice.send(proxy.udp(), alice_request(alice, "INVITE", "sip:bob@example.com", "z9hG4bKfork1", 1,
                                                  "<sip:bob@example.com>")), 0);
  std::optional<Received> inv1 = await_request(bob1, "INVITE");
  std::optional<Received> inv2 = await_request(bob2, "INVITE");
  ASSERT_TRUE(inv1);
  ASSERT_TRUE(inv2);

  ASSERT_EQ(bob1.send(proxy.udp(), answer(inv1->message, 180, "b1")), 0);
  ASSERT_EQ(bob2.send(proxy.udp(), answer(inv2->message, 180, "b2")), 0);
  ASSERT_TRUE(await_response(alice, 180, "INVITE"));
  ASSERT_EQ(bob1.send(proxy.udp(), answer(inv1->message, 200, "b1", "<sip:bob@127.0.0.1:" +
                                                                        std::to_string(bob1.port()) + ">")), 0);
  ASSERT_TRUE(await_response(alice, 200, "INVITE"));

  // §16.7 item 10: the other branch is cancelled; its INVITE ends with 487, which the proxy's
  // client transaction acknowledges (§17.1.1.3) and keeps to itself.
  std::optional<Received> cancel = await_request(bob2, "CANCEL");
  ASSERT_TRUE(cancel);
  EXPECT_EQ(list_of(cancel->message, HeaderId::kVia), std::vector<std::string>{list_of(inv2->message, HeaderId::kVia)[0]});
  ASSERT_EQ(bob2.send(proxy.udp(), answer(cancel->message, 200, "b2")), 0);
  ASSERT_EQ(bob2.send(proxy.udp(), answer(inv2->message, 487, "b2")), 0);
  std::optional<Received> ack487 = await_request(bob2, "ACK");
  ASSERT_TRUE(ack487);
  EXPECT_EQ(ack487->message.find(HeaderId::kCSeq)->value, "1 ACK");

  EXPECT_FALSE(await_response(alice, 487, "INVITE", 400ms));
}

TEST_F(ProxyCall, CallerCancelReachesTheRingingCallee) {
  ProxyServer proxy({binding("sip:bob@example.com", bob1.port())}, fast_timers());
  ASSERT_FALSE(proxy.start_error) << proxy.start_error.message();
  const std::string branch = "z9hG4bKcancel1";
  ASSERT_EQ(alice.send(proxy.udp(), alice_request(alice, "INVITE", "sip:bob@example.com", branch, 1,
                                                  "<sip:bob@example.com>")), 0);
  std::optional<Received> invite = await_request(bob1, "INVITE");
  ASSERT_TRUE(invite);
  ASSERT_EQ(bob1.send(proxy.udp(), answer(invite->message, 180, "b1")), 0);
  ASSERT_TRUE(await_response(alice, 180, "INVITE"));

  ASSERT_EQ(alice.send(proxy.udp(), alice_request(alice, "CANCEL", "sip:bob@example.com", branch, 1,
                                                  "<sip:bob@example.com>")), 0);
  ASSERT_TRUE(await_response(alice, 200, "CANCEL"));  // §16.10: at once, from the proxy
  std::optional<Received> cancel = await_request(bob1, "CANCEL");
  ASSERT_TRUE(cancel);
  ASSERT_EQ(bob1.send(proxy.udp(), answer(cancel->message, 200, "b1")), 0);
  ASSERT_EQ(bob1.send(proxy.udp(), answer(invite->message, 487, "b1")), 0);
  EXPECT_TRUE(await_response(alice, 487, "INVITE"));
}

TEST_F(ProxyCall, UnknownUserGets404) {
  ProxyServer proxy({}, fast_timers());
  ASSERT_FALSE(proxy.start_error) << proxy.start_error.message();
  ASSERT_EQ(alice.send(proxy.udp(), alice_request(alice, "INVITE", "sip:nobody@example.com", "z9hG4bKnf", 1,
                                                  "<sip:nobody@example.com>")), 0);
  EXPECT_TRUE(await_response(alice, 404, "INVITE"));
}

}  // namespace
}  // namespace trapezoid::integration
