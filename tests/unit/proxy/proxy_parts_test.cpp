// The proxy's small pure pieces: branches and loop hashes, response choice, target ordering,
// received addresses, numeric resolution, q formatting, identity and configuration checks.
#include <gtest/gtest.h>

#include "proxy/best_response.hpp"
#include "proxy/branch_id.hpp"
#include "proxy/proxy_config.hpp"
#include "proxy/proxy_identity.hpp"
#include "proxy/received_address.hpp"
#include "proxy/redirect_contacts.hpp"
#include "proxy/target_resolver.hpp"
#include "proxy/target_set.hpp"
#include "proxy_test_support.hpp"

namespace trapezoid::proxy::test {
namespace {

using transport::TransportKind;

TEST(BranchId, StatefulBranchesAreUniqueAndCarryTagAndLoopHash) {
  BranchMaker maker("w2", 41);
  const std::string a = maker.next(0x1234);
  const std::string b = maker.next(0x1234);
  EXPECT_NE(a, b);
  EXPECT_EQ(a, "z9hG4bKw2.0000000000001234.29");
  EXPECT_EQ(loop_hash_of(a, "w2"), 0x1234u);
  EXPECT_EQ(loop_hash_of(a, "w3"), std::nullopt);
  EXPECT_EQ(loop_hash_of("z9hG4bKw2.zz", "w2"), std::nullopt);
  EXPECT_EQ(loop_hash_of("z9hG4bK776asdhds", "w2"), std::nullopt);
}

TEST(BranchId, LoopHashFollowsRoutingFieldsButNotViaOrMethod) {
  const sip::Message m = parse(request_text(RequestSpec{}));
  RequestSpec other_via;
  other_via.via_host = "192.0.2.99:5070";
  other_via.branch = "z9hG4bKelse";
  EXPECT_EQ(loop_hash(m), loop_hash(parse(request_text(other_via))));
  RequestSpec other_uri;
  other_uri.uri = "sip:carol@example.com";
  EXPECT_NE(loop_hash(m), loop_hash(parse(request_text(other_uri))));
  RequestSpec routed;
  routed.extra = "Route: <sip:192.0.2.60;lr>\r\n";
  EXPECT_NE(loop_hash(m), loop_hash(parse(request_text(routed))));
  RequestSpec cseq;
  cseq.cseq = 2;
  EXPECT_NE(loop_hash(m), loop_hash(parse(request_text(cseq))));
}

TEST(BranchId, StatelessBranchDependsOnTheReceivedBranchOnly) {
  BranchMaker maker("p", 1);
  RequestSpec s;
  s.method = "ACK";
  const std::string a = maker.stateless(parse(request_text(s)));
  EXPECT_EQ(a, maker.stateless(parse(request_text(s))));
  s.branch = "z9hG4bKother";
  EXPECT_NE(a, maker.stateless(parse(request_text(s))));
  EXPECT_TRUE(a.starts_with("z9hG4bKp."));
}

TEST(BestResponse, SixXxBeatsEverything) {
  const std::vector<Candidate> c = {{200 - 0 + 286, "x"}, {603, "y"}, {302, "z"}};
  EXPECT_EQ(choose_best(c), 1u);
}

TEST(BestResponse, LowestClassThenHelpfulCodes) {
  EXPECT_EQ(choose_best(std::vector<Candidate>{{500, "a"}, {486, "b"}, {404, "c"}}), 1u);
  EXPECT_EQ(choose_best(std::vector<Candidate>{{404, "a"}, {407, "b"}}), 1u);
  EXPECT_EQ(choose_best(std::vector<Candidate>{{503, "a"}, {500, "b"}}), 1u);
  EXPECT_EQ(choose_best(std::vector<Candidate>{{302, "a"}, {404, "b"}}), 0u);
  EXPECT_EQ(choose_best(std::vector<Candidate>{}), std::nullopt);
  EXPECT_EQ(upstream_status(503), 500);
  EXPECT_EQ(upstream_status(486), 486);
}

TEST(TargetSet, GroupsByQHighestFirstAndAddsEachUriOnce) {
  TargetSet set;
  Target a;
  a.uri = "sip:a@192.0.2.1";
  a.q = 500;
  Target b;
  b.uri = "sip:b@192.0.2.2";
  Target c;
  c.uri = "sip:c@192.0.2.3";
  Target again;
  again.uri = "sip:B@192.0.2.2";  // the user part is case-sensitive: a new URI
  Target same;
  same.uri = "sip:b@192.0.2.2;transport=udp";  // §19.1.4: equal to b? no: a parameter differs
  EXPECT_TRUE(set.add(a));
  EXPECT_TRUE(set.add(b));
  EXPECT_TRUE(set.add(c));
  EXPECT_FALSE(set.add(b));
  EXPECT_TRUE(set.add(again));
  std::vector<Target> first = set.next_group();
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].uri, "sip:b@192.0.2.2");
  EXPECT_EQ(first[1].uri, "sip:c@192.0.2.3");
  std::vector<Target> second = set.next_group();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].uri, "sip:a@192.0.2.1");
  EXPECT_FALSE(set.has_pending());
}

