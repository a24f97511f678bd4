// UDP datagrams queued and sent with one sendmmsg (send_batch.hpp), on loopback sockets.
#include "transport/send_batch.hpp"

#include <gtest/gtest.h>

#include "socket_peer.hpp"

namespace trapezoid::transport::detail {
namespace {

using namespace transport::testing;

class SendBatchTest : public ::testing::TestWithParam<bool> {
 protected:
  bool v6() const { return GetParam(); }
  IpAddress loopback() const { return *IpAddress::parse(v6() ? "::1" : "127.0.0.1"); }
  Endpoint at(const UdpPeer& p) const { return Endpoint{TransportKind::kUdp, loopback(), p.port()}; }

  Fd sender{::socket(GetParam() ? AF_INET6 : AF_INET, SOCK_DGRAM, 0)};
  UdpPeer a{GetParam()};
  UdpPeer b{GetParam()};
  SendBatch batch;
  std::vector<SendFailure> failed;
};

TEST_P(SendBatchTest, EveryDatagramArrivesInOrderPerDestination) {
  for (int i = 0; i < 6; ++i) batch.add("d" + std::to_string(i), at(i % 2 == 0 ? a : b));
  EXPECT_EQ(batch.size(), 6u);
  batch.flush(sender.get(), failed);
  EXPECT_TRUE(batch.empty());
  EXPECT_TRUE(failed.empty());
  for (const char* want : {"d0", "d2", "d4"}) EXPECT_EQ(a.receive(), std::optional<std::string>(want));
  for (const char* want : {"d1", "d3", "d5"}) EXPECT_EQ(b.receive(), std::optional<std::string>(want));
  EXPECT_FALSE(a.readable(20ms));
}

TEST_P(SendBatchTest, ARefusedDatagramFailsAloneAndTheRestGo) {
  Endpoint port_zero = at(a);
  port_zero.port = 0;  // the kernel refuses it (EINVAL)
  batch.add("first", at(a));
  batch.add("lost", port_zero);
  batch.add("second", at(b));
  batch.add(std::string(70 * 1024, 'x'), at(a));  // larger than any datagram (EMSGSIZE)
  batch.add("third", at(a));
  batch.flush(sender.get(), failed);
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[0].to, port_zero);
  EXPECT_EQ(failed[0].error, std::errc::invalid_argument);
  EXPECT_EQ(failed[1].to, at(a));
  EXPECT_EQ(failed[1].error, std::errc::message_size);
  EXPECT_EQ(a.receive(), std::optional<std::string>("first"));
  EXPECT_EQ(a.receive(), std::optional<std::string>("third"));
  EXPECT_EQ(b.receive(), std::optional<std::string>("second"));
}

TEST_P(SendBatchTest, FailuresAtTheStartAndInARow) {
  Endpoint port_zero = at(a);
  port_zero.port = 0;
  batch.add("x", port_zero);
  batch.add("y", port_zero);
  batch.add("z", at(b));
  batch.flush(sender.get(), failed);
  EXPECT_EQ(failed.size(), 2u);
  EXPECT_EQ(b.receive(), std::optional<std::string>("z"));
}

TEST_P(SendBatchTest, ALoneDatagramAndItsFailure) {
  batch.add("only", at(a));
  batch.flush(sender.get(), failed);
  EXPECT_TRUE(failed.empty());
  EXPECT_EQ(a.receive(), std::optional<std::string>("only"));
  Endpoint port_zero = at(a);
  port_zero.port = 0;
  batch.add("only", port_zero);
  batch.flush(sender.get(), failed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].error, std::errc::invalid_argument);
  EXPECT_EQ(send_datagram(sender.get(), "now", at(b)), std::error_code());
  EXPECT_EQ(b.receive(), std::optional<std::string>("now"));
}

TEST_P(SendBatchTest, ABadDescriptorFailsEveryDatagram) {
  batch.add("1", at(a));
  batch.add("2", at(b));
  batch.flush(-1, failed);
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[1].error, std::errc::bad_file_descriptor);
}

TEST(SendBatchLimits, LargestDatagramPerFamily) {
  EXPECT_EQ(max_datagram(*IpAddress::parse("127.0.0.1")), 65507u);
  EXPECT_EQ(max_datagram(*IpAddress::parse("::1")), 65527u);
}

std::string family(const ::testing::TestParamInfo<bool>& p) { return p.param ? "IPv6" : "IPv4"; }
INSTANTIATE_TEST_SUITE_P(Loopback, SendBatchTest, ::testing::Values(false, true), family);

}  // namespace
}  // namespace trapezoid::transport::detail
