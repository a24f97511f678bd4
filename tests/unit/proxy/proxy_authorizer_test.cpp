// The RequestAuthorizer hook of the proxy core (§22.3): asked about new requests outside a
// dialog before they are routed, never about ACK, CANCEL or requests inside a dialog (§22.1);
// its verdict is sent in place of routing.
#include "proxy_test_support.hpp"

namespace trapezoid::proxy::test {
namespace {

using sip::HeaderId;

// Demands a Proxy-Authorization field (any) and records what it was asked about.
class DemandsCredentials final : public RequestAuthorizer {
 public:
  AuthorizationVerdict authorize(const sip::Message& request, registrar::UnixSeconds now) override {
    asked.emplace_back(request.method_name());
    last_now = now;
    if (request.find(HeaderId::kProxyAuthorization) != nullptr) return {};
    return {407, "", {{HeaderId::kProxyAuthenticate, "Digest realm=\"example.com\", nonce=\"n1\", qop=\"auth\""}}};
  }
  std::vector<std::string> asked;
  registrar::UnixSeconds last_now = 0;
};

class ProxyAuthorizerTest : public ProxyFixture {
 protected:
  void SetUp() override {
    locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060");
    start();
    core->set_authorizer(&authorizer);
  }
  DemandsCredentials authorizer;
};

TEST_F(ProxyAuthorizerTest, VerdictIsSentInsteadOfRouting) {
  receive(RequestSpec{});
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{407});
  const std::optional<TestEnvironment::Sent> challenge = env.response_to(alice, 407);
  ASSERT_TRUE(challenge);
  EXPECT_EQ(header(challenge->message(), HeaderId::kProxyAuthenticate),
            "Digest realm=\"example.com\", nonce=\"n1\", qop=\"auth\"");
  EXPECT_NE(challenge->bytes.find("407 Proxy Authentication Required"), std::string::npos);
  EXPECT_TRUE(env.requests_to(bob1, "INVITE").empty());
  EXPECT_EQ(authorizer.asked, std::vector<std::string>{"INVITE"});
  EXPECT_EQ(authorizer.last_now, env.unix_now());
}

TEST_F(ProxyAuthorizerTest, GoOnRoutesAsUsual) {
  RequestSpec s;
  s.extra = "Proxy-Authorization: Digest username=\"alice\", realm=\"example.com\"\r\n";
  receive(s);
  EXPECT_EQ(env.requests_to(bob1, "INVITE").size(), 1u);
}

TEST_F(ProxyAuthorizerTest, InDialogCancelAndAckAreNeverAsked) {
  RequestSpec bye;
  bye.method = "BYE";
  bye.uri = "sip:bob@192.0.2.20:5060";
  bye.to_tag = "b1";
  bye.branch = "z9hG4bKbye1";
  receive(bye);
  EXPECT_EQ(env.requests_to(bob1, "BYE").size(), 1u);

  RequestSpec invite;
  invite.branch = "z9hG4bKinv2";
  invite.call_id = "call2@192.0.2.10";
  invite.extra = "Proxy-Authorization: Digest username=\"alice\", realm=\"example.com\"\r\n";
  receive(invite);
  RequestSpec cancel = invite;
  cancel.method = "CANCEL";
  cancel.extra.clear();
  receive(cancel);
  RequestSpec ack;
  ack.method = "ACK";
  ack.branch = "z9hG4bKack9";
  ack.uri = "sip:bob@192.0.2.20:5060";
  ack.to_tag = "b1";
  receive(ack);
  // Only the new INVITE was asked about.
  EXPECT_EQ(authorizer.asked, std::vector<std::string>{"INVITE"});
  // §16.10: the CANCEL was answered by the proxy itself.
  const std::optional<TestEnvironment::Sent> cancel_ok = env.response_to(alice, 200);
  ASSERT_TRUE(cancel_ok);
  EXPECT_EQ(header(cancel_ok->message(), HeaderId::kCSeq), "1 CANCEL");
}

}  // namespace
}  // namespace trapezoid::proxy::test