TEST(TargetSet, BindingBecomesATarget) {
  registrar::Binding b;
  b.contact = "sip:bob@10.0.0.5:5060;ob";
  b.q = 300;
  b.path = "<sip:edge1.example.com;lr>,<sip:edge2.example.com;lr>";
  b.received = "tcp:[2001:db8::5]:5070";
  const Target t = target_from_binding(b);
  EXPECT_EQ(t.uri, "sip:bob@10.0.0.5:5060;ob");
  EXPECT_EQ(t.q, 300);
  EXPECT_EQ(t.routes, (std::vector<std::string>{"<sip:edge1.example.com;lr>", "<sip:edge2.example.com;lr>"}));
  ASSERT_TRUE(t.received);
  EXPECT_EQ(transport::to_string(t.received->remote), "TCP [2001:db8::5]:5070");
}

TEST(ReceivedAddress, ParsesTransportAddressAndPort) {
  EXPECT_EQ(transport::to_string(parse_received("udp:192.0.2.4:5060")->remote), "UDP 192.0.2.4:5060");
  EXPECT_EQ(parse_received(""), std::nullopt);
  EXPECT_EQ(parse_received("udp:192.0.2.4"), std::nullopt);
  EXPECT_EQ(parse_received("sctp:192.0.2.4:5060"), std::nullopt);
  EXPECT_EQ(parse_received("udp:2001:db8::1:5060"), std::nullopt);  // IPv6 needs brackets
  EXPECT_EQ(parse_received("udp:host.example.com:5060"), std::nullopt);
  EXPECT_EQ(parse_received("udp:192.0.2.4:0"), std::nullopt);
}

std::optional<transport::Target> resolve(std::string_view uri, bool sips = false) {
  sip::Uri u;
  EXPECT_TRUE(sip::parse_uri(uri, u).empty()) << uri;
  return NumericResolver{}.resolve(u, sips);
}

TEST(NumericResolver, NumericHostsPortsAndTransports) {
  EXPECT_EQ(transport::to_string(resolve("sip:bob@192.0.2.4")->remote), "UDP 192.0.2.4:5060");
  EXPECT_EQ(transport::to_string(resolve("sip:bob@192.0.2.4:5070;transport=TCP")->remote), "TCP 192.0.2.4:5070");
  EXPECT_EQ(transport::to_string(resolve("sips:bob@[2001:db8::4]")->remote), "TLS [2001:db8::4]:5061");
  EXPECT_EQ(transport::to_string(resolve("sips:bob@192.0.2.4;transport=tcp")->remote), "TLS 192.0.2.4:5061");
  EXPECT_EQ(transport::to_string(resolve("sip:bob@192.0.2.4", true)->remote), "TLS 192.0.2.4:5061");
  EXPECT_EQ(transport::to_string(resolve("sip:bob@example.com;maddr=192.0.2.9")->remote), "UDP 192.0.2.9:5060");
  EXPECT_EQ(resolve("sip:bob@example.com"), std::nullopt);
  EXPECT_EQ(resolve("sips:bob@192.0.2.4;transport=udp"), std::nullopt);
  EXPECT_EQ(resolve("sip:bob@192.0.2.4;transport=sctp"), std::nullopt);
  EXPECT_EQ(resolve("tel:+15551234"), std::nullopt);
}

TEST(RedirectContacts, QValuesAreWrittenShort) {
  EXPECT_EQ(format_q(1000), "1");
  EXPECT_EQ(format_q(700), "0.7");
  EXPECT_EQ(format_q(50), "0.05");
  EXPECT_EQ(format_q(5), "0.005");
  EXPECT_EQ(format_q(0), "0");
}

TEST(ProxyIdentityTest, NamesUsByAddressOrNameAndPort) {
  ProxyConfig cfg;
  cfg.hosts = {"Proxy.Example.com"};
  ProxyIdentity me(cfg);
  me.set_endpoints(proxy_endpoints());
  const auto names = [&](std::string_view text) {
    sip::Uri u;
    EXPECT_TRUE(sip::parse_uri(text, u).empty()) << text;
    return me.names_us(u);
  };
  EXPECT_TRUE(names("sip:192.0.2.1:5060;lr"));
  EXPECT_TRUE(names("sip:192.0.2.1"));  // 5060 by default
  EXPECT_TRUE(names("sip:[2001:DB8:0::1];lr"));
  EXPECT_TRUE(names("sip:proxy.example.COM;lr"));
  EXPECT_FALSE(names("sip:192.0.2.1:5070"));
  EXPECT_FALSE(names("sips:192.0.2.1"));  // 5061: not ours
  EXPECT_FALSE(names("sip:192.0.2.2"));
  EXPECT_FALSE(names("tel:+1555"));
  EXPECT_EQ(transport::to_string(*me.endpoint_for(TransportKind::kTcp, false)), "TCP 192.0.2.1:5060");
  EXPECT_EQ(me.endpoint_for(TransportKind::kTcp, true), std::nullopt);
  EXPECT_EQ(me.record_route(*me.endpoint_for(TransportKind::kUdp, true), false), "<sip:[2001:db8::1]:5060;lr>");
  EXPECT_EQ(me.via(*me.endpoint_for(TransportKind::kUdp, false), "z9hG4bKx"),
            "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx");
}

TEST(ProxyConfigCheck, RejectsWhatCannotWork) {
  ProxyConfig cfg;
  EXPECT_EQ(check_config(cfg), "");
  cfg.branch_tag = "w.1";
  EXPECT_NE(check_config(cfg), "");
  cfg.branch_tag = "w1";
  cfg.timer_c = std::chrono::minutes(3);
  EXPECT_NE(check_config(cfg), "");  // §16.6 item 11: more than 3 minutes
  cfg.timer_c = std::chrono::seconds(181);
  cfg.hosts = {"bad host"};
  EXPECT_NE(check_config(cfg), "");
}

}  // namespace
}  // namespace trapezoid::proxy::test
