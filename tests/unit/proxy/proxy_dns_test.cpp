// RFC 3263 in the proxy: branches to host names wait for the resolver's answer, which may come
// after the request has moved on (CANCEL, another branch's 2xx); a destination that fails
// (transport error, timeout, 503) gives way to the next one of the same target (§4.3).
#include "proxy_test_support.hpp"

#include <deque>

namespace trapezoid::proxy::test {
namespace {

using sip::HeaderId;

// A resolver that answers when the test says so: numeric hosts at once (as the real one
// does), names later.
class DeferredResolver final : public TargetResolver {
 public:
  struct Question {
    std::string uri;
    bool sips = false;
    Done done;
  };
  void resolve(const sip::Uri& uri, bool sips, Done done) override {
    if (std::optional<transport::Target> t = numeric.resolve(uri, sips)) return done({*t});
    questions.push_back({sip::to_string(uri), sips, std::move(done)});
  }
  // Answers the oldest question.
  void answer(std::vector<transport::Target> targets) {
    ASSERT_FALSE(questions.empty());
    Question q = std::move(questions.front());
    questions.pop_front();
    q.done(std::move(targets));
  }
  NumericResolver numeric;
  std::deque<Question> questions;
};

transport::Target destination(const Peer& p) {
  transport::Target t;
  t.remote.transport = static_cast<transport::TransportKind>(p.transport);
  t.remote.address = transport::IpAddress::v4({p.address[0], p.address[1], p.address[2], p.address[3]});
  t.remote.port = p.port;
  return t;
}

class ProxyDns : public ProxyFixture {
 protected:
  void SetUp() override {
    resolver = &dns;
    start();
  }
  static RequestSpec to_carol(std::string method = "INVITE") {
    RequestSpec s;
    s.method = std::move(method);
    s.uri = "sip:carol@biloxi.example.org";
    return s;
  }
  DeferredResolver dns;
  const Peer carol1 = peer(30);
  const Peer carol2 = peer(31);
};

TEST_F(ProxyDns, BranchWaitsForTheAnswerThenGoesToTheFirstDestination) {
  receive(to_carol());
  ASSERT_EQ(dns.questions.size(), 1u);
  EXPECT_EQ(dns.questions.front().uri, "sip:carol@biloxi.example.org");
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{100});
  dns.answer({destination(carol1), destination(carol2)});
  const auto sent = only_request(carol1);
  EXPECT_EQ(sent.message().request_uri(), "sip:carol@biloxi.example.org");
  EXPECT_TRUE(env.sent_to(carol2).empty());
  reply(sent, 200);
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 200}));
}

TEST_F(ProxyDns, TlsServerOfANameIsCheckedAgainstTheName) {
  // RFC 5922 §4: the certificate must match the host of the URI resolved, not its address.
  env.endpoints.push_back({transport::TransportKind::kTls, *transport::IpAddress::parse("192.0.2.1"), 5061});
  RequestSpec s = to_carol();
  s.uri = "sips:carol@biloxi.example.org";
  receive(s);
  Peer tls_carol = peer(30, 5061, transport::TransportKind::kTls);
  dns.answer({destination(tls_carol)});
  tls_carol.tls_name = 1;
  const auto sent = only_request(tls_carol);
  EXPECT_EQ(env.tls_names, std::vector<std::string>{"biloxi.example.org"});
  // Its CANCEL goes to the same peer, name and all (§9.1).
  reply(sent, 180);
  RequestSpec cancel = s;
  cancel.method = "CANCEL";
  receive(cancel);
  EXPECT_EQ(env.requests_to(tls_carol, "CANCEL").size(), 1u);
}

TEST_F(ProxyDns, TlsServerGivenByAddressHasNoName) {
  env.endpoints.push_back({transport::TransportKind::kTls, *transport::IpAddress::parse("192.0.2.1"), 5061});
  RequestSpec s = to_carol();
  s.uri = "sips:carol@192.0.2.30";
  receive(s);
  EXPECT_EQ(only_request(peer(30, 5061, transport::TransportKind::kTls)).message().request_uri(),
            "sips:carol@192.0.2.30");
  EXPECT_TRUE(env.tls_names.empty());
}

TEST_F(ProxyDns, TransportErrorMovesToTheNextDestination) {
  env.unreachable = {carol1};
  receive(to_carol());
  dns.answer({destination(carol1), destination(carol2)});
  const auto second = only_request(carol2);
  reply(second, 180);
  reply(second, 200);
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 180, 200}));
}

