#include "transport/response_route.hpp"

#include <gtest/gtest.h>

#include "sip/parser.hpp"
#include "sip_samples.hpp"

namespace trapezoid::transport {
namespace {

ResponseRoute route(std::string_view via_value, ConnectionId connection = 0) {
  sip::Via v;
  EXPECT_EQ(sip::parse_via(via_value, v), "");
  ResponseRoute r;
  EXPECT_TRUE(route_response(v, connection, r));
  return r;
}

std::string where(const ResponseRoute& r) {
  auto t = r.target();
  return t ? to_string(*t) : "resolve " + std::string(r.host) + ":" + std::to_string(r.port);
}

TEST(ResponseRoute, UdpReceivedWithSentByPort) {
  EXPECT_EQ(where(route("SIP/2.0/UDP bobspc.biloxi.com:5070;received=192.0.2.4")), "UDP 192.0.2.4:5070");
}

TEST(ResponseRoute, UdpReceivedWithoutPortUses5060) {
  EXPECT_EQ(where(route("SIP/2.0/UDP bobspc.biloxi.com;received=192.0.2.4")), "UDP 192.0.2.4:5060");
}

TEST(ResponseRoute, UdpRportGoesToSourceAddressAndPort) {
  // RFC 3581 §4.
  EXPECT_EQ(where(route("SIP/2.0/UDP 10.1.1.1:4540;received=192.0.2.1;rport=9988;branch=z9hG4bK1")),
            "UDP 192.0.2.1:9988");
}

TEST(ResponseRoute, UdpRportIPv6) {
  EXPECT_EQ(where(route("SIP/2.0/UDP [2001:db8::9]:5060;received=2001:db8::1;rport=5062")),
            "UDP [2001:db8::1]:5062");
}

TEST(ResponseRoute, UdpRportWithoutValueIsIgnored) {
  EXPECT_EQ(where(route("SIP/2.0/UDP 192.0.2.5:5080;rport")), "UDP 192.0.2.5:5080");
}

TEST(ResponseRoute, UdpSentByAddress) {
  EXPECT_EQ(where(route("SIP/2.0/UDP [2001:db8::5]:5090")), "UDP [2001:db8::5]:5090");
  EXPECT_EQ(where(route("SIP/2.0/UDP 192.0.2.5")), "UDP 192.0.2.5:5060");
}

TEST(ResponseRoute, UdpSentByNameNeedsResolution) {
  ResponseRoute r = route("SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK2");
  EXPECT_FALSE(r.target());
  EXPECT_EQ(r.host, "pc33.atlanta.com");
  EXPECT_EQ(r.port, 5066);
}

TEST(ResponseRoute, MaddrWinsForUnreliable) {
  EXPECT_EQ(where(route("SIP/2.0/UDP a.example.com:5070;maddr=239.255.255.1;received=192.0.2.4;ttl=1")),
            "UDP 239.255.255.1:5070");
  EXPECT_EQ(where(route("SIP/2.0/UDP a.example.com;maddr=192.0.2.9")), "UDP 192.0.2.9:5060");
}

TEST(ResponseRoute, ReliableUsesTheConnectionThenReceived) {
  ResponseRoute r = route("SIP/2.0/TCP a.example.com:5070;received=192.0.2.4;rport=40000;maddr=192.0.2.9", 42);
  EXPECT_EQ(r.connection, 42u);
  EXPECT_EQ(where(r), "TCP 192.0.2.4:5070 #42");
}

TEST(ResponseRoute, ReliableDefaultPorts) {
  EXPECT_EQ(where(route("SIP/2.0/TCP 192.0.2.4", 3)), "TCP 192.0.2.4:5060 #3");
  EXPECT_EQ(where(route("SIP/2.0/TLS [2001:db8::7]", 4)), "TLS [2001:db8::7]:5061 #4");
}

TEST(ResponseRoute, UnknownTransport) {
  sip::Via v;
  ASSERT_EQ(sip::parse_via("SIP/2.0/SCTP 192.0.2.4", v), "");
  ResponseRoute r;
  EXPECT_FALSE(route_response(v, 0, r));
}

TEST(ResponseRoute, FromAResponseMessage) {
  const std::string resp = testing::ok_response("SIP/2.0/UDP 10.1.1.1:4540;received=192.0.2.1;rport=9988");
  sip::Message msg;
  ASSERT_TRUE(sip::parse_datagram(resp, msg).ok());
  ResponseRoute r;
  ASSERT_TRUE(route_response(msg, 0, r));
  EXPECT_EQ(where(r), "UDP 192.0.2.1:9988");
}

}  // namespace
}  // namespace trapezoid::transport
