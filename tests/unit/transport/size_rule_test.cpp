#include "transport/size_rule.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace trapezoid::transport
