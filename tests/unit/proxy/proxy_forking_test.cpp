// RFC 3261 §16.6-§16.7 with several targets: parallel and sequential forking by q, the best
// final response, challenge aggregation, 2xx from several forks, 3xx recursion.
#include "proxy_test_support.hpp"

namespace trapezoid::proxy::test {
namespace {

using sip::HeaderId;

class ProxyForking : public ProxyFixture {
 protected:
  void two_bindings(int q1 = -1, int q2 = -1) {
    locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060", q1);
    locator.bind("sip:bob@example.com", "sip:bob@192.0.2.21:5060", q2);
  }
};

TEST_F(ProxyForking, EqualQTargetsAreTriedInParallel) {
  two_bindings();
  start();
  receive(RequestSpec{});
  const auto b1 = only_request(bob1);
  const auto b2 = only_request(bob2);
  // Distinct branches, one loop hash (§16.6 item 8).
  const std::string v1 = elements(b1.message(), HeaderId::kVia)[0];
  const std::string v2 = elements(b2.message(), HeaderId::kVia)[0];
  EXPECT_NE(v1, v2);
  EXPECT_EQ(v1.substr(0, v1.rfind('.')), v2.substr(0, v2.rfind('.')));
}

TEST_F(ProxyForking, TwoXxCancelsTheOtherRingingBranch) {
  two_bindings();
  start();
  receive(RequestSpec{});
  const auto b1 = only_request(bob1);
  const auto b2 = only_request(bob2);
  reply(b1, 180, "t1");
  reply(b2, 180, "t2");
  reply(b1, 200, "t1");
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 180, 180, 200}));
  // §16.7 item 10, §9.1: CANCEL with the branch's Request-URI, top Via (same branch), CSeq number.
  const sip::Message cancel = only_request(bob2, "CANCEL").message();
  const sip::Message invite = b2.message();
  EXPECT_EQ(cancel.request_uri(), invite.request_uri());
  EXPECT_EQ(elements(cancel, HeaderId::kVia), std::vector<std::string>{elements(invite, HeaderId::kVia)[0]});
  EXPECT_EQ(header(cancel, HeaderId::kCSeq), "1 CANCEL");
  EXPECT_EQ(header(cancel, HeaderId::kCallId), header(invite, HeaderId::kCallId));
  EXPECT_TRUE(env.requests_to(bob1, "CANCEL").empty());
  // The cancelled branch ends with 487, which stays here: a 2xx went up already.
  reply(only_request(bob2, "CANCEL"), 200, "t2");
  reply(b2, 487, "t2");
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 180, 180, 200}));
}

TEST_F(ProxyForking, CancelWaitsForAProvisionalResponse) {
  two_bindings();
  start();
  receive(RequestSpec{});
  const auto b1 = only_request(bob1);
  const auto b2 = only_request(bob2);
  reply(b1, 200, "t1");
  // §9.1: no CANCEL before the branch has answered provisionally.
  EXPECT_TRUE(env.requests_to(bob2, "CANCEL").empty());
  reply(b2, 180, "t2");
  EXPECT_EQ(env.requests_to(bob2, "CANCEL").size(), 1u);
  // The late 180 is not forwarded: a final response went up already.
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 200}));
}

TEST_F(ProxyForking, EveryTwoXxOfAnInviteIsForwarded) {
  two_bindings();
  start();
  receive(RequestSpec{});
  const auto b1 = only_request(bob1);
  const auto b2 = only_request(bob2);
  reply(b1, 200, "t1");
  reply(b2, 200, "t2");  // before the CANCEL got there
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 200, 200}));
  EXPECT_NE(env.sent_to(alice).back().bytes.find("tag=t2"), std::string::npos);
}

TEST_F(ProxyForking, TwoXxRetransmissionIsForwardedAgain) {
  two_bindings();
  start();
  receive(RequestSpec{});
  const auto b1 = only_request(bob1);
  reply(b1, 200, "t1");
  reply(b1, 200, "t1");  // RFC 6026 §8.4: the Accepted client transaction passes it up
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 200, 200}));
}

TEST_F(ProxyForking, BusyAndDeclineGive603) {
  two_bindings();
  start();
  receive(RequestSpec{});
  reply(only_request(bob1), 486, "t1");
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{100});  // not yet: one branch pending
  reply(only_request(bob2), 603, "t2");
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 603}));
  EXPECT_NE(env.response_to(alice, 603)->bytes.find("tag=t2"), std::string::npos);
}

TEST_F(ProxyForking, SixXxCancelsPendingBranchesAndWinsAfterTheirEnd) {
  two_bindings();
  start();
  receive(RequestSpec{});
  const auto b1 = only_request(bob1);
  const auto b2 = only_request(bob2);
  reply(b2, 180, "t2");
  reply(b1, 603, "t1");
  EXPECT_EQ(env.requests_to(bob2, "CANCEL").size(), 1u);  // §16.7 item 5
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 180}));
  reply(b2, 487, "t2");
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 180, 603}));
}

TEST_F(ProxyForking, LowestClassWinsWithout6xx) {
  two_bindings();
  start();
  receive(RequestSpec{});
  reply(only_request(bob1), 500, "t1");
  reply(only_request(bob2), 486, "t2");
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 486}));
}

TEST_F(ProxyForking, Only503BecomesA500) {
  locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060");
  start();
  receive(RequestSpec{});
  reply(only_request(bob1), 503, "t1");
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 500}));
}

