// RFC 3261 §8.3: the redirect mode of the core: 302 with the contacts of the target, never a
// request of its own.
#include "proxy_test_support.hpp"

namespace trapezoid::proxy::test {
namespace {

using sip::HeaderId;

class RedirectServer : public ProxyFixture {
 protected:
  void SetUp() override {
    config.mode = ProxyMode::kRedirect;
    locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060", 1000, env.unix_ + 3600);
    locator.bind("sip:bob@example.com", "sip:bob@192.0.2.21:5060", 500, env.unix_ + 60);
    start();
  }
};

TEST_F(RedirectServer, InviteGets302ListingEveryContactWithQAndExpires) {
  receive(RequestSpec{});
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{302});
  EXPECT_EQ(elements(env.response_to(alice, 302)->message(), HeaderId::kContact),
            (std::vector<std::string>{"<sip:bob@192.0.2.20:5060>;q=1;expires=3600",
                                      "<sip:bob@192.0.2.21:5060>;q=0.5;expires=60"}));
  EXPECT_TRUE(env.sent_to(bob1).empty());
  EXPECT_TRUE(env.sent_to(bob2).empty());
}

TEST_F(RedirectServer, OtherMethodsAreRedirectedToo) {
  RequestSpec s;
  s.method = "MESSAGE";
  receive(s);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{302});
}

TEST_F(RedirectServer, UnknownUserGets404AndUnreachableOne480) {
  locator.users.insert("sip:carol@example.com");
  RequestSpec s;
  s.uri = "sip:nobody@example.com";
  receive(s);
  s.uri = "sip:carol@example.com";
  s.branch = "z9hG4bKalice2";
  s.call_id = "call2@192.0.2.10";
  receive(s);
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{404, 480}));
}

TEST_F(RedirectServer, NeverRedirectsToTheRequestUriItself) {
  locator.bindings.clear();
  locator.bind("sip:bob@example.com", "sip:bob@example.com");
  RequestSpec s;
  receive(s);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{404});
}

TEST_F(RedirectServer, ForeignDomainGets404) {
  RequestSpec s;
  s.uri = "sip:carol@192.0.2.30";
  receive(s);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{404});
  EXPECT_TRUE(env.sent_to(peer(30)).empty());
}

TEST_F(RedirectServer, RegisterStillGoesToTheHandler) {
  RequestSpec s;
  s.method = "REGISTER";
  s.uri = "sip:example.com";
  receive(s);
  EXPECT_EQ(handler.replies.size(), 1u);
}

TEST_F(RedirectServer, CancelGets200) {
  // §8.3: "For well-formed CANCEL requests, it SHOULD return a 2xx response."
  receive(RequestSpec{});
  RequestSpec c;
  c.method = "CANCEL";
  receive(c);
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{302, 200}));
}

TEST_F(RedirectServer, StrayAckAndResponsesAreNotForwarded) {
  RequestSpec s;
  s.method = "ACK";
  s.uri = "sip:bob@192.0.2.20:5060";
  s.to_tag = "t1";
  s.branch = "z9hG4bKack";
  receive(s);
  EXPECT_TRUE(env.sent.empty());
}

}  // namespace
}  // namespace trapezoid::proxy::test