TEST_F(ProxyDns, A503MovesToTheNextDestination) {
  receive(to_carol());
  dns.answer({destination(carol1), destination(carol2)});
  reply(only_request(carol1), 503);
  const auto second = only_request(carol2);
  // Different branches: a new client transaction for the next destination.
  EXPECT_NE(elements(second.message(), HeaderId::kVia).front(),
            elements(only_request(carol1).message(), HeaderId::kVia).front());
  reply(second, 486);
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 486}));
}

TEST_F(ProxyDns, TimeoutMovesToTheNextDestination) {
  receive(to_carol("MESSAGE"));
  dns.answer({destination(carol1), destination(carol2)});
  ASSERT_EQ(env.requests_to(carol1, "MESSAGE").size(), 1u);
  env.advance(64 * timers.T1 + 1ms);  // Timer F (§17.1.2.2)
  const auto second = env.requests_to(carol2, "MESSAGE");
  ASSERT_EQ(second.size(), 1u);
  reply(second.front(), 200);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{200});
}

TEST_F(ProxyDns, EveryDestinationFailingFailsTheBranch) {
  env.unreachable = {carol1, carol2};
  receive(to_carol());
  dns.answer({destination(carol1), destination(carol2)});
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 500}));  // 503 -> 500 (§16.7 item 6)
}

TEST_F(ProxyDns, NameWithoutAddressFailsTheBranch) {
  receive(to_carol());
  dns.answer({});
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 500}));
  EXPECT_EQ(core->context_count(), 0u);
}

TEST_F(ProxyDns, CancelWhileResolvingAnswers487AndTheLateAnswerSendsNothing) {
  receive(to_carol());
  RequestSpec cancel = to_carol("CANCEL");
  receive(cancel);
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 200, 487}));
  EXPECT_EQ(core->context_count(), 0u);  // the answer finds nothing to continue
  dns.answer({destination(carol1)});
  EXPECT_TRUE(env.sent_to(carol1).empty());
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 200, 487}));
}

TEST_F(ProxyDns, AnswerAfterAnotherBranchsSuccessSendsNothing) {
  locator.bind("sip:bob@example.com", "sip:bob@bob-pc.example.org");
  locator.bind("sip:bob@example.com", "sip:bob@192.0.2.21:5060");
  receive(RequestSpec{});
  ASSERT_EQ(dns.questions.size(), 1u);
  reply(only_request(bob2), 200);
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 200}));
  dns.answer({destination(carol1)});
  EXPECT_TRUE(env.sent_to(carol1).empty());
}

TEST_F(ProxyDns, AckToAHostNameIsForwardedOnceResolved) {
  RequestSpec ack = to_carol("ACK");
  ack.branch = "z9hG4bKack1";
  ack.to_tag = "t1";
  receive(ack);
  ASSERT_EQ(dns.questions.size(), 1u);
  EXPECT_TRUE(env.sent.empty());
  dns.answer({destination(carol1), destination(carol2)});
  const auto sent = env.requests_to(carol1, "ACK");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].stateless);
  EXPECT_EQ(sent[0].message().request_uri(), "sip:carol@biloxi.example.org");
  EXPECT_EQ(header(sent[0].message(), HeaderId::kMaxForwards), "69");
}

TEST_F(ProxyDns, StrayResponseToASentByNameIsResolved) {
  // RFC 3263 §5: the next Via's sent-by is a name without received: SRV (no port) then A.
  const std::string text =
      "SIP/2.0 200 OK\r\n"
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKp.0000000000000000.99\r\n"
      "Via: SIP/2.0/TCP alice-pc.example.org;branch=z9hG4bKalice9\r\n"
      "To: <sip:bob@example.com>;tag=t1\r\n"
      "From: <sip:alice@example.com>;tag=a1\r\n"
      "Call-ID: late@192.0.2.10\r\n"
      "CSeq: 1 INVITE\r\n"
      "Content-Length: 0\r\n\r\n";
  EXPECT_EQ(layer->receive(parse(text), false, bob1, env.now()), TransactionLayer::Received::kStrayResponse);
  ASSERT_EQ(dns.questions.size(), 1u);
  EXPECT_EQ(dns.questions.front().uri, "sip:alice-pc.example.org;transport=TCP");
  EXPECT_TRUE(env.sent.empty());
  const Peer alice_tcp = peer(10, 5060, transport::TransportKind::kTcp);
  dns.answer({destination(alice_tcp)});
  const auto sent = env.sent_to(alice_tcp);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].stateless);
  EXPECT_EQ(elements(sent[0].message(), HeaderId::kVia),
            std::vector<std::string>{"SIP/2.0/TCP alice-pc.example.org;branch=z9hG4bKalice9"});
}

}  // namespace
}  // namespace trapezoid::proxy::test
