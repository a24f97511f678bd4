// Peer <-> transport Source/Target: every field survives the round trip.
#include "transaction/transport_peer.hpp"

#include <gtest/gtest.h>

namespace trapezoid::transaction {
namespace {

using transport::IpAddress;
using transport::TransportKind;

transport::Target target(TransportKind kind, std::string_view address, std::uint16_t port,
                         transport::ConnectionId connection) {
  return transport::Target{{kind, *IpAddress::parse(address), port}, connection};
}

void expect_same(const transport::Target& a, const transport::Target& b) {
  EXPECT_EQ(a.remote, b.remote);
  EXPECT_EQ(a.connection, b.connection);
}

TEST(TransportPeer, TargetsRoundTrip) {
  for (const transport::Target& t :
       {target(TransportKind::kUdp, "192.0.2.1", 5060, 0), target(TransportKind::kTcp, "::1", 5070, 7),
        target(TransportKind::kTls, "2001:db8::1", 5061, 1ULL << 40)}) {
    expect_same(to_target(to_peer(t)), t);
  }
}

TEST(TransportPeer, AddressFamilyIsKept) {
  // 1.2.3.4 and 102:304:: share their first bytes; the family tells them apart.
  const Peer v4 = to_peer(target(TransportKind::kUdp, "1.2.3.4", 5060, 0));
  const Peer v6 = to_peer(target(TransportKind::kUdp, "102:304::", 5060, 0));
  EXPECT_NE(v4, v6);
  EXPECT_FALSE(to_target(v4).remote.address.is_v6());
  EXPECT_TRUE(to_target(v6).remote.address.is_v6());
  EXPECT_EQ(to_target(v6).remote.address.to_string(), "102:304::");
}

TEST(TransportPeer, SourceKeepsTheFarEndAndConnection) {
  transport::Source s;
  s.remote = {TransportKind::kTcp, *IpAddress::parse("192.0.2.9"), 40001};
  s.connection = 12;
  s.local = {TransportKind::kTcp, *IpAddress::parse("192.0.2.1"), 5060};
  const transport::Target t = to_target(to_peer(s));
  EXPECT_EQ(t.remote, s.remote);
  EXPECT_EQ(t.connection, 12u);
}

}  // namespace
}  // namespace trapezoid::transaction
