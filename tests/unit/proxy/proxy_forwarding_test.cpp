// RFC 3261 §16.4-§16.7 for one target: Route preprocessing, the target set from the location
// service, the forwarded copy (Request-URI, Max-Forwards, Record-Route, Via, Route from Path,
// NAT address), and the responses on the way back.
#include "proxy_test_support.hpp"

#include "proxy/branch_id.hpp"

namespace trapezoid::proxy::test {
namespace {

using sip::HeaderId;

class ProxyForwarding : public ProxyFixture {
 protected:
  void SetUp() override { locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060"); }
};

TEST_F(ProxyForwarding, UnknownUserGets404) {
  start();
  RequestSpec s;
  s.uri = "sip:nobody@example.com";
  receive(s);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{404});
}

TEST_F(ProxyForwarding, KnownUserWithoutBindingsGets480) {
  locator.users.insert("sip:carol@example.com");
  start();
  RequestSpec s;
  s.uri = "sip:carol@example.com";
  receive(s);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{480});
}

TEST_F(ProxyForwarding, ExpiredBindingsCountAsNone) {
  locator.bind("sip:carol@example.com", "sip:carol@192.0.2.30", -1, env.unix_ - 1);
  start();
  RequestSpec s;
  s.uri = "sip:carol@example.com";
  receive(s);
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{480});
}

TEST_F(ProxyForwarding, RequestUriIsCanonicalisedForTheLookup) {
  start();
  RequestSpec s;
  s.uri = "sip:%62ob@EXAMPLE.com;transport=udp";  // §10.3 step 5: unescaped, host lower-cased
  receive(s);
  EXPECT_EQ(env.requests_to(bob1, "INVITE").size(), 1u);
}

TEST_F(ProxyForwarding, InviteIsForwardedToTheContactWithTheProxysEdits) {
  start();
  receive(RequestSpec{});
  // §16.2: 100 (Trying) at once for an INVITE.
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{100});
  const sip::Message out = only_request(bob1).message();
  EXPECT_EQ(out.request_uri(), "sip:bob@192.0.2.20:5060");        // §16.6 item 2
  EXPECT_EQ(header(out, HeaderId::kMaxForwards), "69");            // item 3
  EXPECT_EQ(elements(out, HeaderId::kRecordRoute),                  // item 4
            std::vector<std::string>{"<sip:192.0.2.1:5060;lr>"});
  const std::vector<std::string> vias = elements(out, HeaderId::kVia);  // item 8
  ASSERT_EQ(vias.size(), 2u);
  EXPECT_TRUE(vias[0].starts_with("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKp.")) << vias[0];
  EXPECT_EQ(vias[1], "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKalice1");
  EXPECT_EQ(header(out, HeaderId::kContentLength), "0");            // item 9
  // Everything else untouched (item 1).
  EXPECT_EQ(header(out, HeaderId::kFrom), "Alice <sip:alice@example.com>;tag=a1");
  EXPECT_EQ(header(out, HeaderId::kContact), "<sip:alice@192.0.2.10:5060>");
  EXPECT_EQ(header(out, HeaderId::kCSeq), "1 INVITE");
}

TEST_F(ProxyForwarding, BodyAndUnknownHeadersAreKeptByteForByte) {
  start();
  std::string text = request_text(RequestSpec{});
  const std::string body = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\n";
  text.replace(text.find("Content-Length: 0"), 17,
               "X-Custom:  odd   spacing\r\nContent-Type: application/sdp\r\nContent-Length: " +
                   std::to_string(body.size()));
  text += body;
  receive(text);
  const sip::Message out = only_request(bob1).message();
  EXPECT_EQ(out.body(), body);
  EXPECT_EQ(header(out, HeaderId::kContentLength), std::to_string(body.size()));
  ASSERT_NE(out.find("X-Custom"), nullptr);
  EXPECT_EQ(out.find("X-Custom")->value, "odd   spacing");
}

TEST_F(ProxyForwarding, MissingMaxForwardsIsAddedAs70) {
  start();
  RequestSpec s;
  s.max_forwards = "";
  receive(s);
  EXPECT_EQ(header(only_request(bob1).message(), HeaderId::kMaxForwards), "70");
}

