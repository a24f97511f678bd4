// RFC 3261 §16.7 / §16.11: what the proxy forwards without a transaction: the ACK of a 2xx
// (it is a transaction of its own, end to end) and responses that match no client transaction.
#include "proxy_test_support.hpp"

namespace trapezoid::proxy::test {
namespace {

using sip::HeaderId;

class ProxyStateless : public ProxyFixture {
 protected:
  void SetUp() override {
    locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060");
    start();
  }
  static RequestSpec ack_of_2xx() {
    RequestSpec s;
    s.method = "ACK";
    s.uri = "sip:bob@192.0.2.20:5060";
    s.branch = "z9hG4bKack1";  // §17.1.1.3: the ACK of a 2xx is a new transaction
    s.to_tag = "t1";
    s.extra = "Route: <sip:192.0.2.1:5060;lr>\r\n";
    return s;
  }
};

TEST_F(ProxyStateless, AckOfA2xxIsForwardedByRouteAndRequestUri) {
  EXPECT_EQ(receive(ack_of_2xx()), TransactionLayer::Received::kStrayAck);
  const auto sent = env.requests_to(bob1, "ACK");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].stateless);
  const sip::Message ack = sent[0].message();
  EXPECT_EQ(ack.request_uri(), "sip:bob@192.0.2.20:5060");
  EXPECT_TRUE(elements(ack, HeaderId::kRoute).empty());  // our Route value is consumed
  EXPECT_EQ(header(ack, HeaderId::kMaxForwards), "69");
  const std::vector<std::string> vias = elements(ack, HeaderId::kVia);
  ASSERT_EQ(vias.size(), 2u);
  EXPECT_TRUE(vias[0].starts_with("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKp.")) << vias[0];
  EXPECT_TRUE(elements(ack, HeaderId::kRecordRoute).empty());
}

TEST_F(ProxyStateless, RetransmittedAckGetsTheSameBranch) {
  receive(ack_of_2xx());
  receive(ack_of_2xx());
  const auto sent = env.requests_to(bob1, "ACK");
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].bytes, sent[1].bytes);  // §16.11: retransmission-invariant
}

TEST_F(ProxyStateless, AckAtMaxForwardsZeroIsDropped) {
  RequestSpec s = ack_of_2xx();
  s.max_forwards = "0";
  receive(s);
  EXPECT_TRUE(env.sent.empty());
}

TEST_F(ProxyStateless, AckForTheProxyItselfIsAbsorbed) {
  RequestSpec s = ack_of_2xx();
  s.uri = "sip:192.0.2.1:5060";
  s.extra.clear();
  receive(s);
  EXPECT_TRUE(env.sent.empty());
}

TEST_F(ProxyStateless, CallEndToEndFollowingRecordRoute) {
  // INVITE, 180, 200 through the proxy; the ACK and BYE come back along the route set.
  receive(RequestSpec{});
  const auto invite = only_request(bob1);
  reply(invite, 180, "t1");
  reply(invite, 200, "t1");
  const sip::Message ok = env.response_to(alice, 200)->message();
  const std::vector<std::string> rr = elements(ok, HeaderId::kRecordRoute);
  ASSERT_EQ(rr.size(), 1u);

  RequestSpec ack = ack_of_2xx();
  ack.extra = "Route: " + rr[0] + "\r\n";
  receive(ack);
  EXPECT_EQ(env.requests_to(bob1, "ACK").size(), 1u);

  RequestSpec bye = ack_of_2xx();
  bye.method = "BYE";
  bye.branch = "z9hG4bKbye1";
  bye.cseq = 2;
  bye.extra = "Route: " + rr[0] + "\r\n";
  receive(bye);
  const auto out = only_request(bob1, "BYE");
  EXPECT_FALSE(out.stateless);  // §16: non-ACK requests are proxied statefully
  reply(out, 200, "t1");
  EXPECT_EQ(header(env.response_to(alice, 200)->message(), HeaderId::kCSeq), "2 BYE");
}

TEST_F(ProxyStateless, StrayResponseWithOurViaGoesToTheNextVia) {
  const std::string text =
      "SIP/2.0 200 OK\r\n"
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKp.0000000000000000.99\r\n"
      "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKalice9;received=192.0.2.11\r\n"
      "To: <sip:bob@example.com>;tag=t1\r\n"
      "From: <sip:alice@example.com>;tag=a1\r\n"
      "Call-ID: late@192.0.2.10\r\n"
      "CSeq: 1 INVITE\r\n"
      "Content-Length: 0\r\n\r\n";
  EXPECT_EQ(layer->receive(parse(text), false, bob1, env.now()), TransactionLayer::Received::kStrayResponse);
  // §18.2.2: the received address at the sent-by port.
  const auto sent = env.sent_to(peer(11, 5062));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].stateless);
  EXPECT_EQ(elements(sent[0].message(), HeaderId::kVia),
            std::vector<std::string>{"SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKalice9;received=192.0.2.11"});
}

TEST_F(ProxyStateless, StrayResponseNotViaUsIsDiscarded) {
  const std::string text =
      "SIP/2.0 200 OK\r\n"
      "Via: SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bKother\r\n"
      "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKalice9\r\n"
      "To: <sip:bob@example.com>;tag=t1\r\n"
      "From: <sip:alice@example.com>;tag=a1\r\n"
      "Call-ID: late@192.0.2.10\r\n"
      "CSeq: 1 INVITE\r\n"
      "Content-Length: 0\r\n\r\n";
  layer->receive(parse(text), false, bob1, env.now());
  EXPECT_TRUE(env.sent.empty());
}

TEST_F(ProxyStateless, Late2xxAfterTheContextEndedIsStillForwarded) {
  receive(RequestSpec{});
  const auto invite = only_request(bob1);
  reply(invite, 200, "t1");
  env.advance(40s);  // Timer M ends the client transaction; the context goes with it
  EXPECT_EQ(core->context_count(), 0u);
  env.sent.clear();
  reply(invite, 200, "t1");
  const auto sent = env.sent_to(alice);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].stateless);
  EXPECT_TRUE(sent[0].bytes.starts_with("SIP/2.0 200 "));
}

}  // namespace
}  // namespace trapezoid::proxy::test
