// RFC 3261 §16.3: the checks before a request is proxied, each with its response; and what
// the proxy answers itself (OPTIONS to it, REGISTER to the registrar).
#include "proxy_test_support.hpp"

namespace trapezoid::proxy::test {
namespace {

class ProxyValidation : public ProxyFixture {
 protected:
  void SetUp() override {
    locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060");
    start();
  }
};

TEST_F(ProxyValidation, MaxForwardsZeroGets483AndIsNotForwarded) {
  RequestSpec s;
  s.max_forwards = "0";
  receive(s);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{483});
  EXPECT_TRUE(env.sent_to(bob1).empty());
}

TEST_F(ProxyValidation, OptionsAtMaxForwardsZeroIsAnsweredByTheProxy) {
  // §16.3 step 3: "If the request was for OPTIONS, the element MAY act as the final recipient".
  RequestSpec s;
  s.method = "OPTIONS";
  s.max_forwards = "0";
  receive(s);
  const auto ok = env.response_to(alice, 200);
  ASSERT_TRUE(ok);
  EXPECT_NE(header(ok->message(), sip::HeaderId::kAllow).find("INVITE"), std::string::npos);
  EXPECT_TRUE(env.sent_to(bob1).empty());
}

TEST_F(ProxyValidation, MaxForwardsOneIsForwardedWithZero) {
  RequestSpec s;
  s.max_forwards = "1";
  receive(s);
  EXPECT_EQ(header(only_request(bob1).message(), sip::HeaderId::kMaxForwards), "0");
}

TEST_F(ProxyValidation, UnknownUriSchemeGets416) {
  RequestSpec s;
  s.uri = "urn:service:sos";
  receive(s);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{416});
}

TEST_F(ProxyValidation, TelUriWithoutRouteGets416) {
  RequestSpec s;
  s.uri = "tel:+15551234567";
  receive(s);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{416});
}

TEST_F(ProxyValidation, UnsupportedProxyRequireGets420ListingEveryTag) {
  RequestSpec s;
  s.extra = "Proxy-Require: foo, bar\r\n";
  receive(s);
  const auto r = env.response_to(alice, 420);
  ASSERT_TRUE(r);
  EXPECT_EQ(header(r->message(), sip::HeaderId::kUnsupported), "foo, bar");
  EXPECT_TRUE(env.sent_to(bob1).empty());
}

using ProxyValidationConfig = ProxyFixture;

TEST_F(ProxyValidationConfig, SupportedProxyRequireIsForwarded) {
  config.proxy_require_supported = {"foo"};
  locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060");
  start();
  RequestSpec s;
  s.extra = "Proxy-Require: foo\r\n";
  receive(s);
  EXPECT_EQ(env.requests_to(bob1, "INVITE").size(), 1u);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{100});
}

TEST_F(ProxyValidation, CseqMethodMismatchGets400) {
  std::string text = request_text(RequestSpec{});
  text.replace(text.find("CSeq: 1 INVITE"), 14, "CSeq: 1 BYE");
  receive(text);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{400});
}

TEST_F(ProxyValidation, LoopedRequestGets482) {
  // A request for a foreign domain goes out with its Request-URI unchanged; routed back to us
  // unchanged, it carries our Via with the same loop hash (§16.3 step 4).
  RequestSpec s;
  s.uri = "sip:carol@192.0.2.30";
  s.method = "MESSAGE";
  receive(s);
  const auto out = only_request(peer(30), "MESSAGE");
  ASSERT_FALSE(out.bytes.empty());
  receive(out.bytes, peer(30));
  EXPECT_EQ(env.statuses_to(peer(30)), std::vector<int>{482});
}

TEST_F(ProxyValidation, SpiralWithAnotherRequestUriIsNotALoop) {
  RequestSpec s;
  s.uri = "sip:carol@192.0.2.30";
  s.method = "MESSAGE";
  receive(s);
  std::string back = only_request(peer(30), "MESSAGE").bytes;
  // The next element retargeted it to a user of ours: a spiral (§16.3 step 4).
  back.replace(0, back.find(" SIP/2.0"), "MESSAGE sip:bob@example.com");
  receive(back, peer(30));
  EXPECT_TRUE(env.statuses_to(peer(30)).empty());
  EXPECT_EQ(env.requests_to(bob1, "MESSAGE").size(), 1u);
}

