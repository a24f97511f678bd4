// RFC 3261 §16.10 (CANCEL from upstream), §16.8 (Timer C) and §9.1 (CANCEL timing).
#include "proxy_test_support.hpp"

namespace trapezoid::proxy::test {
namespace {

using sip::HeaderId;

class ProxyCancel : public ProxyFixture {
 protected:
  void SetUp() override {
    locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060");
    locator.bind("sip:bob@example.com", "sip:bob@192.0.2.21:5060");
  }
  void caller_cancels() {
    RequestSpec s;
    s.method = "CANCEL";
    receive(s);
  }
};

TEST_F(ProxyCancel, CallerCancelGets200AndCancelsEveryBranch) {
  start();
  receive(RequestSpec{});
  const auto b1 = only_request(bob1);
  const auto b2 = only_request(bob2);
  reply(b1, 180, "t1");
  reply(b2, 180, "t2");
  caller_cancels();
  // §16.10: 200 to the CANCEL at once.
  const auto ok = env.response_to(alice, 200);
  ASSERT_TRUE(ok);
  EXPECT_EQ(header(ok->message(), HeaderId::kCSeq), "1 CANCEL");
  EXPECT_EQ(env.requests_to(bob1, "CANCEL").size(), 1u);
  EXPECT_EQ(env.requests_to(bob2, "CANCEL").size(), 1u);
  // The UASs end their INVITEs with 487, which goes upstream once both are in.
  reply(b1, 487, "t1");
  reply(b2, 487, "t2");
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 180, 180, 200, 487}));
}

TEST_F(ProxyCancel, CancelOfABranchWithoutProvisionalWaitsForOne) {
  start();
  receive(RequestSpec{});
  const auto b1 = only_request(bob1);
  const auto b2 = only_request(bob2);
  reply(b1, 180, "t1");
  caller_cancels();
  EXPECT_EQ(env.requests_to(bob1, "CANCEL").size(), 1u);
  EXPECT_TRUE(env.requests_to(bob2, "CANCEL").empty());  // §9.1
  reply(b2, 100, "t2");
  EXPECT_EQ(env.requests_to(bob2, "CANCEL").size(), 1u);
}

TEST_F(ProxyCancel, CancelStopsTheSequentialSearch) {
  locator.bindings.clear();
  locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060", 1000);
  locator.bind("sip:bob@example.com", "sip:bob@192.0.2.21:5060", 500);
  start();
  receive(RequestSpec{});
  const auto b1 = only_request(bob1);
  reply(b1, 180, "t1");
  caller_cancels();
  reply(b1, 487, "t1");
  EXPECT_TRUE(env.requests_to(bob2, "INVITE").empty());
  EXPECT_EQ(env.statuses_to(alice).back(), 487);
}

TEST_F(ProxyCancel, CancelMatchingNothingGets481) {
  start();
  caller_cancels();
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{481});
}

TEST_F(ProxyCancel, TimerCCancelsARingingBranch) {
  locator.bindings.clear();
  locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060");
  start();
  receive(RequestSpec{});
  const auto b1 = only_request(bob1);
  reply(b1, 180, "t1");
  env.advance(180s);
  EXPECT_TRUE(env.requests_to(bob1, "CANCEL").empty());
  env.advance(1s);  // §16.6 item 11: 181 s by default
  EXPECT_EQ(env.requests_to(bob1, "CANCEL").size(), 1u);
  reply(b1, 487, "t1");
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 180, 487}));
}

TEST_F(ProxyCancel, ProvisionalResponsesResetTimerC) {
  locator.bindings.clear();
  locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060");
  start();
  receive(RequestSpec{});
  const auto b1 = only_request(bob1);
  reply(b1, 180, "t1");
  env.advance(170s);
  reply(b1, 183, "t1");  // §16.7 item 2
  env.advance(170s);
  EXPECT_TRUE(env.requests_to(bob1, "CANCEL").empty());
  env.advance(11s);
  EXPECT_EQ(env.requests_to(bob1, "CANCEL").size(), 1u);
}

TEST_F(ProxyCancel, TimerCWithoutProvisionalActsAsA408) {
  // With T1 = 5 s, Timer B (64*T1 = 320 s) outlasts Timer C: the branch is still Calling.
  timers.T1 = std::chrono::seconds(5);
  locator.bindings.clear();
  locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060");
  start();
  receive(RequestSpec{});
  (void)only_request(bob1);
  env.advance(181s);
  EXPECT_TRUE(env.requests_to(bob1, "CANCEL").empty());  // §16.8: no CANCEL without a provisional
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 408}));
  env.advance(400s);
  EXPECT_EQ(core->context_count(), 0u);
  EXPECT_EQ(env.pending_timers(), 0u);
}

TEST_F(ProxyCancel, UnansweredCancelGivesTheBranchUpAfter64T1) {
  locator.bindings.clear();
  locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060");
  start();
  receive(RequestSpec{});
  const auto b1 = only_request(bob1);
  reply(b1, 180, "t1");
  caller_cancels();
  env.advance(31s);
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 180, 200}));
  env.advance(2s);  // §9.1: 64*T1 = 32 s after the CANCEL
  EXPECT_EQ(env.statuses_to(alice).back(), 408);
  env.advance(100s);
  EXPECT_EQ(core->context_count(), 0u);
  EXPECT_EQ(layer->size(), 0u);
}

TEST_F(ProxyCancel, TimerCIsNotArmedForNonInvite) {
  start();
  RequestSpec s;
  s.method = "MESSAGE";
  receive(s);
  EXPECT_EQ(env.pending_timers(), 0u);
}

}  // namespace
}  // namespace trapezoid::proxy::test
