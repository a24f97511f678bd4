// The proxy's message editing: Route processing (§16.4, §16.6 item 6), the forwarded copy
// (§16.6), the CANCEL of a branch (§9.1), and responses on their way upstream (§16.7).
#include <gtest/gtest.h>

#include "proxy/forwarded_request.hpp"
#include "proxy/route_set.hpp"
#include "proxy/upstream_response.hpp"
#include "proxy_test_support.hpp"

namespace trapezoid::proxy::test {
namespace {

using sip::HeaderId;

class RouteSetTest : public ::testing::Test {
 protected:
  RouteSetTest() { me.set_endpoints(proxy_endpoints()); }
  ProxyConfig cfg;
  ProxyIdentity me{cfg};
};

TEST_F(RouteSetTest, RouteValuesSplitAcrossFields) {
  RequestSpec s;
  s.extra = "Route: <sip:a;lr>, <sip:b;lr>\r\nRoute: <sip:c>\r\n";
  EXPECT_EQ(route_values(parse(request_text(s))),
            (std::vector<std::string>{"<sip:a;lr>", "<sip:b;lr>", "<sip:c>"}));
  EXPECT_EQ(route_uri("\"P\" <sip:p1;lr>;x=y"), "sip:p1;lr");
  EXPECT_EQ(route_uri("sip:bare"), std::nullopt);  // Route values are name-addr only
}

TEST_F(RouteSetTest, MaddrNamingUsIsStripped) {
  RequestSpec s;
  s.uri = "sip:bob@example.com:5060;maddr=192.0.2.1;transport=udp;ob";
  const RouteSet r = preprocess_routes(parse(request_text(s)), me);
  EXPECT_EQ(r.request_uri, "sip:bob@example.com;ob");
}

TEST_F(RouteSetTest, MaddrOfAnotherElementStays) {
  RequestSpec s;
  s.uri = "sip:bob@example.com;maddr=192.0.2.9";
  EXPECT_EQ(preprocess_routes(parse(request_text(s)), me).request_uri, "sip:bob@example.com;maddr=192.0.2.9");
}

TEST_F(RouteSetTest, RequestUriWithUserNamingUsIsNotAStrictRoute) {
  RequestSpec s;
  s.uri = "sip:bob@192.0.2.1:5060";
  s.extra = "Route: <sip:192.0.2.1;lr>, <sip:192.0.2.60;lr>\r\n";
  const RouteSet r = preprocess_routes(parse(request_text(s)), me);
  EXPECT_EQ(r.request_uri, "sip:bob@192.0.2.1:5060");
  EXPECT_EQ(r.routes, std::vector<std::string>{"<sip:192.0.2.60;lr>"});
}

TEST(PostprocessRoutes, LooseStrictAndNone) {
  auto none = postprocess_routes("sip:bob@192.0.2.20", {});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->next_hop, "sip:bob@192.0.2.20");
  auto loose = postprocess_routes("sip:bob@192.0.2.20", {"<sip:p1;lr>"});
  ASSERT_TRUE(loose);
  EXPECT_EQ(loose->next_hop, "sip:p1;lr");
  EXPECT_EQ(loose->request_uri, "sip:bob@192.0.2.20");
  auto strict = postprocess_routes("sip:bob@192.0.2.20", {"<sip:p1>", "<sip:p2;lr>"});
  ASSERT_TRUE(strict);
  EXPECT_EQ(strict->request_uri, "sip:p1");
  EXPECT_EQ(strict->next_hop, "sip:p1");
  EXPECT_EQ(strict->routes, (std::vector<std::string>{"<sip:p2;lr>", "<sip:bob@192.0.2.20>"}));
  EXPECT_FALSE(postprocess_routes("sip:bob@192.0.2.20", {"garbage"}));
}

TEST(ForwardedRequest, InsertsOursAndKeepsTheRestInOrder) {
  RequestSpec s;
  s.extra = "Record-Route: <sip:old;lr>\r\nRoute: <sip:r1;lr>\r\nX-Y: z\r\n";
  const sip::Message in = parse(request_text(s));
  const std::vector<std::string> rr = {"<sip:me;lr>"};
  const std::vector<std::string> routes = {"<sip:r2;lr>", "<sip:r3;lr>"};
  ForwardEdits e;
  e.request_uri = "sip:bob@192.0.2.20";
  e.via = "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKp.1";
  e.record_routes = rr;
  e.routes = routes;
  e.max_forwards = next_max_forwards(in, 70);
  const std::string out = forwarded_request(in, e);
  EXPECT_EQ(out,
            "INVITE sip:bob@192.0.2.20 SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKp.1\r\n"
            "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKalice1\r\n"
            "Max-Forwards: 69\r\n"
            "To: <sip:bob@example.com>\r\n"
            "From: Alice <sip:alice@example.com>;tag=a1\r\n"
            "Call-ID: call1@192.0.2.10\r\n"
            "CSeq: 1 INVITE\r\n"
            "Contact: <sip:alice@192.0.2.10:5060>\r\n"
            "Record-Route: <sip:me;lr>\r\n"
            "Record-Route: <sip:old;lr>\r\n"
            "Route: <sip:r2;lr>\r\n"
            "Route: <sip:r3;lr>\r\n"
            "X-Y: z\r\n"
            "Content-Length: 0\r\n\r\n");
}

TEST(ForwardedRequest, AbsentKindsGoAfterTheLastViaAndContentLengthIsAdded) {
  const std::string text =
      "MESSAGE sip:bob@example.com SIP/2.0\r\n"
      "v: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKa\r\n"
      "To: <sip:bob@example.com>\r\n"
      "From: <sip:alice@example.com>;tag=a1\r\n"
      "Call-ID: c@h\r\n"
      "CSeq: 1 MESSAGE\r\n"
      "c: text/plain\r\n\r\n"
      "hi";
  const sip::Message in = parse(text);
  EXPECT_EQ(next_max_forwards(in, 70), 70);
  const std::vector<std::string> routes = {"<sip:r;lr>"};
  ForwardEdits e;
  e.request_uri = "sip:bob@192.0.2.20";
  e.via = "SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bKp.2";
  e.routes = routes;
  e.max_forwards = 70;
  EXPECT_EQ(forwarded_request(in, e),
            "MESSAGE sip:bob@192.0.2.20 SIP/2.0\r\n"
            "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bKp.2\r\n"
            "v: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKa\r\n"
            "Route: <sip:r;lr>\r\n"
            "Max-Forwards: 70\r\n"
            "To: <sip:bob@example.com>\r\n"
            "From: <sip:alice@example.com>;tag=a1\r\n"
            "Call-ID: c@h\r\n"
            "CSeq: 1 MESSAGE\r\n"
            "c: text/plain\r\n"
            "Content-Length: 2\r\n\r\n"
            "hi");
}

TEST(ForwardedRequest, MaxForwardsZeroCannotGoOn) {
  RequestSpec s;
  s.max_forwards = "0";
  EXPECT_EQ(next_max_forwards(parse(request_text(s)), 70), -1);
}

TEST(CancelFor, CopiesWhatMatchesTheBranch) {
  RequestSpec s;
  s.extra = "Route: <sip:r1;lr>\r\nProxy-Require: foo\r\n";
  const sip::BuildResult c = cancel_for(parse(request_text(s)));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.bytes,
            "CANCEL sip:bob@example.com SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKalice1\r\n"
            "Route: <sip:r1;lr>\r\n"
            "Max-Forwards: 70\r\n"
            "From: Alice <sip:alice@example.com>;tag=a1\r\n"
            "To: <sip:bob@example.com>\r\n"
            "Call-ID: call1@192.0.2.10\r\n"
            "CSeq: 1 CANCEL\r\n"
            "Content-Length: 0\r\n\r\n");
}

