#include "transport/endpoint.hpp"

#include <gtest/gtest.h>

namespace trapezoid::transport {
namespace {

TEST(IpAddress, ParsesBothFamiliesAndBrackets) {
  auto v4 = IpAddress::parse("192.0.2.4");
  ASSERT_TRUE(v4);
  EXPECT_FALSE(v4->is_v6());
  EXPECT_EQ(v4->to_string(), "192.0.2.4");
  auto v6 = IpAddress::parse("[2001:DB8:0:0:0:0:0:1]");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->is_v6());
  EXPECT_EQ(v6->to_string(), "2001:db8::1");
  EXPECT_EQ(v6->to_uri_host(), "[2001:db8::1]");
  EXPECT_EQ(*v6, *IpAddress::parse("2001:db8::1"));
  EXPECT_FALSE(IpAddress::parse("atlanta.com"));
  EXPECT_FALSE(IpAddress::parse(""));
}

TEST(Endpoint, Formats) {
  Endpoint e{TransportKind::kTcp, *IpAddress::parse("::1"), 5061};
  EXPECT_EQ(to_string(e), "TCP [::1]:5061");
  EXPECT_EQ(to_string(Source{e, 7, {}}), "TCP [::1]:5061 #7");
  EXPECT_EQ(to_string(Target{Endpoint{TransportKind::kUdp, *IpAddress::parse("192.0.2.4"), 5060}, 0}),
            "UDP 192.0.2.4:5060");
}

TEST(TransportKind, TokensPortsReliability) {
  EXPECT_EQ(transport_from_token("udp"), TransportKind::kUdp);
  EXPECT_EQ(transport_from_token("TCP"), TransportKind::kTcp);
  EXPECT_EQ(transport_from_token("TLS"), TransportKind::kTls);
  EXPECT_FALSE(transport_from_token("SCTP"));
  EXPECT_FALSE(is_reliable(TransportKind::kUdp));
  EXPECT_TRUE(is_reliable(TransportKind::kTcp));
  EXPECT_EQ(default_port(TransportKind::kTls), 5061);
  EXPECT_EQ(default_port(TransportKind::kUdp), 5060);
}

}  // namespace
}  // namespace trapezoid::transport