TEST_F(ProxyForwarding, ExistingRecordRouteStaysBelowOurs) {
  start();
  RequestSpec s;
  s.extra = "Record-Route: <sip:p0.example.net;lr>\r\n";
  receive(s);
  EXPECT_EQ(elements(only_request(bob1).message(), HeaderId::kRecordRoute),
            (std::vector<std::string>{"<sip:192.0.2.1:5060;lr>", "<sip:p0.example.net;lr>"}));
}

TEST_F(ProxyForwarding, NonDialogRequestsAreNotRecordRouted) {
  start();
  RequestSpec s;
  s.method = "MESSAGE";
  receive(s);
  EXPECT_TRUE(elements(only_request(bob1, "MESSAGE").message(), HeaderId::kRecordRoute).empty());
  EXPECT_TRUE(env.statuses_to(alice).empty());  // §16.2: no 100 for a non-INVITE
}

TEST_F(ProxyForwarding, RecordRouteCanBeTurnedOff) {
  config.record_route = false;
  start();
  receive(RequestSpec{});
  EXPECT_TRUE(elements(only_request(bob1).message(), HeaderId::kRecordRoute).empty());
}

TEST_F(ProxyForwarding, ChangingTransportRecordsBothSides) {
  // RFC 5658: in on UDP, out on TCP: the TCP side on top, the UDP side below.
  locator.bindings.clear();
  locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060;transport=tcp");
  start();
  receive(RequestSpec{});
  const Peer bob_tcp = peer(20, 5060, transport::TransportKind::kTcp);
  const sip::Message out = only_request(bob_tcp).message();
  EXPECT_EQ(elements(out, HeaderId::kRecordRoute),
            (std::vector<std::string>{"<sip:192.0.2.1:5060;transport=tcp;lr>", "<sip:192.0.2.1:5060;lr>"}));
  EXPECT_TRUE(elements(out, HeaderId::kVia)[0].starts_with("SIP/2.0/TCP 192.0.2.1:5060;"));
}

TEST_F(ProxyForwarding, AdvertisedHostGoesIntoViaAndRecordRoute) {
  config.advertised_host = "proxy.example.com";
  config.hosts = {"proxy.example.com"};
  start();
  receive(RequestSpec{});
  const sip::Message out = only_request(bob1).message();
  EXPECT_EQ(elements(out, HeaderId::kRecordRoute), std::vector<std::string>{"<sip:proxy.example.com:5060;lr>"});
  EXPECT_TRUE(elements(out, HeaderId::kVia)[0].starts_with("SIP/2.0/UDP proxy.example.com:5060;"));
}

TEST_F(ProxyForwarding, PathBecomesThePreloadedRouteAndDecidesTheNextHop) {
  // RFC 3327 §5.4: the Path of the REGISTER is the Route towards the contact.
  locator.bindings.clear();
  registrar::Binding& b = locator.bind("sip:bob@example.com", "sip:bob@10.0.0.5:5060");
  b.path = "<sip:192.0.2.40:5060;lr>, <sip:192.0.2.41;lr>";
  b.received = "udp:198.51.100.7:40000";  // ignored: the edge proxy reaches the UA
  start();
  receive(RequestSpec{});
  const sip::Message out = only_request(peer(40)).message();
  EXPECT_EQ(out.request_uri(), "sip:bob@10.0.0.5:5060");
  EXPECT_EQ(elements(out, HeaderId::kRoute),
            (std::vector<std::string>{"<sip:192.0.2.40:5060;lr>", "<sip:192.0.2.41;lr>"}));
}

TEST_F(ProxyForwarding, ReceivedAddressReachesAUaBehindNat) {
  locator.bindings.clear();
  registrar::Binding& b = locator.bind("sip:bob@example.com", "sip:bob@10.0.0.5:5060");
  b.received = "udp:192.0.2.50:40000";
  start();
  receive(RequestSpec{});
  const sip::Message out = only_request(peer(50, 40000)).message();
  EXPECT_EQ(out.request_uri(), "sip:bob@10.0.0.5:5060");  // still the contact
}