const std::string kResponse =
    "SIP/2.0 401 Unauthorized\r\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKp.1, SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKa\r\n"
    "To: <sip:bob@example.com>;tag=t\r\n"
    "Contact: <sip:a@192.0.2.30>\r\n"
    "Contact: <sip:b@192.0.2.31>\r\n"
    "Content-Length: 0\r\n\r\n";

TEST(UpstreamResponse, TopViaValueIsRemovedFromACombinedField) {
  const auto up = upstream_response(parse(kResponse));
  ASSERT_TRUE(up);
  EXPECT_EQ(*up,
            "SIP/2.0 401 Unauthorized\r\n"
            "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKa\r\n"
            "To: <sip:bob@example.com>;tag=t\r\n"
            "Contact: <sip:a@192.0.2.30>\r\n"
            "Contact: <sip:b@192.0.2.31>\r\n"
            "Content-Length: 0\r\n\r\n");
}

TEST(UpstreamResponse, ExtraFieldsAndReplacedContacts) {
  const sip::HeaderLine extra[] = {{HeaderId::kProxyAuthenticate, "Digest realm=\"x\""}};
  const std::vector<std::string> kept = {"<mailto:a@example.com>"};
  UpstreamEdits e;
  e.extra = extra;
  e.contacts = std::span<const std::string>(kept);
  const auto up = upstream_response(parse(kResponse), e);
  ASSERT_TRUE(up);
  EXPECT_EQ(*up,
            "SIP/2.0 401 Unauthorized\r\n"
            "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKa\r\n"
            "To: <sip:bob@example.com>;tag=t\r\n"
            "Contact: <mailto:a@example.com>\r\n"
            "Content-Length: 0\r\n"
            "Proxy-Authenticate: Digest realm=\"x\"\r\n\r\n");
}