TEST_F(ProxyValidation, OptionsToTheProxyItselfGets200WithItsCapabilities) {
  RequestSpec s;
  s.method = "OPTIONS";
  s.uri = "sip:192.0.2.1:5060";
  receive(s);
  const auto ok = env.response_to(alice, 200);
  ASSERT_TRUE(ok);
  const sip::Message m = ok->message();
  EXPECT_NE(header(m, sip::HeaderId::kAllow).find("OPTIONS"), std::string::npos);
  EXPECT_EQ(header(m, sip::HeaderId::kAccept), "application/sdp");
  EXPECT_EQ(header(m, sip::HeaderId::kSupported), "path");
  EXPECT_NE(header(m, sip::HeaderId::kTo).find(";tag="), std::string::npos);
}

TEST_F(ProxyValidation, OptionsToTheDomainIsAnsweredToo) {
  RequestSpec s;
  s.method = "OPTIONS";
  s.uri = "sip:example.com";
  receive(s);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{200});
}

TEST_F(ProxyValidation, RegisterForALocalDomainGoesToTheHandlerWithoutATransaction) {
  // §8.2.7: answered statelessly by default; a retransmission comes to the handler again.
  RequestSpec s;
  s.method = "REGISTER";
  s.uri = "sip:example.com";
  receive(s);
  ASSERT_EQ(handler.replies.size(), 1u);
  EXPECT_FALSE(handler.replies[0].tx.has_value());
  EXPECT_EQ(handler.uris[0], "sip:example.com");
  EXPECT_EQ(handler.sources[0], alice);
  EXPECT_TRUE(env.statuses_to(alice).empty());  // the handler answers, not the proxy
  EXPECT_EQ(layer->size(), 0u);
  receive(s);
  EXPECT_EQ(handler.replies.size(), 2u);
  EXPECT_EQ(layer->size(), 0u);
}

TEST_F(ProxyValidation, AMalformedRegisterTakesTheStatefulWayAndGetsItsError) {
  RequestSpec s;
  s.method = "REGISTER";
  s.uri = "sip:example.com";
  s.extra = "Proxy-Require: frobnicate\r\n";
  receive(s);
  EXPECT_TRUE(handler.replies.empty());
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{420});
}

TEST_F(ProxyValidation, RegisterForAForeignDomainIsForwarded) {
  RequestSpec s;
  s.method = "REGISTER";
  s.uri = "sip:192.0.2.30";
  receive(s);
  EXPECT_TRUE(handler.registers.empty());
  EXPECT_EQ(env.requests_to(peer(30), "REGISTER").size(), 1u);
}

TEST_F(ProxyValidation, LocalAnswersAreLogged) {
  RequestSpec s;
  s.uri = "sip:nobody@example.com";
  receive(s);
  ASSERT_FALSE(logger.lines.empty());
  EXPECT_EQ(logger.lines.back(), "INVITE sip:nobody@example.com -> 404 (local)");
}

TEST_F(ProxyValidation, NoLineIsWrittenBelowTheLoggersThreshold) {
  logger.threshold = transport::LogLevel::kWarning;  // the per-transaction lines are info
  RequestSpec s;
  s.uri = "sip:nobody@example.com";
  receive(s);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{404}) << "the request is still answered";
  EXPECT_TRUE(logger.lines.empty());
}

TEST_F(ProxyValidationConfig, RegisterGoesToTheHandlerOnATransactionWhenConfigured) {
  config.stateless_register = false;
  start();
  RequestSpec s;
  s.method = "REGISTER";
  s.uri = "sip:example.com";
  receive(s);
  ASSERT_EQ(handler.registers.size(), 1u);
  EXPECT_EQ(handler.sources[0], alice);
  EXPECT_NE(layer->request(handler.registers[0]), nullptr);
  receive(s);  // the retransmission is absorbed by the transaction
  EXPECT_EQ(handler.replies.size(), 1u);
}

}  // namespace
}  // namespace trapezoid::proxy::test