TEST_F(ProxyForwarding, ContactUriParametersNotAllowedInARequestUriAreDropped) {
  locator.bindings.clear();
  locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20:5060;method=INVITE;ob?subject=x");
  start();
  receive(RequestSpec{});
  EXPECT_EQ(only_request(bob1).message().request_uri(), "sip:bob@192.0.2.20:5060;ob");
}

TEST_F(ProxyForwarding, MaddrOfAnotherElementMakesTheRequestUriTheOnlyTarget) {
  // §16.5: "If the Request-URI of the request contains an maddr parameter, the Request-URI
  // MUST be placed into the target set as the only target URI".
  start();
  RequestSpec s;
  s.uri = "sip:bob@example.com;maddr=192.0.2.30";
  receive(s);
  EXPECT_TRUE(env.sent_to(bob1).empty());
  EXPECT_EQ(only_request(peer(30)).message().request_uri(), "sip:bob@example.com;maddr=192.0.2.30");
}

TEST_F(ProxyForwarding, ForeignDomainIsForwardedByItsRequestUri) {
  start();
  RequestSpec s;
  s.uri = "sip:carol@192.0.2.30:5070;transport=tcp";
  receive(s);
  const sip::Message out = only_request(peer(30, 5070, transport::TransportKind::kTcp)).message();
  EXPECT_EQ(out.request_uri(), "sip:carol@192.0.2.30:5070;transport=tcp");
}

TEST_F(ProxyForwarding, HostNameWithoutResolverFailsTheBranchWith500) {
  // No DNS yet: the branch fails as with a 503 (§16.9), which goes upstream as 500 (§16.7).
  start();
  RequestSpec s;
  s.uri = "sip:carol@biloxi.example.org";
  receive(s);
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 500}));
}

TEST_F(ProxyForwarding, SipsTargetWithoutTlsFails) {
  // §26.2.2: a SIPS URI only over TLS; this element has no TLS socket.
  start();
  RequestSpec s;
  s.uri = "sips:carol@192.0.2.30";
  receive(s);
  EXPECT_TRUE(env.sent_to(peer(30, 5061, transport::TransportKind::kTls)).empty());
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 500}));
}

TEST_F(ProxyForwarding, LooseRouteNamingUsIsRemovedAndTheNextRouteDecides) {
  start();
  RequestSpec s;
  s.uri = "sip:carol@biloxi.example.org";
  s.extra = "Route: <sip:192.0.2.1:5060;lr>, <sip:192.0.2.60;lr>\r\n";
  receive(s);
  const sip::Message out = only_request(peer(60)).message();
  EXPECT_EQ(out.request_uri(), "sip:carol@biloxi.example.org");
  EXPECT_EQ(elements(out, HeaderId::kRoute), std::vector<std::string>{"<sip:192.0.2.60;lr>"});
}

TEST_F(ProxyForwarding, DoubleRecordRouteOfOursIsRemovedWhole) {
  start();
  RequestSpec s;
  s.uri = "sip:carol@192.0.2.30";
  s.to_tag = "t1";
  s.method = "BYE";
  s.extra = "Route: <sip:192.0.2.1:5060;lr>\r\nRoute: <sip:192.0.2.1:5060;transport=tcp;lr>\r\n";
  receive(s);
  const sip::Message out = only_request(peer(30), "BYE").message();
  EXPECT_TRUE(elements(out, HeaderId::kRoute).empty());
}

TEST_F(ProxyForwarding, StrictRouterRequestUriIsRestoredFromTheLastRoute) {
  // §16.4: our Record-Route URI in the Request-URI means a strict router sent it.
  start();
  RequestSpec s;
  s.method = "BYE";
  s.to_tag = "t1";
  s.uri = "sip:192.0.2.1:5060;lr";
  s.extra = "Route: <sip:192.0.2.60;lr>, <sip:carol@192.0.2.30>\r\n";
  receive(s);
  const sip::Message out = only_request(peer(60), "BYE").message();
  EXPECT_EQ(out.request_uri(), "sip:carol@192.0.2.30");
  EXPECT_EQ(elements(out, HeaderId::kRoute), std::vector<std::string>{"<sip:192.0.2.60;lr>"});
}