TEST(UpstreamResponse, TopViaFieldGoesWholeAndTheRestStaysByteForByte) {
  // Compact name, a folded top field, the next Via field in its own line, a body.
  const std::string tail =
      "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKa\r\n"
      "To:  <sip:bob@example.com> ;tag=t\r\n"
      "Content-Type: application/sdp\r\n"
      "Content-Length: 5\r\n\r\n"
      "v=0\r\n";
  for (const std::string top : {"v: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKp.1\r\n",
                                "Via: SIP/2.0/UDP 192.0.2.1:5060\r\n  ;branch=z9hG4bKp.1\r\n"}) {
    const auto up = upstream_response(parse("SIP/2.0 180 Ringing\r\n" + top + tail));
    ASSERT_TRUE(up) << top;
    EXPECT_EQ(*up, "SIP/2.0 180 Ringing\r\n" + tail) << top;
  }
}

TEST(UpstreamResponse, CombinedViaSplitsAtTheFirstCommaOutsideQuotes) {
  const std::string rest = "SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKa";
  for (const std::string top : {"SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKp.1,",
                                "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKp.1 ,\r\n  ",
                                "SIP/2.0/UDP 192.0.2.1;x=\"a, b\";branch=z9hG4bKp.1, "}) {
    const auto up = upstream_response(parse("SIP/2.0 200 OK\r\nVia: " + top + rest +
                                            "\r\nTo: <sip:bob@example.com>;tag=t\r\nContent-Length: 0\r\n\r\n"));
    ASSERT_TRUE(up) << top;
    EXPECT_EQ(*up, "SIP/2.0 200 OK\r\nVia: " + rest + "\r\nTo: <sip:bob@example.com>;tag=t\r\nContent-Length: 0\r\n\r\n")
        << top;
  }
}

TEST(UpstreamResponse, DatagramWithoutContentLengthGetsOne) {
  // RFC 3261 §18.3: a datagram may leave it out; the next hop may be a stream.
  const auto up = upstream_response(parse(
      "SIP/2.0 200 OK\r\n"
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKp.1\r\n"
      "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKa\r\n"
      "To: <sip:bob@example.com>;tag=t\r\n\r\n"));
  ASSERT_TRUE(up);
  EXPECT_EQ(*up,
            "SIP/2.0 200 OK\r\n"
            "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKa\r\n"
            "To: <sip:bob@example.com>;tag=t\r\n"
            "Content-Length: 0\r\n\r\n");
}

TEST(UpstreamResponse, ResponseForUsHasNoViaLeft) {
  const std::string mine =
      "SIP/2.0 200 OK\r\n"
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKp.1\r\n"
      "To: <sip:bob@example.com>;tag=t\r\n"
      "Content-Length: 0\r\n\r\n";
  EXPECT_EQ(upstream_response(parse(mine)), std::nullopt);
}

}  // namespace
}  // namespace trapezoid::proxy::test
