// The top Via's transport token rewritten for the size rule (RFC 3261 §18.1.1).
#include "transport/via_transport.hpp"

#include <gtest/gtest.h>

#include "sip_samples.hpp"

namespace trapezoid::transport {
namespace {

using testing::ok_response;
using testing::options_request;

TEST(ViaTransport, UdpBecomesTcpAndNothingElseChanges) {
  const std::string udp = options_request("SIP/2.0/UDP pc33.atlanta.com:5066;rport;branch=z9hG4bK776asdhds");
  std::string tcp;
  ASSERT_TRUE(set_top_via_transport(udp, TransportKind::kTcp, tcp));
  std::string expected = udp;
  expected.replace(expected.find("SIP/2.0/UDP"), 11, "SIP/2.0/TCP");
  EXPECT_EQ(tcp, expected);
}

TEST(ViaTransport, OnlyTheTopViaOfAListChanges) {
  // Two via-parms in one field, a second Via field, and a lower-case token.
  const std::string udp = options_request(
      "SIP/2.0/udp 192.0.2.1;branch=z9hG4bKtop, SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKsecond",
      "Via: SIP/2.0/UDP 192.0.2.3;branch=z9hG4bKthird\r\n");
  std::string tcp;
  ASSERT_TRUE(set_top_via_transport(udp, TransportKind::kTcp, tcp));
  EXPECT_NE(tcp.find("Via: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKtop, SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKsecond\r\n"),
            std::string::npos);
  EXPECT_NE(tcp.find("Via: SIP/2.0/UDP 192.0.2.3;branch=z9hG4bKthird\r\n"), std::string::npos);
  EXPECT_EQ(tcp.size(), udp.size());
}

TEST(ViaTransport, CompactFormAndSpacesAroundTheSlashes) {
  std::string udp = options_request("SIP / 2.0 / UDP 192.0.2.1;branch=z9hG4bKc1");
  udp.replace(udp.find("Via:"), 4, "v:");
  std::string tcp;
  ASSERT_TRUE(set_top_via_transport(udp, TransportKind::kTcp, tcp));
  EXPECT_NE(tcp.find("\r\nv: SIP / 2.0 / TCP 192.0.2.1;branch=z9hG4bKc1\r\n"), std::string::npos) << tcp;
}

TEST(ViaTransport, BodyIsKept) {
  std::string udp = options_request("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKb1", "Content-Type: text/plain\r\n");
  udp.replace(udp.find("Content-Length: 0"), 17, "Content-Length: 9");
  udp += "SIP/2.0/U";
  std::string tls;
  ASSERT_TRUE(set_top_via_transport(udp, TransportKind::kTls, tls));
  EXPECT_TRUE(tls.ends_with("\r\n\r\nSIP/2.0/U"));
  EXPECT_NE(tls.find("Via: SIP/2.0/TLS 192.0.2.1;"), std::string::npos);
}

TEST(ViaTransport, ResponsesAndBrokenRequestsAreRefused) {
  std::string out;
  EXPECT_FALSE(set_top_via_transport(ok_response("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKr1"), TransportKind::kTcp, out));
  EXPECT_FALSE(set_top_via_transport("not a SIP message\r\n\r\n", TransportKind::kTcp, out));
  EXPECT_FALSE(set_top_via_transport(options_request("no-protocol-here"), TransportKind::kTcp, out));
  std::string no_via = options_request("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKn1");
  no_via.erase(no_via.find("Via:"), no_via.find("\r\n", no_via.find("Via:")) + 2 - no_via.find("Via:"));
  EXPECT_FALSE(set_top_via_transport(no_via, TransportKind::kTcp, out));
}

}  // namespace
}  // namespace trapezoid::transport