TEST_F(ProxyForwarding, StrictRouterNextHopGetsTheRequestUriPushedIntoRoute) {
  // §16.6 item 6: the next hop is a strict router (no lr).
  start();
  RequestSpec s;
  s.method = "BYE";
  s.to_tag = "t1";
  s.uri = "sip:carol@192.0.2.30";
  s.extra = "Route: <sip:192.0.2.60>, <sip:192.0.2.61;lr>\r\n";
  receive(s);
  const sip::Message out = only_request(peer(60), "BYE").message();
  EXPECT_EQ(out.request_uri(), "sip:192.0.2.60");
  EXPECT_EQ(elements(out, HeaderId::kRoute),
            (std::vector<std::string>{"<sip:192.0.2.61;lr>", "<sip:carol@192.0.2.30>"}));
}

TEST_F(ProxyForwarding, InDialogRequestKeepsItsRequestUri) {
  // The contact of a dialog is not an address-of-record: no location lookup even when its
  // host is one of our domains.
  start();
  RequestSpec s;
  s.method = "BYE";
  s.to_tag = "t1";
  s.uri = "sip:bob@example.com";
  s.extra = "Route: <sip:192.0.2.1:5060;lr>, <sip:192.0.2.70;lr>\r\n";
  receive(s);
  const sip::Message out = only_request(peer(70), "BYE").message();
  EXPECT_EQ(out.request_uri(), "sip:bob@example.com");
  EXPECT_TRUE(env.sent_to(bob1).empty());
}

TEST_F(ProxyForwarding, ProvisionalAndFinalResponsesGoUpstreamWithoutOurVia) {
  start();
  receive(RequestSpec{});
  const auto out = only_request(bob1);
  reply(out, 100);  // §16.7 item 5: a 100 is absorbed
  reply(out, 180);
  reply(out, 200);
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 180, 200}));
  const sip::Message ok = env.response_to(alice, 200)->message();
  EXPECT_EQ(elements(ok, HeaderId::kVia), std::vector<std::string>{"SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKalice1"});
  EXPECT_EQ(header(ok, HeaderId::kTo), "<sip:bob@example.com>;tag=b1");  // §16.7: the To tag is the UAS's
  EXPECT_EQ(elements(ok, HeaderId::kRecordRoute), std::vector<std::string>{"<sip:192.0.2.1:5060;lr>"});
}

TEST_F(ProxyForwarding, ContextEndsWhenItsTransactionsHaveAndIsLoggedOnce) {
  start();
  receive(RequestSpec{});
  reply(only_request(bob1), 486);
  EXPECT_EQ(env.statuses_to(alice), (std::vector<int>{100, 486}));
  EXPECT_EQ(core->context_count(), 1u);  // the client transaction absorbs 486 retransmissions
  env.advance(32s);                      // Timer D
  EXPECT_EQ(core->context_count(), 0u);
  ASSERT_FALSE(logger.lines.empty());
  EXPECT_EQ(logger.lines.back(), "INVITE sip:bob@example.com -> 486 (1 branch)");
}

TEST_F(ProxyForwarding, BranchTimeoutGives408) {
  start();
  RequestSpec s;
  s.method = "MESSAGE";
  receive(s);
  env.advance(32s);  // Timer F
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{408});
}

TEST_F(ProxyForwarding, BranchTransportErrorGives500) {
  start();
  env.fail_sends = true;
  RequestSpec s;
  s.method = "MESSAGE";
  receive(s);
  env.fail_sends = false;
  // §16.9: as a 503 from the branch, which §16.7 item 6 turns into a 500.
  EXPECT_EQ(env.statuses_to(alice), std::vector<int>{500});
}

TEST_F(ProxyForwarding, BranchTagAndLoopHashAreInTheBranch) {
  config.branch_tag = "w7";
  start();
  receive(RequestSpec{});
  const sip::Message out = only_request(bob1).message();
  const std::string top = elements(out, HeaderId::kVia)[0];
  const std::string branch = top.substr(top.find("branch=") + 7);
  EXPECT_TRUE(branch.starts_with("z9hG4bKw7.")) << branch;
  EXPECT_EQ(loop_hash_of(branch, "w7"), loop_hash(parse(request_text(RequestSpec{}))));
}

}  // namespace
}  // namespace trapezoid::proxy::test