TEST_F(ProxyForking, ChallengesOfAllBranchesAreAggregated) {
  two_bindings();
  start();
  receive(RequestSpec{});
  const sip::HeaderLine www[] = {{HeaderId::kWwwAuthenticate, R"(Digest realm="bob1", nonce="n1")"}};
  const sip::HeaderLine proxy_auth[] = {{HeaderId::kProxyAuthenticate, R"(Digest realm="bob2", nonce="n2")"}};
  reply(only_request(bob1), 401, "t1", www);
  reply(only_request(bob2), 407, "t2", proxy_auth);
  const std::vector<int> statuses = env.statuses_to(alice);
  ASSERT_EQ(statuses.size(), 2u);
  EXPECT_TRUE(statuses[1] == 401 || statuses[1] == 407);
  // §16.7 item 7: both challenges in the one response.
  const sip::Message chosen = env.sent_to(alice).back().message();
  EXPECT_EQ(header(chosen, HeaderId::kWwwAuthenticate), R"(Digest realm="bob1", nonce="n1")");
  EXPECT_EQ(header(chosen, HeaderId::kProxyAuthenticate), R"(Digest realm="bob2", nonce="n2")");
  EXPECT_EQ(elements(chosen, HeaderId::kVia).size(), 1u);
}

TEST_F(ProxyForking, LowerQIsTriedOnlyAfterTheHigherGroupFailed) {
  two_bindings(1000, 500);
  start();
  receive(RequestSpec{});
  EXPECT_TRUE(env.requests_to(bob2, "INVITE").empty());
  reply(only_request(bob1), 486, "t1");
  const auto b2 = only_request(bob2);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{100});
  reply(b2, 200, "t2");
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 200}));
}

TEST_F(ProxyForking, NoQCountsAsOneAndGoesFirst) {
  two_bindings(700, -1);
  start();
  receive(RequestSpec{});
  EXPECT_EQ(env.requests_to(bob2, "INVITE").size(), 1u);
  EXPECT_TRUE(env.requests_to(bob1, "INVITE").empty());
}

TEST_F(ProxyForking, TwoXxStopsTheSequentialSearch) {
  two_bindings(1000, 500);
  start();
  receive(RequestSpec{});
  reply(only_request(bob1), 200, "t1");
  EXPECT_TRUE(env.requests_to(bob2, "INVITE").empty());
}

TEST_F(ProxyForking, NonInviteTakesTheFirstFinalOnly) {
  two_bindings();
  start();
  RequestSpec s;
  s.method = "MESSAGE";
  receive(s);
  reply(only_request(bob1, "MESSAGE"), 200, "t1");
  reply(only_request(bob2, "MESSAGE"), 200, "t2");
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{200});
  EXPECT_TRUE(env.requests_to(bob2, "CANCEL").empty());  // §9.1: no CANCEL for non-INVITE
}

TEST_F(ProxyForking, ThreeXxIsPassedUpWithoutRecursion) {
  locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060");
  start();
  receive(RequestSpec{});
  const sip::HeaderLine moved[] = {{HeaderId::kContact, "<sip:carol@192.0.2.30>"}};
  reply(only_request(bob1), 302, "t1", moved);
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 302}));
  EXPECT_EQ(header(env.response_to(alice, 302)->message(), HeaderId::kContact), "<sip:carol@192.0.2.30>");
  EXPECT_TRUE(env.sent_to(peer(30)).empty());
}

TEST_F(ProxyForking, ThreeXxContactsBecomeNewTargetsWhenRecursing) {
  config.recurse_on_3xx = true;
  locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060");
  start();
  receive(RequestSpec{});
  const sip::HeaderLine moved[] = {{HeaderId::kContact, "<sip:carol@192.0.2.30>;q=0.5"}};
  reply(only_request(bob1), 302, "t1", moved);
  const auto carol = only_request(peer(30));
  EXPECT_EQ(carol.message().request_uri(), "sip:carol@192.0.2.30");
  reply(carol, 200, "c1");
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 200}));
}

TEST_F(ProxyForking, RecursionNeverRetriesATargetAndReturnsWhatIsLeft) {
  config.recurse_on_3xx = true;
  locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060");
  start();
  receive(RequestSpec{});
  // One contact names the target tried already (§16.5: a target enters the set once), the
  // other is not SIP: nothing new to try, and the 302 goes up with only the non-SIP contact.
  const sip::HeaderLine moved[] = {{HeaderId::kContact, "<sip:bob@192.0.2.20:5060>"},
                                   {HeaderId::kContact, "<mailto:bob@example.com>"}};
  reply(only_request(bob1), 302, "t1", moved);
  EXPECT_EQ(env.requests_to(bob1, "INVITE").size(), 1u);
  const auto up = env.response_to(alice, 302);
  ASSERT_TRUE(up);
  EXPECT_EQ(elements(up->message(), HeaderId::kContact), std::vector<std::string>{"<mailto:bob@example.com>"});
  EXPECT_EQ(elements(up->message(), HeaderId::kVia).size(), 1u);
}

TEST_F(ProxyForking, ForeignRequestUriIsNotRecursed) {
  // §16.5: a proxy not responsible for the Request-URI does not recurse on 3xx.
  config.recurse_on_3xx = true;
  start();
  RequestSpec s;
  s.uri = "sip:carol@192.0.2.30";
  receive(s);
  const sip::HeaderLine moved[] = {{HeaderId::kContact, "<sip:dave@192.0.2.31>"}};
  reply(only_request(peer(30)), 301, "t1", moved);
  EXPECT_TRUE(env.sent_to(peer(31)).empty());
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 301}));
}

TEST_F(ProxyForking, AllBranchesFailingAtOnceGiveTheBestAtOnce) {
  locator.bind("sip:bob@example.com", "sip:bob@host-a.example.net");
  locator.bind("sip:bob@example.com", "sip:bob@host-b.example.net");
  start();
  receive(RequestSpec{});
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 500}));
  EXPECT_EQ(core->context_count(), 0u);
}

}  // namespace
}  // namespace trapezoid::proxy::test
