#include "transport/size_rule.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <system_error>

namespace trapezoid::transport {
namespace {

TEST(SizeRule, UnknownMtuLimitIs1300) {
  EXPECT_EQ(request_transport(TransportKind::kUdp, 1300), TransportKind::kUdp);
  EXPECT_EQ(request_transport(TransportKind::kUdp, 1301), TransportKind::kTcp);
}

TEST(SizeRule, Within200BytesOfThePathMtu) {
  EXPECT_EQ(request_transport(TransportKind::kUdp, 1300, 1500), TransportKind::kUdp);
  EXPECT_EQ(request_transport(TransportKind::kUdp, 1301, 1500), TransportKind::kTcp);
  EXPECT_EQ(request_transport(TransportKind::kUdp, 8800, 9000), TransportKind::kUdp);
  EXPECT_EQ(request_transport(TransportKind::kUdp, 8801, 9000), TransportKind::kTcp);
}

TEST(SizeRule, ReliableTransportsStay) {
  EXPECT_EQ(request_transport(TransportKind::kTcp, 100), TransportKind::kTcp);
  EXPECT_EQ(request_transport(TransportKind::kTls, 60000), TransportKind::kTls);
  static_assert(needs_congestion_control(1301));
}

// RFC 3261 §18.1.1: a reset (refused) or ICMP Protocol Not Supported sends the request over
// UDP after all; so does a connect that times out. Errors UDP would meet too are reported.
TEST(SizeRule, UdpRetryFollowsRefusalResetProtocolErrorsAndTimeout) {
  EXPECT_TRUE(udp_retry_allowed(std::make_error_code(std::errc::connection_refused)));
  EXPECT_TRUE(udp_retry_allowed(std::make_error_code(std::errc::connection_reset)));
  EXPECT_TRUE(udp_retry_allowed(std::make_error_code(std::errc::no_protocol_option)));
  EXPECT_TRUE(udp_retry_allowed(std::make_error_code(std::errc::protocol_not_supported)));
  EXPECT_TRUE(udp_retry_allowed(std::make_error_code(std::errc::timed_out)));
  EXPECT_TRUE(udp_retry_allowed(std::error_code(ECONNREFUSED, std::system_category())));
  EXPECT_FALSE(udp_retry_allowed(std::make_error_code(std::errc::network_unreachable)));
  EXPECT_FALSE(udp_retry_allowed(std::make_error_code(std::errc::host_unreachable)));
  EXPECT_FALSE(udp_retry_allowed(std::make_error_code(std::errc::no_buffer_space)));
  EXPECT_FALSE(udp_retry_allowed(std::error_code()));
}

}  // namespace
}  // namespace trapezoid::transport
